import type { LogPrefix, SourcePosition, TelemetryEvent } from "../../events.js";
import { buildEvent, durationOrNull, isRecord, stringOrNull } from "../build-event.js";
import { lazyAttributes } from "../canonical-attributes.js";
import { decodeWithKernel, type MemberShape } from "../canonical-kernel.js";
import { type ParseOutcome, type Parser, parseError, SKIP } from "../parse-outcome.js";
import { isoFromText } from "../to-iso-time.js";

// [2025/11/20 10:15:42.118 +08:00] [DEBUG] [sender.go:47] ["sending telemetry events"] [event="{\"timestamp\":…}"]
// [2023/02/03 10:02:36.932 +08:00] [DEBUG] [sender.go:46] ["sending telemetry events"] [body="[{…},{…}]"]
const MARKER = '["sending telemetry events"] [';
const PREFIX = /\[(\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}\.\d{3} [+-]\d{2}:\d{2})\] \[([A-Z]+)\] \[([^\]]*)\] $/;
// Fallback when the fast path meets a second field after the payload: a quoted pingcap/log value.
const QUOTED_VALUE = /((?:[^"\\]|\\.)*)"\]/y;
// What toEvent reads of a payload: the kernel reads just these off the canonical JSON, leaving the rest as text.
const READ_BY_TO_EVENT: MemberShape = {
  timestamp: true,
  properties: { command: true, result: true, duration: true, version: true, os: true, arch: true },
};

/** The JSON text of the field (JSON string escapes undone), or null when it is cut off or badly escaped. */
function payloadText(text: string, valueStart: number, end: number): string | null {
  const candidate = text.slice(valueStart, end);
  try {
    return JSON.parse(`"${candidate}"`) as string;
  } catch {
    QUOTED_VALUE.lastIndex = valueStart;
    const match = QUOTED_VALUE.exec(text);
    if (!match || match[1] === undefined || match[1].length === candidate.length) return null;
    try {
      return JSON.parse(`"${match[1]}"`) as string;
    } catch {
      return null;
    }
  }
}

/**
 * The event from its payload: `payload` is the decoded payload, or the members of it READ_BY_TO_EVENT names, with
 * `attributes` the whole payload (lazily parsed from its canonical JSON).
 */
function toEvent(
  payload: unknown,
  attributes: unknown,
  index: number,
  log: LogPrefix,
  at: SourcePosition,
): TelemetryEvent | string {
  const where = index >= 0 ? `event ${index + 1}: ` : "";
  if (!isRecord(payload)) return `${where}expected a JSON object`;
  if (typeof payload.timestamp !== "string") return `${where}missing field timestamp`;
  const time = isoFromText(payload.timestamp);
  if (time === null) return `${where}invalid timestamp ${JSON.stringify(payload.timestamp)}`;
  const properties = payload.properties;
  if (!isRecord(properties)) return `${where}missing field properties`;
  const result = stringOrNull(properties.result)?.toLowerCase();
  return buildEvent(
    "ticloud",
    attributes as Record<string, unknown>,
    {
      time,
      command: stringOrNull(properties.command),
      result: result === "success" || result === "error" ? result : null,
      durationMs: durationOrNull(properties.duration),
      version: stringOrNull(properties.version),
      os: stringOrNull(properties.os),
      arch: stringOrNull(properties.arch),
      telemetryId: null,
    },
    log,
    at,
  );
}

/** ticloud `--debug`: one pingcap/log line whose `event` (released) or `body` (docs prototype) field is JSON. */
export const ticloudParser: Parser = {
  producer: "ticloud",
  markers: ["sending telemetry events"],
  parse(text: string, at: SourcePosition): ParseOutcome {
    const markerAt = text.indexOf(MARKER);
    if (markerAt < 0) return SKIP;
    const prefix = PREFIX.exec(text.slice(Math.max(0, markerAt - 200), markerAt));
    // Without the pingcap/log prefix the words are someone's output (e.g. `-o json`), not the logger's line.
    if (!prefix) return SKIP;
    const log: LogPrefix = { time: prefix[1] ?? null, level: prefix[2] ?? null, logger: prefix[3] ?? null };
    const fieldAt = markerAt + MARKER.length;
    const field = text.startsWith('event="', fieldAt) ? "event" : text.startsWith('body="', fieldAt) ? "body" : null;
    if (field === null) return parseError("ticloud", "expected an event= or body= field after the message");
    const valueStart = fieldAt + field.length + 2;
    const end = text.lastIndexOf('"]');
    const decoded = end < valueStart ? null : decodeWithKernel(text.slice(valueStart, end), READ_BY_TO_EVENT);
    if (decoded !== null) {
      if (decoded.canonical.length === 0) return parseError("ticloud", `empty event array in ${field} field`);
      const events: TelemetryEvent[] = [];
      for (let i = 0; i < decoded.canonical.length; i++) {
        const canonical = decoded.canonical[i] as string;
        const payload = decoded.members[i] ?? JSON.parse(canonical);
        const event = toEvent(payload, lazyAttributes(canonical), decoded.array ? i : -1, log, at);
        if (typeof event === "string") return parseError("ticloud", event);
        events.push(event);
      }
      return { kind: "events", events };
    }
    const json = end < valueStart ? null : payloadText(text, valueStart, end);
    if (json === null) {
      const cut = !text.endsWith('"]');
      return parseError("ticloud", `truncated or badly escaped ${field} field (no closing "])`, cut);
    }
    let payload: unknown;
    try {
      payload = JSON.parse(json);
    } catch (error) {
      return parseError("ticloud", `invalid JSON in ${field} field: ${(error as Error).message}`);
    }
    const items = Array.isArray(payload) ? payload : [payload];
    if (items.length === 0) return parseError("ticloud", `empty event array in ${field} field`);
    const events: TelemetryEvent[] = [];
    for (let i = 0; i < items.length; i++) {
      const event = toEvent(items[i], items[i], Array.isArray(payload) ? i : -1, log, at);
      if (typeof event === "string") return parseError("ticloud", event);
      events.push(event);
    }
    return { kind: "events", events };
  },
};
