import { readdir, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { TeletapError } from "../errors.js";
import { appendDurably, type DeadLetterEntry, readDeadLetters } from "./dead-letter.js";
import { withDeadLetterLock } from "./dead-letter-lock.js";

// The daemon's compact-dead-letters job holds the lock only while it reads and rewrites the file.
const LOCK_WAIT_MS = 30_000;

/** Runs `work` under the dead-letter lock, or fails saying what holds it. */
async function locked(path: string, work: () => Promise<void>): Promise<void> {
  if ((await withDeadLetterLock(path, LOCK_WAIT_MS, async () => work().then(() => true))) === null) {
    throw new TeletapError(
      "E_STATE",
      `${path}.lock was held for ${LOCK_WAIT_MS / 1000} s (a compaction or another replay running?); if no teletap runs, remove it`,
    );
  }
}

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
  await locked(path, async () => {
    try {
      await rename(path, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  });
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
  await locked(path, () => appendDurably(path, lines.map((line) => `${line}\n`).join("")));
}
