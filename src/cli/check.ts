import { agentConfigJsonSchema } from "../config/agent-config-schema.js";
import { formatIssue } from "../config/config-issue.js";
import { type LoadedConfig, loadConfig } from "../config/load-config.js";
import { scheduleEntries } from "../daemon/schedule-jobs.js";
import { deadLetterPath } from "../pipeline/dead-letter.js";
import { SINKS, type SinkContext } from "../sinks/registry.js";
import { formatConfigErrors, parseConfigArgs } from "./config-args.js";

const HELP = `usage: teletap check [--config FILE] [--schema]

Validate agent.config.json and print what \`teletap run\` would start. Every problem is reported at once, each with
its path in the file (sinks.collector.batch.maxEvents: expected a positive integer).

  -c, --config FILE  the configuration (default ./agent.config.json)
      --schema       print the JSON Schema of agent.config.json (every field documented) instead
  -h, --help         this help

Exit status: 0 valid (warnings are printed but allowed), 2 invalid or unreadable.
`;

const mib = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;

/** What `run` would start, one component per line. */
export function describeConfig(loaded: LoadedConfig): string {
  const { config, dataDir, configDir } = loaded;
  const context: SinkContext = { dataDir, configDir };
  const lines = [`config   ${loaded.path}`, `dataDir  ${dataDir}`, "sources:"];
  for (const [id, source] of Object.entries(config.sources)) {
    const what =
      source.type === "file"
        ? `${source.include.join(", ")}${source.exclude.length ? ` excluding ${source.exclude.join(", ")}` : ""} (first start: ${source.readFrom}${source.watch === "poll" ? `, polled every ${source.pollIntervalMs} ms` : ""})`
        : "standard input";
    lines.push(`  ${id}  ${source.type}  ${what}`);
  }
  lines.push("sinks:");
  for (const [id, sink] of Object.entries(config.sinks)) {
    const describe = SINKS[sink.type].describe as (config: unknown, context: SinkContext) => string;
    lines.push(`  ${id}  ${sink.type}  <- ${sink.inputs.join(", ")}  ${describe(sink, context)}`);
    lines.push(
      `      batch ${sink.batch.maxEvents} events / ${mib(sink.batch.maxBytes)} / ${sink.batch.maxWaitMs} ms; spool ${mib(sink.buffer.maxBytes)}${config.redact?.enabled && sink.redact ? "; redacted" : ""}`,
    );
  }
  for (const [id, route] of Object.entries(config.routes ?? {})) {
    const when = (Array.isArray(route.when) ? route.when : [route.when]).map((c) => c.field).join(" and ");
    lines.push(`route ${id}: events by ${when} -> ${route.sinks.join(", ")}`);
  }
  lines.push(`dead letters  ${deadLetterPath(dataDir)}`);
  lines.push(
    config.server.enabled
      ? `server   http://${config.server.host}:${config.server.port} (/metrics, /health)`
      : "server   off",
  );
  // scheduleEntries adds the job `audit.schedule` stands for: what `run` starts, not only the `schedule` list.
  for (const entry of scheduleEntries(loaded)) lines.push(`schedule ${entry.id}: ${entry.job} at '${entry.cron}'`);
  return `${lines.join("\n")}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const args = parseConfigArgs(argv, [], ["schema"]);
  if (args.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.flags.has("schema")) {
    process.stdout.write(`${JSON.stringify(agentConfigJsonSchema(), null, 2)}\n`);
    return 0;
  }
  const result = await loadConfig(args.config);
  if (!result.ok) {
    process.stderr.write(formatConfigErrors(args.config, result.errors));
    return 2;
  }
  process.stdout.write(describeConfig(result.loaded));
  for (const warning of result.warnings) process.stderr.write(`teletap: warning: ${formatIssue(warning)}\n`);
  process.stdout.write("config ok\n");
  return 0;
}
