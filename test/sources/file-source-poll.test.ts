import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { inotifyWatches } from "../helpers/inotify-watches.js";
import { range, ticloudLines } from "../helpers/telemetry-lines.js";
import { tmpDir } from "../helpers/tmp-dir.js";
import { assertExactlyOnce, startTail } from "./tail-harness.js";

// No native watch in this mode and a rescan far beyond the test's length: only the poll can notice anything, as on
// a filesystem that sends no change notifications.
const POLL = { watch: "poll", pollIntervalMs: 50, rescanIntervalMs: 600_000 } as const;

test('watch "poll": appends, a new file, a rename rotation and a deletion are all noticed, each line once', async () => {
  const dir = tmpDir();
  mkdirSync(join(dir, "logs"));
  const path = join(dir, "logs", "app.log");
  writeFileSync(path, ticloudLines(0, 20));
  const { source, collector } = await startTail(dir, POLL);
  try {
    await collector.waitForCount(20);
    assert.equal(inotifyWatches(process.pid), 0, "polling holds no inotify watch");
    appendFileSync(path, ticloudLines(20, 30));
    await collector.waitForCount(50);
    writeFileSync(join(dir, "logs", "new.log"), ticloudLines(50, 10));
    await collector.waitForCount(60);
    appendFileSync(path, ticloudLines(60, 5));
    renameSync(path, `${path}.1`);
    writeFileSync(path, ticloudLines(65, 15));
    await collector.waitForCount(80);
    unlinkSync(join(dir, "logs", "new.log"));
    writeFileSync(join(dir, "logs", "new.log"), ticloudLines(80, 5));
    await collector.waitForCount(85);
  } finally {
    await source.stop();
  }
  assertExactlyOnce(collector.seqs(), range(0, 85));
  assert.deepEqual(collector.problems, []);
});

test('watch "poll" follows files in subdirectories a ** glob reaches, created after the start', async () => {
  const dir = tmpDir();
  mkdirSync(join(dir, "logs"));
  const { source, collector } = await startTail(dir, { ...POLL, include: ["logs/**/*.log"] });
  try {
    mkdirSync(join(dir, "logs", "a", "b"), { recursive: true });
    writeFileSync(join(dir, "logs", "a", "b", "deep.log"), ticloudLines(0, 10));
    await collector.waitForCount(10);
    appendFileSync(join(dir, "logs", "a", "b", "deep.log"), ticloudLines(10, 10));
    await collector.waitForCount(20);
  } finally {
    await source.stop();
  }
  assertExactlyOnce(collector.seqs(), range(0, 20));
});

test('watch "poll": a directory that appears after the start (a late mount) is polled from the rescan that finds it', async () => {
  const dir = tmpDir();
  // The rescan finds the directory and its file; the appends after it can only come from the poller it starts.
  const { source, collector } = await startTail(dir, { ...POLL, rescanIntervalMs: 200 });
  try {
    mkdirSync(join(dir, "logs"));
    writeFileSync(join(dir, "logs", "app.log"), ticloudLines(0, 5));
    await collector.waitForCount(5);
    appendFileSync(join(dir, "logs", "app.log"), ticloudLines(5, 5));
    await collector.waitForCount(10);
  } finally {
    await source.stop();
  }
  assertExactlyOnce(collector.seqs(), range(0, 10));
});
