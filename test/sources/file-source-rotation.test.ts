import assert from "node:assert/strict";
import {
  appendFileSync,
  closeSync,
  copyFileSync,
  mkdirSync,
  openSync,
  renameSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Metrics } from "../../src/server/metrics.js";
import { range, ticloudLines } from "../helpers/telemetry-lines.js";
import { tmpDir } from "../helpers/tmp-dir.js";
import { assertExactlyOnce, Collector, startTail } from "./tail-harness.js";

function logsDir(): { dir: string; path: string } {
  const dir = tmpDir();
  mkdirSync(join(dir, "logs"));
  return { dir, path: join(dir, "logs", "app.log") };
}

test("rename rotation with a slow consumer: the old file is read to its end, late writes included", async () => {
  const { dir, path } = logsDir();
  const collector = new Collector();
  collector.delayMs = 20;
  let fd = openSync(path, "a");
  writeSync(fd, ticloudLines(0, 100));
  const { source } = await startTail(dir, { rotateWaitMs: 1_000, readBudgetBytes: 4096 }, { collector });
  try {
    let next = 100;
    for (let rotation = 1; rotation <= 3; rotation++) {
      writeSync(fd, ticloudLines(next, 50));
      renameSync(path, `${path}.${rotation}`);
      // The writer has not reopened yet: these land in the renamed file, which the glob does not match.
      writeSync(fd, ticloudLines(next + 50, 10));
      closeSync(fd);
      fd = openSync(path, "a");
      writeSync(fd, ticloudLines(next + 60, 200));
      // A file renamed away before the tailer ever saw it cannot be found by any tailer: let it be seen first.
      await collector.waitForSeq(next + 60);
      next += 260;
    }
    closeSync(fd);
    await collector.waitForCount(next);
    assertExactlyOnce(collector.seqs(), range(0, next));
  } finally {
    await source.stop();
  }
  assert.deepEqual(collector.problems, []);
});

test("a rotated file the glob still matches is followed under its new name, not read twice", async () => {
  const { dir, path } = logsDir();
  writeFileSync(path, ticloudLines(0, 20));
  const { source, collector } = await startTail(dir, { include: ["logs/*.log*"] });
  try {
    await collector.waitForCount(20);
    renameSync(path, `${path}.1`);
    appendFileSync(`${path}.1`, ticloudLines(20, 10));
    writeFileSync(path, ticloudLines(30, 10));
    await collector.waitForCount(40);
  } finally {
    await source.stop();
  }
  assertExactlyOnce(collector.seqs(), range(0, 40));
});

test("copytruncate: the lines after the truncation are read from the start of the new content", async () => {
  const { dir, path } = logsDir();
  writeFileSync(path, ticloudLines(0, 200));
  const { source, collector } = await startTail(dir);
  try {
    // What copytruncate loses by design is what was written between the copy and the truncate, unread.
    await collector.waitForCount(200);
    copyFileSync(path, `${path}.1`);
    truncateSync(path, 0);
    appendFileSync(path, ticloudLines(200, 20));
    await collector.waitForCount(220);
  } finally {
    await source.stop();
  }
  assertExactlyOnce(collector.seqs(), range(0, 220));
});

test("a file truncated and rewritten past the old offset is read again from byte 0", async () => {
  const { dir, path } = logsDir();
  writeFileSync(path, ticloudLines(0, 10));
  const { source, collector } = await startTail(dir);
  try {
    await collector.waitForCount(10);
    // Same inode, longer than before, different content: only the first bytes tell.
    writeFileSync(path, ticloudLines(1000, 30));
    await collector.waitForCount(40);
  } finally {
    await source.stop();
  }
  assertExactlyOnce(collector.seqs(), [...range(0, 10), ...range(1000, 1030)]);
});

test("a deleted file is let go and a new file at the same path is read from byte 0", async () => {
  const { dir, path } = logsDir();
  writeFileSync(path, ticloudLines(0, 10));
  const { source, collector } = await startTail(dir);
  try {
    await collector.waitForCount(10);
    unlinkSync(path);
    writeFileSync(path, ticloudLines(10, 10));
    await collector.waitForCount(20);
    unlinkSync(path);
    await collector.waitForCount(20);
    writeFileSync(path, ticloudLines(20, 10));
    await collector.waitForCount(30);
  } finally {
    await source.stop();
  }
  assertExactlyOnce(collector.seqs(), range(0, 30));
  assert.deepEqual(collector.problems, []);
});

test("the lag gauge follows a file renamed to a name the glob matches", async () => {
  const { dir, path } = logsDir();
  writeFileSync(path, ticloudLines(0, 5));
  const metrics = new Metrics();
  const { source, collector } = await startTail(dir, { include: ["logs/*.log*"] }, { metrics });
  try {
    await collector.waitForCount(5);
    renameSync(path, `${path}.1`);
    appendFileSync(`${path}.1`, ticloudLines(5, 5));
    await collector.waitForCount(10);
  } finally {
    await source.stop();
  }
  const lagPaths = metrics
    .render()
    .split("\n")
    .filter((line) => line.startsWith("teletap_file_lag_bytes{"));
  assert.equal(lagPaths.length, 1, lagPaths.join("\n"));
  assert.ok(lagPaths[0]?.includes(`path="${path}.1"`), lagPaths[0]);
});
