import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DeadLetter, type DeadLetterEntry, readDeadLetters } from "../../src/pipeline/dead-letter.js";
import { makeEvent } from "../helpers/make-event.js";
import { tmpDir } from "../helpers/tmp-dir.js";

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

function entry(seq: number, time: string, more: Partial<DeadLetterEntry> = {}): DeadLetterEntry {
  return { time, sink: "collector", status: 400, reason: `HTTP 400 at ${time}`, event: makeEvent(seq), ...more };
}

/** An entry as a compaction writes it when it folded others into it: `merged` before the event. */
const withMerged = ({ event, ...rest }: DeadLetterEntry, merged: number): DeadLetterEntry => ({
  ...rest,
  merged,
  event,
});

const lineOf = (value: DeadLetterEntry | string) => (typeof value === "string" ? value : JSON.stringify(value));

function writeLines(path: string, lines: readonly (DeadLetterEntry | string)[]): void {
  writeFileSync(path, lines.map((line) => `${lineOf(line)}\n`).join(""));
}

const readLines = (path: string) => readFileSync(path, "utf8").split("\n").filter(Boolean);

/** Every entry in the dead-letter file and its archives, as `sink/seq@time`: what must never go missing. */
function everything(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.startsWith("dead-letter.") && name.endsWith(".ndjson"))
    .flatMap((name) => readLines(join(dir, name)))
    .map((line) => JSON.parse(line) as DeadLetterEntry)
    .map((value) => `${value.sink}/${(value.event.attributes as { seq: number }).seq}@${value.time}`)
    .sort();
}

