import type { TelemetryEvent } from "../events.js";
import { eventJson } from "../output/event-json.js";

// The line is kept on the event itself, non-enumerable (invisible to JSON, spread and deep equality): the pipeline
// sizes each event for batching and the sink then writes the same bytes. A WeakMap did this at the cost of its
// ephemeron tables (half of the encoding's share of the daemon's CPU samples). Events are never modified in place:
// a redacted event is a new object, with no line until it is written.
const LINE = Symbol("NDJSON line");

const NEWLINE = 0x0a;

/**
 * The event as one NDJSON line in UTF-8, exactly as `teletap grep -o ndjson` prints it (newline included), encoded
 * once per event object: sinks and the spool concatenate these bytes instead of joining strings and encoding the
 * whole body again.
 */
export function ndjsonLine(event: TelemetryEvent): Buffer {
  const known = (event as { [LINE]?: Buffer })[LINE];
  if (known !== undefined) return known;
  const text = eventJson(event);
  const line = Buffer.allocUnsafe(Buffer.byteLength(text) + 1);
  line[line.write(text)] = NEWLINE;
  if (Object.isExtensible(event)) Object.defineProperty(event, LINE, { value: line });
  return line;
}

/** Events as NDJSON: one line each. */
export function ndjsonBody(events: readonly TelemetryEvent[]): Buffer {
  return Buffer.concat(events.map(ndjsonLine));
}
