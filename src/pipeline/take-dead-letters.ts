import { readdir, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { appendDurably, type DeadLetterEntry, readDeadLetters } from "./dead-letter.js";

/** Dead letters taken out of the file for a replay; `release()` deletes them once they are handled. */
export interface TakenDeadLetters {
  entries: DeadLetterEntry[];
  /** Lines that were not dead-letter entries; kept, never discarded. */
  bad: string[];
  release(): Promise<void>;
}

/**
 * Moves the dead-letter file aside (`dead-letter.replaying-<time>.ndjson`) so a running daemon can keep appending
 * to a fresh one while the replay reads this one; files left by an interrupted replay are taken too, so nothing
 * is lost if a replay dies half-way.
 */
export async function takeDeadLetters(path: string): Promise<TakenDeadLetters> {
  const dir = dirname(path);
  const stem = basename(path, ".ndjson");
  const aside = join(dir, `${stem}.replaying-${Date.now()}.ndjson`);
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  let names: string[] = [];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const files = names
    .filter((name) => name.startsWith(`${stem}.replaying-`) && name.endsWith(".ndjson"))
    .sort()
    .map((name) => join(dir, name));
  const entries: DeadLetterEntry[] = [];
  const bad: string[] = [];
  for (const file of files) {
    const read = await readDeadLetters(file);
    entries.push(...read.entries);
    bad.push(...read.bad);
  }
  return {
    entries,
    bad,
    release: async () => {
      for (const file of files) await unlink(file);
    },
  };
}

/** Appends lines to the dead-letter file unchanged (entries a replay did not take, or could not deliver). */
export async function appendDeadLetterLines(path: string, lines: readonly string[]): Promise<void> {
  if (lines.length === 0) return;
  await appendDurably(path, lines.map((line) => `${line}\n`).join(""));
}