describe("dead-letter compaction", () => {
  it("folds the entries for one sink and event into the latest, counting the others, and keeps the rest in place", async () => {
    const dir = tmpDir();
    const path = join(dir, "dead-letter.ndjson");
    const [t1, t2, t3] = [daysAgo(3), daysAgo(2), daysAgo(1)];
    const latestOf1 = entry(1, t3, { status: 422, reason: "HTTP 422: field removed" });
    const earlierOf2 = entry(2, t2, { merged: 2 });
    writeLines(path, [
      entry(1, t1),
      entry(2, t1),
      "not an entry {",
      latestOf1,
      entry(1, t2, { sink: "backup" }),
      earlierOf2,
      // Written back unchanged by a replay whose sink was unavailable: later in the file, but older.
      entry(1, t2),
    ]);
    const done = await new DeadLetter(path).compact();
    assert.deepEqual(done, { entries: 6, merged: 3, archived: 0, archives: [] });
    assert.deepEqual(readLines(path), [
      "not an entry {",
      lineOf(withMerged(latestOf1, 2)),
      lineOf(entry(1, t2, { sink: "backup" })),
      lineOf(withMerged(earlierOf2, 3)),
    ]);
    const { entries, bad } = await readDeadLetters(path);
    assert.deepEqual(
      entries.map((value) => [value.sink, value.reason, value.merged]),
      [
        ["collector", "HTTP 422: field removed", 2],
        ["backup", `HTTP 400 at ${t2}`, undefined],
        ["collector", `HTTP 400 at ${t2}`, 3],
      ],
    );
    assert.deepEqual(bad, ["not an entry {"]);
  });

  it("moves entries older than maxAgeDays to an archive per day last refused, deleting nothing", async () => {
    const dir = tmpDir();
    const path = join(dir, "dead-letter.ndjson");
    const old = [entry(1, daysAgo(40)), entry(2, daysAgo(40)), entry(3, daysAgo(35))];
    const recent = [entry(4, daysAgo(1)), entry(5, daysAgo(29))];
    // An old first refusal refused again lately stays: its age is that of its latest refusal.
    const refusedAgain = [entry(6, daysAgo(60)), entry(6, daysAgo(2))];
    writeLines(path, [...old, recent[0] as DeadLetterEntry, ...refusedAgain, recent[1] as DeadLetterEntry]);
    const done = await new DeadLetter(path).compact(30);
    const day = (value: DeadLetterEntry) => value.time.slice(0, 10);
    const archives = [...new Set(old.map(day))].map((d) => join(dir, `dead-letter.archive-${d}.ndjson`)).sort();
    assert.deepEqual(
      { ...done, archives: [...done.archives].sort() },
      { entries: 7, merged: 1, archived: 3, archives },
    );
    assert.deepEqual(readLines(archives[0] ?? ""), [
      lineOf(old[0] as DeadLetterEntry),
      lineOf(old[1] as DeadLetterEntry),
    ]);
    assert.deepEqual(readLines(archives[1] ?? ""), [lineOf(old[2] as DeadLetterEntry)]);
    assert.deepEqual(readLines(path), [
      lineOf(recent[0] as DeadLetterEntry),
      lineOf(withMerged(refusedAgain[1] as DeadLetterEntry, 1)),
      lineOf(recent[1] as DeadLetterEntry),
    ]);
  });

  it("runs between two appends: those before it are compacted, those after it go to the new file, none lost", async () => {
    const dir = tmpDir();
    const path = join(dir, "dead-letter.ndjson");
    writeLines(
      path,
      Array.from({ length: 20_000 }, (_, index) => entry(index % 10_000, daysAgo(index < 10_000 ? 50 : 1))),
    );
    const deadLetter = new DeadLetter(path);
    // Sinks refusing batches around it: appends before it are in what it reads, appends after it wait for the
    // rewrite rather than going to the file it replaces.
    const refuse = (from: number) =>
      Array.from({ length: 25 }, (_, index) => deadLetter.append("collector", [makeEvent(from + index)], "HTTP 400"));
    const before = refuse(50_000);
    const compaction = deadLetter.compact(30);
    const after = refuse(50_025);
    const [done] = await Promise.all([compaction, ...before, ...after]);
    assert.deepEqual(done, { entries: 20_025, merged: 10_000, archived: 0, archives: [] });
    const kept = (await readDeadLetters(path)).entries.map((value) => (value.event.attributes as { seq: number }).seq);
    assert.deepEqual(kept, [
      ...Array.from({ length: 10_000 }, (_, index) => index),
      ...Array.from({ length: 50 }, (_, index) => 50_000 + index),
    ]);
  });

  it("after a crash between writing the archive and replacing the file, the next run archives no line twice", async () => {
    const dir = tmpDir();
    const path = join(dir, "dead-letter.ndjson");
    const old = daysAgo(40);
    const lines = [entry(1, old), entry(1, old), entry(2, old), entry(3, daysAgo(1))];
    writeLines(path, lines);
    const before = everything(dir);
    await new DeadLetter(path).compact(30);
    // The archive was written, the process died before the rename: the file is as it was, and a temp file lies
    // beside it.
    writeLines(path, lines);
    writeFileSync(`${path}.tmp`, "half a compaction");
    const archiveName = `dead-letter.archive-${old.slice(0, 10)}.ndjson`;
    const archive = join(dir, archiveName);
    const archived = readFileSync(archive, "utf8");

    const done = await new DeadLetter(path).compact(30);
    assert.equal(done.archived, 2);
    assert.equal(readFileSync(archive, "utf8"), archived, "the archive holds each entry once");
    assert.deepEqual(readLines(path), [lineOf(lines[3] as DeadLetterEntry)]);
    assert.deepEqual(readdirSync(dir).sort(), [archiveName, "dead-letter.ndjson"]);
    assert.deepEqual(
      everything(dir),
      before.filter((value, index) => before.indexOf(value) === index),
      "each entry once, in the file or its archive",
    );
  });

  it("leaves a file with nothing to fold or archive untouched, and a missing file missing", async () => {
    const dir = tmpDir();
    const path = join(dir, "dead-letter.ndjson");
    assert.deepEqual(await new DeadLetter(path).compact(30), { entries: 0, merged: 0, archived: 0, archives: [] });
    assert.deepEqual(readdirSync(dir), []);
    writeLines(path, [entry(1, daysAgo(1)), entry(2, daysAgo(2))]);
    const text = readFileSync(path, "utf8");
    assert.deepEqual(await new DeadLetter(path).compact(30), { entries: 2, merged: 0, archived: 0, archives: [] });
    assert.equal(readFileSync(path, "utf8"), text);
  });
});

describe("reading dead letters", () => {
  it("keeps an entry whose event is not a whole normalized event as a bad line, never sending it", async () => {
    const dir = tmpDir();
    const path = join(dir, "dead-letter.ndjson");
    const { log: _log, source: _source, ...cut } = makeEvent(7);
    const broken = JSON.stringify({ ...entry(7, daysAgo(0)), event: cut });
    writeLines(path, [entry(1, daysAgo(0)), broken]);
    const read = await readDeadLetters(path);
    assert.deepEqual(
      read.entries.map((e) => (e.event.attributes as { seq: number }).seq),
      [1],
    );
    assert.deepEqual(read.bad, [broken]);
  });
});
