import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import type { TelemetryEvent } from "../../src/events.js";
import { Metrics } from "../../src/server/metrics.js";
import { fileKey, fingerprintAt } from "../../src/sources/file/file-fingerprint.js";
import { scanInput } from "../../src/sources/scan-input.js";
import { range, seqOf, ticloudLines } from "../helpers/telemetry-lines.js";
import { tmpDir } from "../helpers/tmp-dir.js";
import { powershellLines, type Utf16, utf16, utf16File } from "../helpers/utf16.js";
import { assertExactlyOnce, type Collector, startTail, waitUntil } from "./tail-harness.js";

function logsDir(): { dir: string; logs: string } {
  const dir = tmpDir();
  const logs = join(dir, "logs");
  mkdirSync(logs);
  return { dir, logs };
}

/** What `teletap grep` reports for the file now: the events, offsets and line numbers the tailer must match. */
async function grepEvents(path: string): Promise<TelemetryEvent[]> {
  const events: TelemetryEvent[] = [];
  await scanInput({ kind: "file", path }, { onEvent: (event) => events.push(event), onMalformed: () => {} });
  return events;
}

const bySeq = (events: TelemetryEvent[]) => [...events].sort((a, b) => seqOf(a) - seqOf(b));

/** Waits until a read turn saw the file at `size` bytes: read up to it, or holding back what it cannot read yet. */
function waitForTurnAt(metrics: Metrics, size: number): Promise<void> {
  const seen = () =>
    metrics.get("teletap_read_bytes_total", { source: "test" }) +
    metrics.series("teletap_file_lag_bytes").reduce((sum, series) => sum + series.value, 0);
  return waitUntil(
    () => seen() === size,
    () => `a read turn at ${size} bytes (saw ${seen()})`,
  );
}

/**
 * Where to cut a UTF-16 file's bytes so that reads end in the middle of the BOM, of code units, of surrogate
 * pairs, of the two bytes of an LF, and of lines.
 */
function awkwardCuts(bytes: Buffer, text: string): number[] {
  const cuts = new Set([1]);
  const units = `\uFEFF${text}`;
  for (let i = 0; i < units.length; i++) {
    const at = 2 * i;
    if (/[\uD800-\uDBFF]/.test(units[i] as string)) for (const cut of [at + 1, at + 2, at + 3]) cuts.add(cut);
    if (units[i] === "\n" || i % 211 === 0) cuts.add(at + 1);
  }
  return [...cuts, bytes.length].filter((cut) => cut > 0 && cut <= bytes.length).sort((a, b) => a - b);
}

async function stopAfter(run: { source: { stop(): Promise<void> }; collector: Collector }, count: number) {
  await run.collector.waitForCount(count);
  await run.source.stop();
  assert.deepEqual(run.collector.problems, []);
}

for (const encoding of ["utf-16le", "utf-16be"] as Utf16[]) {
  const name = encoding.toUpperCase();

  test(`reads a ${name} file written in pieces that split its BOM, code units, surrogate pairs and lines, with grep's offsets`, async () => {
    const { dir, logs } = logsDir();
    const path = join(logs, "powershell.log");
    const text = powershellLines(0, 12);
    const bytes = utf16File(text, encoding);
    const metrics = new Metrics();
    const { source, collector } = await startTail(dir, {}, { metrics });
    try {
      // Created empty first, as `>` does, and seen so before a byte is written.
      writeFileSync(path, "");
      await waitUntil(
        () => metrics.series("teletap_file_lag_bytes").length === 1,
        () => "a read turn on the empty file",
      );
      let written = 0;
      for (const cut of awkwardCuts(bytes, text)) {
        appendFileSync(path, bytes.subarray(written, cut));
        written = cut;
        await waitForTurnAt(metrics, cut);
      }
      await collector.waitForCount(12);
    } finally {
      await source.stop();
    }
    assert.deepEqual(collector.problems, []);
    assertExactlyOnce(collector.seqs(), range(0, 12));
    assert.deepEqual(collector.events, await grepEvents(path));
  });

  test(`${name}: restarts with half a code unit and half a surrogate pair on disk lose nothing and repeat nothing`, async () => {
    const { dir, logs } = logsDir();
    const path = join(logs, "powershell.log");
    const whole = utf16File(powershellLines(0, 30), encoding);
    const telemetryLine = (seq: number) => whole.indexOf(utf16(`seq-${seq}`, encoding));
    const emojiAfter = (from: number) => whole.indexOf(utf16("😀", encoding), from);
    // First stop: inside telemetry line 10, after half a code unit. Second: between the halves of a surrogate
    // pair plus half a code unit, a line after telemetry line 20.
    const firstCut = telemetryLine(10) + 1;
    const secondCut = emojiAfter(telemetryLine(20)) + 3;
    assert.equal(firstCut % 2, 1);
    assert.equal(secondCut % 2, 1);

    writeFileSync(path, whole.subarray(0, firstCut));
    const metrics = new Metrics();
    const first = await startTail(dir, {}, { metrics });
    await waitForTurnAt(metrics, firstCut);
    await stopAfter(first, 10);

    appendFileSync(path, whole.subarray(firstCut, secondCut));
    const secondMetrics = new Metrics();
    const second = await startTail(dir, {}, { metrics: secondMetrics });
    await waitForTurnAt(secondMetrics, secondCut - lineStartBefore(whole, firstCut, encoding));
    await stopAfter(second, 11);

    appendFileSync(path, whole.subarray(secondCut));
    const third = await startTail(dir);
    await stopAfter(third, 9);

    const events = [first, second, third].flatMap((run) => run.collector.events);
    assertExactlyOnce(events.map(seqOf), range(0, 30));
    assert.deepEqual(bySeq(events), await grepEvents(path));
    const [checkpoint] = JSON.parse(readFileSync(join(dir, "checkpoint.json"), "utf8")).files;
    // In the file's own bytes (BOM included), where a restart resumes: after the last line.
    assert.equal(checkpoint.offset, whole.length);
    assert.equal(checkpoint.line, 30 * 3 + 1);
  });
}

