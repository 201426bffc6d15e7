import type { TelemetryEvent } from "../events.js";
import { eventJson } from "../output/event-json.js";

// The pipeline measures each event's size for batching and the sink then writes the same text: the two
// serializations were 21% of the daemon's busy CPU samples at 10,000 events/s (bench/daemon.mjs, --cpu-prof).
const encoded = new WeakMap<TelemetryEvent, string>();

/** The event as one JSON text, exactly as `teletap grep -o ndjson` prints it; computed once per event object. */
export function encodeEvent(event: TelemetryEvent): string {
  let text = encoded.get(event);
  if (text === undefined) {
    text = eventJson(event);
    encoded.set(event, text);
  }
  return text;
}
