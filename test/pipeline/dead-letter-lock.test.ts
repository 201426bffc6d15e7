import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { DeadLetter } from "../../src/pipeline/dead-letter.js";
import { withDeadLetterLock } from "../../src/pipeline/dead-letter-lock.js";
import { appendDeadLetterLines } from "../../src/pipeline/take-dead-letters.js";
import { makeEvent } from "../helpers/make-event.js";
import { tmpDir } from "../helpers/tmp-dir.js";

test("while a replay holds the dead-letter lock, compaction leaves the file alone and says why", async () => {
  const path = join(tmpDir(), "dead-letter.ndjson");
  const deadLetter = new DeadLetter(path);
  await deadLetter.append("collector", [makeEvent(1)], "HTTP 400");
  await deadLetter.append("collector", [makeEvent(1)], "HTTP 400 again");
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let entered: () => void = () => {};
  const holding = new Promise<void>((resolve) => {
    entered = resolve;
  });
  const replay = withDeadLetterLock(path, 0, () => {
    entered();
    return held;
  });
  // Taking the lock is asynchronous: on a busy machine the compaction could otherwise come first.
  await holding;
  const during = await deadLetter.compact();
  assert.equal(during.skipped, "a replay holds the dead-letter file");
  assert.equal(during.merged, 0);
  release();
  await replay;
  assert.equal(existsSync(`${path}.lock`), false, "the lock is gone with its holder");
  const after = await deadLetter.compact();
  assert.equal(after.skipped, undefined);
  assert.equal(after.merged, 1);
});

test("a replay writing lines back waits for a compaction under way, so the rewrite cannot drop them", async () => {
  const path = join(tmpDir(), "dead-letter.ndjson");
  let release: () => void = () => {};
  let entered: () => void = () => {};
  const underWay = new Promise<void>((resolve) => {
    entered = resolve;
  });
  const compaction = withDeadLetterLock(
    path,
    0,
    () =>
      new Promise<void>((resolve) => {
        release = resolve;
        entered();
      }),
  );
  // Taking the lock is asynchronous: on a busy machine the write-back could otherwise come first.
  await underWay;
  let written = false;
  const writeBack = appendDeadLetterLines(path, ['{"kept":1}']).then(() => {
    written = true;
  });
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(written, false, "the write-back waited for the lock");
  release();
  await compaction;
  await writeBack;
  assert.equal(written, true);
});

test("a lock left by a process that died is taken over", async () => {
  const path = join(tmpDir(), "dead-letter.ndjson");
  // The pid of a process that has exited.
  const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString();
  writeFileSync(`${path}.lock`, gone);
  assert.equal(await withDeadLetterLock(path, 1_000, async () => "ran"), "ran");
  writeFileSync(`${path}.lock`, String(process.pid));
  assert.equal(await withDeadLetterLock(path, 50, async () => "ran"), null, "a live holder's lock is respected");
});