/** The file offset of the start of the line holding byte `at`, to know where a restart reads from. */
function lineStartBefore(bytes: Buffer, at: number, encoding: Utf16): number {
  const lf = utf16("\n", encoding);
  for (let from = at - (at % 2) - 2; from >= 2; from -= 2)
    if (bytes.subarray(from, from + 2).equals(lf)) return from + 2;
  return 0;
}

test("readFrom end on a UTF-16 file skips what it holds and reads what is appended, with grep's line numbers", async () => {
  const { dir, logs } = logsDir();
  const path = join(logs, "powershell.log");
  writeFileSync(path, utf16File(powershellLines(0, 10), "utf-16le"));
  const { source, collector } = await startTail(dir, { readFrom: "end" });
  try {
    appendFileSync(path, utf16(powershellLines(10, 10), "utf-16le"));
    await collector.waitForCount(10);
  } finally {
    await source.stop();
  }
  assert.deepEqual(collector.problems, []);
  assertExactlyOnce(collector.seqs(), range(10, 20));
  assert.deepEqual(
    collector.events,
    (await grepEvents(path)).filter((event) => seqOf(event) >= 10),
  );
});

test("a UTF-16 file closed while idle is read on from where it was when it changes", async () => {
  const { dir, logs } = logsDir();
  const path = join(logs, "powershell.log");
  writeFileSync(path, utf16File(powershellLines(0, 10), "utf-16le"));
  const metrics = new Metrics();
  const { source, collector } = await startTail(dir, { idleCloseMs: 50, rescanIntervalMs: 100 }, { metrics });
  try {
    await collector.waitForCount(10);
    await waitUntil(
      () => metrics.get("teletap_open_files", { source: "test" }) === 0,
      () => "the idle file to be closed",
    );
    appendFileSync(path, utf16(powershellLines(10, 10), "utf-16le"));
    await collector.waitForCount(20);
  } finally {
    await source.stop();
  }
  assert.deepEqual(collector.problems, []);
  assertExactlyOnce(collector.seqs(), range(0, 20));
  assert.deepEqual(collector.events, await grepEvents(path));
});

test("a UTF-16 file truncated and rewritten as UTF-8 is read again from its first byte, as UTF-8", async () => {
  const { dir, logs } = logsDir();
  const path = join(logs, "app.log");
  writeFileSync(path, utf16File(powershellLines(0, 10), "utf-16le"));
  const { source, collector } = await startTail(dir);
  try {
    await collector.waitForCount(10);
    writeFileSync(path, ticloudLines(100, 5));
    await collector.waitForCount(15);
  } finally {
    await source.stop();
  }
  assert.deepEqual(collector.problems, []);
  assertExactlyOnce(collector.seqs(), [...range(0, 10), ...range(100, 105)]);
  assert.deepEqual(collector.events.slice(10), await grepEvents(path));
});

for (const encoding of ["utf-16le", "utf-16be"] as const) {
  test(`a ${encoding} file checkpointed by a tailer that read it as bytes, and so sent nothing from it, is read whole`, async () => {
    const { dir, logs } = logsDir();
    const path = join(logs, "powershell.log");
    const bytes = utf16File(powershellLines(0, 10), encoding);
    writeFileSync(path, bytes);
    // What that tailer saved: just after the last 0x0A byte (inside the LF code unit in LE, after it in BE).
    const offset = bytes.lastIndexOf(0x0a) + 1;
    const handle = await open(path, "r");
    const fingerprint = await fingerprintAt(handle, offset);
    await handle.close();
    assert.ok(fingerprint);
    const key = fileKey(statSync(path, { bigint: true }));
    const line = bytes.filter((byte) => byte === 0x0a).length + 1;
    // A version 1 state file, as that tailer wrote it.
    const files = [{ key, path, offset, line, ...fingerprint }];
    writeFileSync(join(dir, "checkpoint.json"), JSON.stringify({ version: 1, sourceId: "test", files }));

    const { source, collector } = await startTail(dir);
    await stopAfter({ source, collector }, 10);
    assertExactlyOnce(collector.seqs(), range(0, 10));
    assert.deepEqual(collector.events, await grepEvents(path));
  });
}
