import { parseArgs } from "node:util";
import type { ConfigIssue } from "../config/config-issue.js";
import { formatIssue } from "../config/config-issue.js";
import { DEFAULT_CONFIG_PATH } from "../config/load-config.js";
import { TeletapError } from "../errors.js";

/** The options run, check and replay share, plus each one's own. */
export interface ConfigArgs {
  config: string;
  help: boolean;
  logLevel?: string;
  sink?: string;
  /** The command's own boolean flags that were given. */
  flags: Set<string>;
}

/** Parses `--config FILE` (default ./agent.config.json) and the command's extra string options. */
export function parseConfigArgs(
  argv: string[],
  extra: readonly ("log-level" | "sink")[] = [],
  booleans: readonly string[] = [],
): ConfigArgs {
  const options = {
    config: { type: "string", short: "c", default: DEFAULT_CONFIG_PATH },
    help: { type: "boolean", short: "h", default: false },
    ...Object.fromEntries(extra.map((name) => [name, { type: "string" }])),
    ...Object.fromEntries(booleans.map((name) => [name, { type: "boolean" }])),
  } as const;
  try {
    const { values } = parseArgs({ args: argv, options, allowPositionals: false, strict: true });
    const read = values as Record<string, string | boolean | undefined>;
    return {
      config: String(read.config),
      help: read.help === true,
      logLevel: read["log-level"] as string | undefined,
      sink: read.sink as string | undefined,
      flags: new Set(booleans.filter((name) => read[name] === true)),
    };
  } catch (error) {
    throw new TeletapError("E_USAGE", (error as Error).message);
  }
}

/** Every config problem, one per line, under a header naming the file. */
export function formatConfigErrors(path: string, errors: readonly ConfigIssue[]): string {
  const noun = errors.length === 1 ? "problem" : "problems";
  return `teletap: ${path}: ${errors.length} ${noun}\n${errors.map((issue) => `  ${formatIssue(issue)}\n`).join("")}`;
}
