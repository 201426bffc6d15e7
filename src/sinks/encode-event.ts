import type { TelemetryEvent } from "../events.js";

// The pipeline measures each event's size for batching and the sink then writes the same text: the two
// JSON.stringify calls were 21% of the daemon's busy CPU samples at 10,000 events/s (bench/daemon.mjs, --cpu-prof).
const encoded = new WeakMap<TelemetryEvent, string>();

/** The event as one JSON text, exactly as `teletap grep -o ndjson` prints it; computed once per event object. */
export function encodeEvent(event: TelemetryEvent): string {
  let text = encoded.get(event);
  if (text === undefined) {
    text = JSON.stringify(event);
    encoded.set(event, text);
  }
  return text;
}
