import { mkdir, open, readFile, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { type TelemetryEvent, telemetryEventSchema } from "../events.js";
import { writeDurably } from "../write-durably.js";
import { withDeadLetterLock } from "./dead-letter-lock.js";
import { type DeadLetterLine, mergeDeadLetters } from "./merge-dead-letters.js";

/** One line of the dead-letter file: an event a sink refused for good, and why. */
export interface DeadLetterEntry {
  /** When it was last refused. */
  time: string;
  sink: string;
  status: number | null;
  reason: string;
  /** How many earlier entries for this sink and event a compaction folded into this one; absent when none. */
  merged?: number;
  event: TelemetryEvent;
}

/** What one `DeadLetter.compact` did. */
export interface DeadLetterCompaction {
  /** Entries read, entries folded into a later one for the same sink and event, entries moved to an archive. */
  entries: number;
  merged: number;
  archived: number;
  /** The archive files written to. */
  archives: string[];
  /** Set when the file was left as it was because another process (a replay) changed it meanwhile. */
  skipped?: string;
}

const DAY_MS = 86_400_000;

/**
 * Appends and fsyncs, again while the path no longer leads to the file written: `teletap replay` moves the file
 * aside, reads it and deletes it, and lines written through a descriptor opened just before that move could land
 * after the read. A replay may then see them twice; receivers de-duplicate by event id. A few attempts at most:
 * a filesystem whose inode numbers are not stable must not loop.
 */
export async function appendDurably(path: string, text: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const handle = await open(path, "a");
    let written: { ino: bigint; dev: bigint };
    try {
      await handle.writeFile(text);
      await handle.sync();
      written = await handle.stat({ bigint: true });
    } finally {
      await handle.close();
    }
    const now = await stat(path, { bigint: true }).catch(() => null);
    if (now !== null && now.ino === written.ino && now.dev === written.dev) return;
  }
}

/** The dead-letter file's path under the data directory. */
export const deadLetterPath = (dataDir: string) => `${dataDir}/dead-letter.ndjson`;

/**
 * Appends refused events to the dead-letter NDJSON file, fsynced before it resolves: a dead-lettered event is as
 * durable as a delivered one, which is what lets the pipeline acknowledge it.
 */
export class DeadLetter {
  private chain: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  append(sink: string, events: readonly TelemetryEvent[], reason: string, status?: number): Promise<void> {
    const time = new Date().toISOString();
    const text = events
      .map(
        (event) =>
          `${JSON.stringify({ time, sink, status: status ?? null, reason, event } satisfies DeadLetterEntry)}\n`,
      )
      .join("");
    // Sinks write concurrently; chaining keeps each batch's lines together in the file.
    const write = this.chain.then(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      await appendDurably(this.path, text);
    });
    this.chain = write.catch(() => {});
    return write;
  }

  /**
   * The `compact-dead-letters` job: folds the entries for one sink and event into the latest one, and with
   * `maxAgeDays` moves the entries last refused longer ago to `dead-letter.archive-<day>.ndjson` (never deleted).
   * Runs between two appends, so none lands in the file it rewrites. Archives first, each merged with what it
   * held, then the file is replaced by one rename: a crash at any point leaves every entry in the file or in both,
   * and the next run writes no line twice into an archive.
   */
  compact(maxAgeDays?: number): Promise<DeadLetterCompaction> {
    const run = this.chain.then(() => compactFile(this.path, maxAgeDays));
    this.chain = run.then(
      () => {},
      () => {},
    );
    return run;
  }
}

async function compactFile(path: string, maxAgeDays: number | undefined): Promise<DeadLetterCompaction> {
  const locked = await withDeadLetterLock(path, 0, () => compactLocked(path, maxAgeDays));
  return locked ?? { entries: 0, merged: 0, archived: 0, archives: [], skipped: "a replay holds the dead-letter file" };
}

async function compactLocked(path: string, maxAgeDays: number | undefined): Promise<DeadLetterCompaction> {
  const done: DeadLetterCompaction = { entries: 0, merged: 0, archived: 0, archives: [] };
  let read: { bytes: Buffer; ino: number };
  try {
    const handle = await open(path, "r");
    try {
      read = { bytes: await handle.readFile(), ino: (await handle.stat()).ino };
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return done;
    throw error;
  }
  const lines: DeadLetterLine[] = read.bytes
    .toString("utf8")
    .split("\n")
    .filter((text) => text !== "")
    .map((text) => ({ text, entry: parseDeadLetterLine(text) }));
  done.entries = lines.filter((line) => line.entry).length;
  const merged = mergeDeadLetters(lines, maxAgeDays === undefined ? undefined : Date.now() - maxAgeDays * DAY_MS);
  done.merged = merged.merged;
  done.archived = merged.archived;
  if (merged.merged === 0 && merged.archived === 0) return done;
  const stem = join(dirname(path), basename(path, ".ndjson"));
  for (const [day, archived] of merged.archive) {
    const archive = `${stem}.archive-${day}.ndjson`;
    await appendOnce(archive, archived);
    done.archives.push(archive);
  }
  // Appends of this process wait for this run, and a replay takes the lock before it moves the file or writes
  // back to it; a replay of an older teletap does not. If the file changed anyway, its new lines are not in
  // `read`: leave it, try again next run (the archives hold copies of entries the file still has; none twice).
  const now = await stat(path).catch(() => undefined);
  if (now?.ino !== read.ino || now.size !== read.bytes.length) {
    const skipped = "the dead-letter file changed meanwhile (a replay?); it is compacted on a later run";
    return { ...done, merged: 0, archived: 0, skipped };
  }
  await writeDurably(path, merged.keep.map((line) => `${line}\n`).join(""));
  return done;
}

/** Adds to an archive the lines it does not hold yet, so that a run repeated after a crash writes none twice. */
async function appendOnce(archive: string, lines: readonly string[]): Promise<void> {
  const held = await readFile(archive, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return "";
    throw error;
  });
  const present = new Set(held.split("\n"));
  const fresh = lines.filter((line) => !present.has(line));
  if (fresh.length === 0) return;
  await writeDurably(archive, held + fresh.map((line) => `${line}\n`).join(""));
}

/** An entry, or undefined for a line that is not one (kept as it is, never lost). */
function parseDeadLetterLine(line: string): DeadLetterEntry | undefined {
  try {
    const entry = JSON.parse(line) as DeadLetterEntry;
    // A hand-edited or truncated event is kept as a bad line: sinks serialize only whole events.
    return typeof entry?.sink === "string" && telemetryEventSchema.safeParse(entry.event).success ? entry : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the dead-letter file; a missing file is an empty one. Unreadable lines are returned as `bad`, never lost. */
export async function readDeadLetters(path: string): Promise<{ entries: DeadLetterEntry[]; bad: string[] }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { entries: [], bad: [] };
    throw error;
  }
  const entries: DeadLetterEntry[] = [];
  const bad: string[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const entry = parseDeadLetterLine(line);
    if (entry) entries.push(entry);
    else bad.push(line);
  }
  return { entries, bad };
}
