#!/usr/bin/env node
import { TeletapError } from "./errors.js";

/** A command: argv after its name in, exit status out. Each module is imported only when its command runs. */
type Command = { summary: string; load: () => Promise<{ main: (argv: string[]) => Promise<number> }> };

const COMMANDS: Record<string, Command> = {
  grep: {
    summary: "extract telemetry events from files, directories, globs, .gz or stdin",
    load: () => import("./cli/grep.js"),
  },
  audit: {
    summary: "audit what telemetry left this host: enabled?, fields, personal data and secrets, volume",
    load: () => import("./cli/audit.js"),
  },
  run: {
    summary: "run the daemon: tail logs, forward every event to the configured sinks at least once",
    load: () => import("./cli/run.js"),
  },
  check: { summary: "validate agent.config.json and print what run would start", load: () => import("./cli/check.js") },
  replay: { summary: "send the dead-letter file's events again", load: () => import("./cli/replay.js") },
  schema: { summary: "print the JSON Schema of the normalized event", load: () => import("./cli/schema.js") },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
  return `usage: teletap <command> [options]\n\ncommands:\n${lines.join("\n")}\n\nteletap <command> --help shows a command's options.\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "-h" || name === "--help" || name === "help") {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === "-V" || name === "--version") {
    const { readFileSync } = await import("node:fs");
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    process.stdout.write(`teletap ${pkg.version}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`teletap: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  return (await command.load()).main(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof TeletapError) {
      process.stderr.write(`teletap: ${error.message}\n`);
      process.exitCode = error.code === "E_USAGE" || error.code === "E_CONFIG" ? 2 : 1;
    } else {
      process.stderr.write(
        `teletap: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 70;
    }
  },
);
