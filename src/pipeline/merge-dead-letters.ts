import type { DeadLetterEntry } from "./dead-letter.js";

/** One line of the dead-letter file, with its entry when it is one. */
export interface DeadLetterLine {
  text: string;
  entry?: DeadLetterEntry;
}

/** The dead-letter file's lines after a compaction. */
export interface MergedDeadLetters {
  /** What stays in the dead-letter file, in the file's order; lines that are no entry stay where they were. */
  keep: string[];
  /** What moves to the archive, by the UTC day (YYYY-MM-DD) the entry was last dead-lettered. */
  archive: Map<string, string[]>;
  /** Entries folded into a later one for the same sink and event. */
  merged: number;
  archived: number;
}

/**
 * Folds the entries for one sink and event into the latest one (by `time`, then by place in the file), which
 * keeps its reason and status and counts the others in `merged`; then, when `archiveBefore` (ms since the epoch)
 * is given, sets apart the entries last dead-lettered before it.
 */
export function mergeDeadLetters(lines: readonly DeadLetterLine[], archiveBefore?: number): MergedDeadLetters {
  const keyOf = (entry: DeadLetterEntry) => `${entry.sink}\n${entry.event.id}`;
  const latest = new Map<string, { index: number; entry: DeadLetterEntry; merged: number }>();
  lines.forEach(({ entry }, index) => {
    if (!entry) return;
    const key = keyOf(entry);
    const seen = latest.get(key);
    const merged = entry.merged ?? 0;
    if (!seen) latest.set(key, { index, entry, merged });
    else if (entry.time >= seen.entry.time) latest.set(key, { index, entry, merged: seen.merged + merged + 1 });
    else seen.merged += merged + 1;
  });
  const result: MergedDeadLetters = { keep: [], archive: new Map(), merged: 0, archived: 0 };
  lines.forEach(({ text, entry }, index) => {
    if (!entry) {
      result.keep.push(text);
      return;
    }
    const winner = latest.get(keyOf(entry));
    if (winner?.index !== index) {
      result.merged++;
      return;
    }
    const line =
      winner.merged === (entry.merged ?? 0)
        ? text
        : JSON.stringify({
            time: entry.time,
            sink: entry.sink,
            status: entry.status,
            reason: entry.reason,
            merged: winner.merged,
            event: entry.event,
          } satisfies DeadLetterEntry);
    const at = Date.parse(entry.time);
    if (archiveBefore === undefined || !(at < archiveBefore)) {
      result.keep.push(line);
      return;
    }
    const day = new Date(at).toISOString().slice(0, 10);
    const bucket = result.archive.get(day) ?? [];
    if (bucket.length === 0) result.archive.set(day, bucket);
    bucket.push(line);
    result.archived++;
  });
  return result;
}
