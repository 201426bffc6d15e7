import assert from "node:assert/strict";
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Metrics } from "../../src/server/metrics.js";
import { range, ticloudLine, ticloudLines } from "../helpers/telemetry-lines.js";
import { tmpDir } from "../helpers/tmp-dir.js";
import { assertExactlyOnce, Collector, startTail, waitUntil } from "./tail-harness.js";

function logsDir(): { dir: string; logs: string } {
  const dir = tmpDir();
  const logs = join(dir, "logs");
  mkdirSync(logs);
  return { dir, logs };
}

const openFiles = (metrics: Metrics) => metrics.get("teletap_open_files", { source: "test" });

/** Remembers the highest open-files figure ever reported, not only the last. */
class PeakMetrics extends Metrics {
  peakOpenFiles = 0;

  override set(name: string, help: string, labels: Record<string, string>, value: number): void {
    if (name === "teletap_open_files") this.peakOpenFiles = Math.max(this.peakOpenFiles, value);
    super.set(name, help, labels, value);
  }
}

test("holds at most maxOpenFiles descriptors and still reads every file", async () => {
  const { dir, logs } = logsDir();
  const names = range(0, 6).map((n) => `f${n}.log`);
  for (const [n, name] of names.entries()) writeFileSync(join(logs, name), ticloudLines(n * 1000, 10));
  const metrics = new PeakMetrics();
  const { source, collector } = await startTail(dir, { maxOpenFiles: 2 }, { metrics });
  try {
    await collector.waitForCount(60);
    for (const [n, name] of names.entries()) appendFileSync(join(logs, name), ticloudLines(n * 1000 + 10, 10));
    await collector.waitForCount(120);
  } finally {
    await source.stop();
  }
  for (const [n, name] of names.entries()) assertExactlyOnce(collector.seqs(name), range(n * 1000, n * 1000 + 20));
  assert.equal(metrics.peakOpenFiles, 2);
});

test("closes a file left idle and reopens it when it changes", async () => {
  const { dir, logs } = logsDir();
  writeFileSync(join(logs, "app.log"), ticloudLines(0, 10));
  const metrics = new Metrics();
  const { source, collector } = await startTail(dir, { idleCloseMs: 50, rescanIntervalMs: 100 }, { metrics });
  try {
    await collector.waitForCount(10);
    await waitUntil(
      () => openFiles(metrics) === 0,
      () => "the idle file to be closed",
    );
    appendFileSync(join(logs, "app.log"), ticloudLines(10, 10));
    await collector.waitForCount(20);
  } finally {
    await source.stop();
  }
  assertExactlyOnce(collector.seqs(), range(0, 20));
});

test("a busy file gets one read budget per turn, so a quiet file is not starved", async () => {
  const { dir, logs } = logsDir();
  writeFileSync(join(logs, "a-busy.log"), ticloudLines(0, 2000));
  writeFileSync(join(logs, "b-quiet.log"), ticloudLines(5000, 1));
  const collector = new Collector();
  collector.delayMs = 1;
  const { source } = await startTail(dir, { readBudgetBytes: 4096 }, { collector });
  try {
    await collector.waitForCount(2001);
  } finally {
    await source.stop();
  }
  const seqs = collector.seqs();
  assert.ok(seqs.indexOf(5000) < seqs.indexOf(1999), "the quiet file waited for the whole busy file");
  assertExactlyOnce(seqs, [...range(0, 2000), 5000]);
});

test("reports a malformed telemetry line with its file and line, and counts it", async () => {
  const { dir, logs } = logsDir();
  const broken = ticloudLine(1).replace('"}}', "");
  writeFileSync(join(logs, "app.log"), `${ticloudLine(0)}\n${broken}\n${ticloudLine(2)}\n`);
  const metrics = new Metrics();
  const { source, collector } = await startTail(dir, {}, { metrics });
  try {
    await collector.waitForCount(2);
    await waitUntil(
      () => collector.problems.length > 0,
      () => "the malformed line to be reported",
    );
  } finally {
    await source.stop();
  }
  assert.equal(collector.problems.length, 1);
  assert.ok(collector.problems[0]?.startsWith(`${join(logs, "app.log")}:2: `), collector.problems[0]);
  assert.equal(metrics.get("teletap_malformed_lines_total", { source: "test", producer: "ticloud" }), 1);
  assertExactlyOnce(collector.seqs(), [0, 2]);
});

test("follows an explicit path like tail -f, writing no checkpoint", async () => {
  const { dir, logs } = logsDir();
  const path = join(logs, "app.log");
  writeFileSync(path, ticloudLines(0, 10));
  const { source, collector } = await startTail(dir, { include: [path], readFrom: "end" }, { checkpoint: null });
  try {
    appendFileSync(path, ticloudLines(10, 10));
    await collector.waitForCount(10);
  } finally {
    await source.stop();
  }
  assertExactlyOnce(collector.seqs(), range(10, 20));
  assert.equal(existsSync(join(dir, "checkpoint.json")), false);
});

test("never reads a file an exclude glob matches", async () => {
  const { dir, logs } = logsDir();
  writeFileSync(join(logs, "skip-me.log"), ticloudLines(100, 10));
  writeFileSync(join(logs, "app.log"), ticloudLines(0, 10));
  const { source, collector } = await startTail(dir, { exclude: ["logs/skip-*.log"] });
  try {
    await collector.waitForCount(10);
    appendFileSync(join(logs, "skip-me.log"), ticloudLines(110, 10));
    appendFileSync(join(logs, "app.log"), ticloudLines(10, 10));
    await collector.waitForCount(20);
  } finally {
    await source.stop();
  }
  assertExactlyOnce(collector.seqs(), range(0, 20));
});
