import type { TelemetryEvent } from "../events.js";

const COLUMNS = [
  { title: "TIME", width: 24 },
  { title: "PRODUCER", width: 8 },
  { title: "RESULT", width: 7 },
  { title: "DURATION", width: 9 },
  { title: "VERSION", width: 14 },
  { title: "COMMAND", width: 44 },
] as const;

const RED = "\x1b[31m";
const GREEN = "\x1b[32m";
const DIM = "\x1b[2m";
const BOLD = "\x1b[1m";
const RESET = "\x1b[0m";

function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

/**
 * TiSpark sends no command: its report says which Spark and TiDB the session ran on. Shown in brackets, as ps shows
 * a process without a command line, so it does not pass for a command.
 */
function tisparkRuntime(attributes: Record<string, unknown>): string | null {
  const instance = attributes.instance as Record<string, unknown> | null | undefined;
  const parts = [
    ["spark", instance?.spark_version],
    ["tidb", instance?.tidb_version],
  ].filter(([, version]) => typeof version === "string");
  return parts.length > 0 ? `[${parts.map(([name, version]) => `${name} ${version}`).join(", ")}]` : null;
}

function duration(ms: number | null): string {
  if (ms === null) return "-";
  return ms < 10_000 ? `${ms}ms` : `${(ms / 1000).toFixed(1)}s`;
}

/** Fixed-width columns, so rows can stream out before the last event is known. */
export function tableHeader(colour: boolean): string {
  const line = `${COLUMNS.map((column) => column.title.padEnd(column.width)).join(" ")} SOURCE`;
  return colour ? `${BOLD}${line}${RESET}\n` : `${line}\n`;
}

export function tableRow(event: TelemetryEvent, colour: boolean): string {
  const [time, producer, result, took, version, command] = COLUMNS.map((column) => column.width);
  const resultText = fit(event.result ?? "-", result ?? 0);
  const paint = (code: string, text: string) => (colour ? `${code}${text}${RESET}` : text);
  const runtime = event.command === null && event.producer === "tispark" ? tisparkRuntime(event.attributes) : null;
  const cells = [
    fit(event.time, time ?? 0),
    fit(event.producer, producer ?? 0),
    event.result === "error"
      ? paint(RED, resultText)
      : event.result === "success"
        ? paint(GREEN, resultText)
        : resultText,
    fit(duration(event.durationMs), took ?? 0),
    fit(event.version ?? "-", version ?? 0),
    runtime === null ? fit(event.command ?? "-", command ?? 0) : paint(DIM, fit(runtime, command ?? 0)),
    paint(DIM, `${event.source.path}:${event.source.line}`),
  ];
  return `${cells.join(" ")}\n`;
}
