import type { LogPrefix, SourcePosition } from "../../events.js";
import { buildEvent, isRecord, numberOrNull, stringOrNull } from "../build-event.js";
import { rememberCanonicalOfText } from "../canonical-attributes.js";
import { endedEarly, type ParseOutcome, type Parser, parseError, SKIP } from "../parse-outcome.js";
import { isoFromEpochSeconds, isoFromText } from "../to-iso-time.js";

// 22/11/16 15:02:11 INFO Telemetry: Telemetry report: {"track_id":"trkid_…","time":1668582131,…}
// 2022-11-16 15:02:11,123 INFO  [ForkJoinPool.commonPool-worker-1] com.pingcap.tispark.telemetry.Telemetry: Telemetry report: {…}
const MARKER = "Telemetry report: {";
const PREFIX_TIME = /(\d{2}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}|\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d{3})?)/;
const PREFIX_LEVEL = /\b(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\b/;
const PREFIX_LOGGER = /(\S+?):\s*$/;
const SPARK_TIME = /^(\d{2})\/(\d{2})\/(\d{2}) (\d{2}:\d{2}:\d{2})$/;

function logPrefix(prefix: string): LogPrefix {
  return {
    time: PREFIX_TIME.exec(prefix)?.[1] ?? null,
    level: PREFIX_LEVEL.exec(prefix)?.[1] ?? null,
    logger: PREFIX_LOGGER.exec(prefix)?.[1] ?? null,
  };
}

/** The event's time: epoch seconds (released), a zone-less string (prototype), else the log prefix's time. */
function eventTime(value: unknown, logTime: string | null): string | null {
  const seconds = numberOrNull(value);
  if (seconds !== null) return isoFromEpochSeconds(seconds);
  if (typeof value === "string") return isoFromText(value);
  const spark = logTime === null ? null : SPARK_TIME.exec(logTime);
  if (spark) return isoFromText(`20${spark[1]}-${spark[2]}-${spark[3]} ${spark[4]}`);
  return logTime === null ? null : isoFromText(logTime);
}

/** TiSpark: `Telemetry report: ` then compact Jackson JSON to the end of the line, whatever the log4j layout. */
export const tisparkParser: Parser = {
  producer: "tispark",
  markers: ["Telemetry report: "],
  parse(text: string, at: SourcePosition): ParseOutcome {
    const markerAt = text.indexOf(MARKER);
    if (markerAt < 0) return SKIP;
    const before = markerAt === 0 ? " " : text[markerAt - 1];
    if (before !== " " && before !== "\t" && before !== ":" && before !== "]") return SKIP;
    const prefix = text.slice(0, markerAt);
    // The report comes from the Telemetry logger; the same words in a stack trace's message are not a report.
    if (prefix.trim() !== "" && !/Telemetry\b/.test(prefix)) return SKIP;
    const log = logPrefix(prefix);
    const json = text.slice(markerAt + MARKER.length - 1);
    let payload: unknown;
    try {
      payload = JSON.parse(json);
    } catch (error) {
      return parseError(
        "tispark",
        `invalid or truncated report JSON: ${(error as Error).message}`,
        endedEarly(error, json),
      );
    }
    if (!isRecord(payload)) return parseError("tispark", "report is not a JSON object");
    rememberCanonicalOfText(payload, json);
    if (typeof payload.track_id !== "string") return parseError("tispark", "missing field track_id");
    const time = eventTime(payload.time, log.time);
    if (time === null) return parseError("tispark", `invalid or missing time ${JSON.stringify(payload.time)}`);
    const hardware = isRecord(payload.hardware) ? payload.hardware : null;
    const instance = isRecord(payload.instance) ? payload.instance : null;
    const event = buildEvent(
      "tispark",
      payload,
      {
        time,
        command: null,
        result: null,
        durationMs: null,
        version: stringOrNull(instance?.tispark_version),
        os: stringOrNull(hardware?.os),
        arch: null,
        telemetryId: stringOrNull(payload.track_id),
      },
      log,
      at,
    );
    return { kind: "events", events: [event] };
  },
};
