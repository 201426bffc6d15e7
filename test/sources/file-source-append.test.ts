import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { range, ticloudLine, ticloudLines } from "../helpers/telemetry-lines.js";
import { tmpDir } from "../helpers/tmp-dir.js";
import { assertExactlyOnce, startTail } from "./tail-harness.js";

function logsDir(): { dir: string; logs: string } {
  const dir = tmpDir();
  const logs = join(dir, "logs");
  mkdirSync(logs);
  return { dir, logs };
}

test("reads every line appended to a file, in several writes", async () => {
  const { dir, logs } = logsDir();
  writeFileSync(join(logs, "app.log"), ticloudLines(0, 10));
  const { source, collector } = await startTail(dir);
  try {
    await collector.waitForCount(10);
    for (let from = 10; from < 100; from += 10) appendFileSync(join(logs, "app.log"), ticloudLines(from, 10));
    await collector.waitForCount(100);
  } finally {
    await source.stop();
  }
  assertExactlyOnce(collector.seqs(), range(0, 100));
  assert.deepEqual(collector.problems, []);
});

test("reads a file created while running from its first byte", async () => {
  const { dir, logs } = logsDir();
  const { source, collector } = await startTail(dir, { readFrom: "end" });
  try {
    writeFileSync(join(logs, "new.log"), ticloudLines(0, 20));
    await collector.waitForCount(20);
  } finally {
    await source.stop();
  }
  assertExactlyOnce(collector.seqs(), range(0, 20));
});

test("reads a 0-byte and a 10-byte file as they grow", async () => {
  const { dir, logs } = logsDir();
  writeFileSync(join(logs, "empty.log"), "");
  writeFileSync(join(logs, "small.log"), "0123456789");
  const { source, collector } = await startTail(dir);
  try {
    appendFileSync(join(logs, "empty.log"), ticloudLines(0, 5));
    appendFileSync(join(logs, "small.log"), `\n${ticloudLines(100, 5)}`);
    await collector.waitForCount(5, "empty.log");
    await collector.waitForCount(5, "small.log");
    appendFileSync(join(logs, "empty.log"), ticloudLines(5, 5));
    appendFileSync(join(logs, "small.log"), ticloudLines(105, 5));
    await collector.waitForCount(10, "empty.log");
    await collector.waitForCount(10, "small.log");
  } finally {
    await source.stop();
  }
  assertExactlyOnce(collector.seqs("empty.log"), range(0, 10));
  assertExactlyOnce(collector.seqs("small.log"), range(100, 110));
});

test("emits a line split across two writes once, whole", async () => {
  const { dir, logs } = logsDir();
  const path = join(logs, "app.log");
  writeFileSync(path, ticloudLines(0, 1));
  const { source, collector } = await startTail(dir);
  try {
    await collector.waitForCount(1);
    const line = `${ticloudLine(1)}\n`;
    appendFileSync(path, line.slice(0, 40));
    // Whatever the tailer read of the first half, the second half completes one line.
    await collector.waitForCount(1);
    appendFileSync(path, line.slice(40));
    await collector.waitForCount(2);
  } finally {
    await source.stop();
  }
  assertExactlyOnce(collector.seqs(), [0, 1]);
  assert.deepEqual(collector.problems, []);
});

test("readFrom end skips what existing files hold at the first start, beginning reads it", async () => {
  for (const readFrom of ["end", "beginning"] as const) {
    const { dir, logs } = logsDir();
    writeFileSync(join(logs, "app.log"), `${ticloudLines(0, 10)}partial line being written`);
    const { source, collector } = await startTail(dir, { readFrom });
    try {
      appendFileSync(join(logs, "app.log"), `\n${ticloudLines(10, 10)}`);
      await collector.waitForCount(readFrom === "end" ? 10 : 20);
    } finally {
      await source.stop();
    }
    assertExactlyOnce(collector.seqs(), range(readFrom === "end" ? 10 : 0, 20));
  }
});

test("reads files in directories created while running under a ** glob", async () => {
  const { dir, logs } = logsDir();
  const { source, collector } = await startTail(dir, { include: ["logs/**/*.log"] });
  try {
    // Written before any watch on the new directories can exist: the walk of a new directory finds it.
    mkdirSync(join(logs, "a", "b"), { recursive: true });
    writeFileSync(join(logs, "a", "b", "deep.log"), ticloudLines(0, 10));
    await collector.waitForCount(10);
    appendFileSync(join(logs, "a", "b", "deep.log"), ticloudLines(10, 10));
    writeFileSync(join(logs, "a", "shallow.log"), ticloudLines(20, 10));
    await collector.waitForCount(30);
  } finally {
    await source.stop();
  }
  assertExactlyOnce(collector.seqs(), range(0, 30));
});

test("watches a base directory that only appears after the start", async () => {
  const dir = tmpDir();
  const { source, collector } = await startTail(dir, { include: ["later/*.log"], rescanIntervalMs: 100 });
  try {
    mkdirSync(join(dir, "later"));
    writeFileSync(join(dir, "later", "app.log"), ticloudLines(0, 10));
    await collector.waitForCount(10);
    appendFileSync(join(dir, "later", "app.log"), ticloudLines(10, 10));
    await collector.waitForCount(20);
  } finally {
    await source.stop();
  }
  assertExactlyOnce(collector.seqs(), range(0, 20));
});
