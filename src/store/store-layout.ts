import { readdirSync } from "node:fs";
import { join } from "node:path";
import { isoFromMillis } from "../parsers/to-iso-time.js";

/**
 * The local event store the `file` sink writes and `audit --store` reads: one NDJSON segment per UTC day of the
 * event's time, `<dir>/events-YYYY-MM-DD.ndjson`, each line a normalized event.
 */
export const SEGMENT = /^events-(\d{4}-\d{2}-\d{2})\.ndjson$/;

export function segmentPath(dir: string, isoTime: string): string {
  return join(dir, `events-${isoTime.slice(0, 10)}.ndjson`);
}

/**
 * The store's segments, oldest day first; none when the directory does not exist yet. With `sinceMs`, only the days
 * that can hold an event at or after it: a segment holds the events of its own UTC day, so older ones are skipped
 * unread (the scheduled audit reads its period, not the whole store).
 */
export function listSegments(dir: string, sinceMs?: number): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const fromDay = isoFromMillis(sinceMs ?? Number.NaN)?.slice(0, 10) ?? "";
  return names
    .filter((name) => SEGMENT.test(name) && name.slice(7, 17) >= fromDay)
    .sort()
    .map((name) => join(dir, name));
}
