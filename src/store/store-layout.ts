import { readdirSync } from "node:fs";
import { join } from "node:path";

/**
 * The local event store the `file` sink writes and `audit --store` reads: one NDJSON segment per UTC day of the
 * event's time, `<dir>/events-YYYY-MM-DD.ndjson`, each line a normalized event.
 */
export const SEGMENT = /^events-(\d{4}-\d{2}-\d{2})\.ndjson$/;

export function segmentPath(dir: string, isoTime: string): string {
  return join(dir, `events-${isoTime.slice(0, 10)}.ndjson`);
}

/** The store's segments, oldest day first; none when the directory does not exist yet. */
export function listSegments(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => SEGMENT.test(name))
    .sort()
    .map((name) => join(dir, name));
}
