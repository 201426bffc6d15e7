import type { LogPrefix, SourcePosition } from "../../events.js";
import { buildEvent, durationOrNull, isRecord, numberOrNull, stringOrNull } from "../build-event.js";
import { rememberCanonicalOfText } from "../canonical-attributes.js";
import { endedEarly, type ParseOutcome, type Parser, parseError, SKIP } from "../parse-outcome.js";
import { isoFromEpochSeconds } from "../to-iso-time.js";
import { parseProtoText } from "./parse-proto-text.js";
import { toWireJson } from "./to-wire-json.js";

// Console (stderr/stdout), proto text, every line ends with a space:
//   report: installationUUID:"3f1c…" eventUUID:"b7e0…" event_unix_timestamp:1667900123 version:<…> cluster:<…>
// Console v1.0.1-v1.4.1, second line: report: {"eventUUID":"…","event_unix_timestamp":1592200000,"EventDetail":{…}}
// Zap debug/audit file: 2023-01-04T15:28:20.412+0800<TAB>DEBUG<TAB>report: {"installationUUID":…}
// tiup-cluster v1.7+ --format json: {"level":"error","message":"report: installationUUID:\"…\" … \n"}
const ZAP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(?:Z|[+-]\d{4}))\t([A-Z]+)\treport: /;
const PROTO_START = /report: (?=(?:installationUUID|eventUUID|event_unix_timestamp|version|cluster|tiup|playground):)/;
const NO_LOG: LogPrefix = { time: null, level: null, logger: null };

type Decoded = { report: Record<string, unknown> } | { error: string; truncated: boolean };

function decodePayload(payload: string): Decoded {
  const trimmed = payload.trim();
  if (trimmed.startsWith("{")) {
    try {
      const report: unknown = JSON.parse(trimmed);
      if (!isRecord(report)) return { error: "report JSON is not an object", truncated: false };
      rememberCanonicalOfText(report, trimmed);
      return { report };
    } catch (error) {
      const reason = `invalid or truncated report JSON: ${(error as Error).message}`;
      return { error: reason, truncated: endedEarly(error, trimmed) };
    }
  }
  // Every report ends with its detail message (cluster/tiup/playground) and so with '>'; text that stops before it
  // is a cut-off write or a wrapped line, even where the prefix alone would parse (formats.md §2.6).
  if (!trimmed.endsWith(">"))
    return { error: "truncated report: it does not end with its detail's '>'", truncated: true };
  const parsed = parseProtoText(trimmed);
  if ("error" in parsed) return { error: parsed.error, truncated: parsed.error.startsWith("truncated") };
  if (parsed.fields.length === 0) return { error: "empty report", truncated: false };
  const report = toWireJson(parsed.fields);
  // Native JSON.stringify plus the kernel: a third of the time canonicalJson takes over the object in JavaScript.
  rememberCanonicalOfText(report, JSON.stringify(report));
  return { report };
}

/** Which detail the report carries: `cluster`/`Cluster`, `playground`, or `tiup` (a TiUPReport, or v1.4.2 version info). */
function detailOf(report: Record<string, unknown>): { kind: string; detail: Record<string, unknown> } | null {
  const wrapper = report.EventDetail;
  if (!isRecord(wrapper)) return null;
  const kind = Object.keys(wrapper)[0];
  const detail = kind === undefined ? undefined : wrapper[kind];
  return kind !== undefined && isRecord(detail) ? { kind, detail } : null;
}

function toOutcome(report: Record<string, unknown>, log: LogPrefix, at: SourcePosition): ParseOutcome {
  const seconds = numberOrNull(report.event_unix_timestamp);
  if (seconds === null) return parseError("tiup", "missing field event_unix_timestamp");
  const time = isoFromEpochSeconds(seconds);
  if (time === null) return parseError("tiup", `invalid event_unix_timestamp ${String(report.event_unix_timestamp)}`);
  const found = detailOf(report);
  // TiUP always sets the oneof; a report without it was cut off after an earlier message's '>'.
  if (found === null) return parseError("tiup", "truncated report: no cluster, tiup or playground detail", true);
  const detail = found.detail;
  // v1.4.2 put version info (TiUPInfo) in the `tiup` slot; a TiUPReport has command/take_milliseconds instead.
  const versionInfo = found.kind === "tiup" && !("command" in detail) && !("take_milliseconds" in detail);
  const version = isRecord(report.version) ? report.version : versionInfo ? detail : {};
  const isReport = !versionInfo;
  const exitCode = numberOrNull(detail.exit_code) ?? 0;
  const event = buildEvent(
    "tiup",
    report,
    {
      time,
      command: found.kind === "playground" ? "playground" : isReport ? stringOrNull(detail.command) : null,
      result: isReport ? (exitCode === 0 ? "success" : "error") : null,
      durationMs: isReport ? durationOrNull(detail.take_milliseconds) : null,
      version: stringOrNull(version.ComponentVersion) ?? stringOrNull(version.TiUPVersion),
      os: stringOrNull(version.os),
      arch: stringOrNull(version.arch),
      telemetryId:
        stringOrNull(report.installationUUID) ?? (found.kind === "Cluster" ? stringOrNull(detail.UUID) : null),
    },
    log,
    at,
  );
  return { kind: "events", events: [event] };
}

function fromDecoded(decoded: Decoded, log: LogPrefix, at: SourcePosition): ParseOutcome {
  return "error" in decoded ? parseError("tiup", decoded.error, decoded.truncated) : toOutcome(decoded.report, log, at);
}

/** TiUP with TIUP_CLUSTER_DEBUG=enable: the report as proto text or JSON, on the console or in zap log files. */
export const tiupParser: Parser = {
  producer: "tiup",
  markers: ["report: "],
  parse(text: string, at: SourcePosition): ParseOutcome {
    if (text.startsWith('{"level":')) {
      let line: unknown;
      try {
        line = JSON.parse(text);
      } catch {
        return text.includes('"message":"report: ') ? parseError("tiup", "truncated or invalid JSON-mode line") : SKIP;
      }
      const message = isRecord(line) && typeof line.message === "string" ? line.message : "";
      if (!message.startsWith("report: ")) return SKIP;
      const level = isRecord(line) && typeof line.level === "string" ? line.level.toUpperCase() : null;
      return fromDecoded(decodePayload(message.slice(8)), { time: null, level, logger: null }, at);
    }
    const zap = ZAP.exec(text);
    if (zap) {
      const log = { time: zap[1] ?? null, level: zap[2] ?? null, logger: null };
      return fromDecoded(decodePayload(text.slice(zap[0].length)), log, at);
    }
    if (text.startsWith("report: {")) return fromDecoded(decodePayload(text.slice(8)), NO_LOG, at);
    // Unanchored: a \r progress update or a colour code may precede it on the same physical line.
    const proto = PROTO_START.exec(text);
    if (!proto) return SKIP;
    return fromDecoded(decodePayload(text.slice(proto.index + 8)), NO_LOG, at);
  },
};
