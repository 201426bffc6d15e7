import assert from "node:assert/strict";
import { appendFileSync, writeFileSync } from "node:fs";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { runCli } from "../helpers/run-cli.js";
import { utf16, utf16File } from "../helpers/utf16.js";
import { daemonCase } from "./daemon-case.js";
import { describeReport, waitForAll } from "./daemon-collector.js";
import { SequenceLog } from "./daemon-lines.js";
import { startDaemon, tail } from "./daemon-process.js";

test("a PowerShell capture (UTF-16LE, BOM, CRLF) arrives once across a restart with half a code unit on disk, as grep reads it", async (t) => {
  const { ws, collector } = await daemonCase(t, { sink: { batch: { maxWaitMs: 50 } } });
  const seq = new SequenceLog();
  const path = ws.log("powershell.log");
  /** `count` telemetry lines as PowerShell captures them; the caller marks them written once they are whole. */
  const lines = (count: number) => {
    const { text, seqs } = seq.take(count);
    return { bytes: utf16(text.replace(/\n/g, "\r\n"), "utf-16le"), seqs };
  };
  const markWritten = (seqs: number[]) => {
    for (const n of seqs) seq.written.add(n);
  };

  const existing = lines(20);
  writeFileSync(path, utf16File("", "utf-16le"));
  appendFileSync(path, existing.bytes);
  markWritten(existing.seqs);
  const split = lines(1);
  const cut = Math.floor(split.bytes.length / 2) + 1;
  assert.equal(cut % 2, 1, "the restart happens with half a code unit written");
  appendFileSync(path, split.bytes.subarray(0, cut));
  const first = startDaemon(ws.dir);
  await waitForAll(collector, seq.written, first.stderr);
  // Time for the daemon to read the half line too, so that the restart has it in the scanner, not on disk only.
  await sleep(300);
  const firstExit = await first.stop("SIGTERM");
  assert.equal(firstExit.code, 0, tail(first.stderr()));

  appendFileSync(path, split.bytes.subarray(cut));
  markWritten(split.seqs);
  const second = startDaemon(ws.dir);
  for (let round = 0; round < 5; round++) {
    const more = lines(4);
    // Each round in two writes, the first ending inside a code unit.
    appendFileSync(path, more.bytes.subarray(0, 101));
    await sleep(30);
    appendFileSync(path, more.bytes.subarray(101));
    markWritten(more.seqs);
  }
  await waitForAll(collector, seq.written, second.stderr);
  const secondExit = await second.stop("SIGTERM");
  assert.equal(secondExit.code, 0, tail(second.stderr()));

  const report = collector.oracle(seq.written);
  assert.equal(report.lost.length, 0, describeReport(report));
  assert.equal(report.duplicated.size, 0, describeReport(report));
  assert.equal(report.unexpected.length, 0, describeReport(report));
  for (const stderr of [first.stderr(), second.stderr()]) assert.doesNotMatch(stderr, /malformed/);
  // The same events, offsets and line numbers as `teletap grep -o ndjson` prints for the file.
  const grep = await runCli(["grep", "-o", "ndjson", path]);
  const sent = collector.accepted.flatMap((batch) => batch.request.body.split("\n").filter((line) => line !== ""));
  assert.deepEqual(
    sent,
    grep.stdout.split("\n").filter((line) => line !== ""),
  );
});
