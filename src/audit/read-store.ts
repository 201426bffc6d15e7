import { createReadStream, statSync } from "node:fs";
import split2 from "split2";
import type { Malformed } from "../engine/extractor.js";
import { type TelemetryEvent, telemetryEventSchema } from "../events.js";
import { listSegments } from "../store/store-layout.js";

/**
 * The daemon's local event store (NDJSON segments, oldest first): each line a normalized event; a line that is not
 * one is reported like an unreadable log line. With `sinceMs`, the days before it are not read (events of those
 * days' segments can still be earlier than `sinceMs`: the caller filters). Returns the segments read. Throws when
 * `dir` is not a readable directory.
 */
export async function readStore(
  dir: string,
  onEvent: (event: TelemetryEvent) => void,
  onMalformed: (malformed: Malformed) => void,
  sinceMs?: number,
): Promise<string[]> {
  if (!statSync(dir).isDirectory()) throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
  const segments = listSegments(dir, sinceMs);
  for (const path of segments) {
    let line = 0;
    let offset = 0;
    // Split on LF only, so a line's byte length plus one is exactly where the next starts (a CR stays in the text,
    // where JSON.parse reads it as whitespace).
    for await (const text of createReadStream(path).pipe(split2("\n")) as AsyncIterable<string>) {
      line++;
      const at = offset;
      offset += Buffer.byteLength(text) + 1;
      if (text.trim() === "") continue;
      let parsed: ReturnType<typeof telemetryEventSchema.safeParse> | null = null;
      try {
        parsed = telemetryEventSchema.safeParse(JSON.parse(text));
      } catch {
        parsed = null;
      }
      if (parsed?.success) onEvent(parsed.data);
      else onMalformed({ path, line, offset: at, producer: null, reason: "store line is not a valid teletap event" });
    }
  }
  return segments;
}
