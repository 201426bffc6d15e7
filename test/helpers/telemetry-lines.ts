import type { TelemetryEvent } from "../../src/events.js";

/**
 * A ticloud `--debug` telemetry line (no LF) carrying `seq` in its command, e.g.
 * [2025/11/20 10:15:42.118 +08:00] [DEBUG] [sender.go:47] ["sending telemetry events"] [event="{\"timestamp\":…}"]
 */
export function ticloudLine(seq: number): string {
  const payload = {
    timestamp: "2025-11-20T10:15:42.118+08:00",
    source: "ticloud",
    properties: { command: `seq-${seq}`, result: "SUCCESS" },
  };
  // The logger quotes the JSON text as a string field: stringify twice for the escaping.
  return `[2025/11/20 10:15:42.118 +08:00] [DEBUG] [sender.go:47] ["sending telemetry events"] [event=${JSON.stringify(JSON.stringify(payload))}]`;
}

/** Lines `from` .. `from + count - 1`, each followed by LF, with an ordinary log line between telemetry lines. */
export function ticloudLines(from: number, count: number): string {
  let text = "";
  for (let seq = from; seq < from + count; seq++) {
    text += `${ticloudLine(seq)}\n[2025/11/20 10:15:42.119 +08:00] [INFO] [root.go:12] ["command done"]\n`;
  }
  return text;
}

/** The sequence number a ticloudLine() event carries. */
export function seqOf(event: TelemetryEvent): number {
  const match = /^seq-(\d+)$/.exec(event.command ?? "");
  if (!match) throw new Error(`not a sequenced test event: ${event.command}`);
  return Number(match[1]);
}

/** The integers from `from` to `to - 1`. */
export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
