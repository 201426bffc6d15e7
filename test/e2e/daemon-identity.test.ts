import assert from "node:assert/strict";
import { appendFileSync, rmSync, writeFileSync } from "node:fs";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { daemonCase, expectEachOnce } from "./daemon-case.js";
import { describeReport, waitForAll } from "./daemon-collector.js";
import { noiseLine, SequenceLog } from "./daemon-lines.js";
import { startDaemon, tail } from "./daemon-process.js";

test("delete and recreate the same path: the new file is read from its first byte", async (t) => {
  const { ws, collector } = await daemonCase(t, { sink: { batch: { maxEvents: 50, maxWaitMs: 50 } } });
  const seq = new SequenceLog();
  const path = ws.log("app.log");
  seq.append(path, 60);
  const daemon = startDaemon(ws.dir);
  for (let round = 0; round < 3; round++) {
    await waitForAll(collector, seq.written, daemon.stderr);
    rmSync(path);
    await sleep(200);
    // Often the same inode comes back: only the fingerprint and the bytes before the offset tell it is new.
    seq.append(path, 10 + round);
  }

  await expectEachOnce(collector, seq.written, daemon);
});

test("two files with identical first 4 KiB are two files", async (t) => {
  const { ws, collector } = await daemonCase(t, { sink: { batch: { maxEvents: 50, maxWaitMs: 50 } } });
  let header = "";
  for (let n = 0; header.length < 4096; n++) header += noiseLine(n);
  const seq = new SequenceLog();
  writeFileSync(ws.log("one.log"), header);
  writeFileSync(ws.log("two.log"), header);
  seq.append(ws.log("one.log"), 15);
  seq.append(ws.log("two.log"), 15);
  const daemon = startDaemon(ws.dir);
  await waitForAll(collector, seq.written, daemon.stderr);
  seq.append(ws.log("two.log"), 5);
  seq.append(ws.log("one.log"), 5);

  await expectEachOnce(collector, seq.written, daemon);
});

test("a line split across two writes with a restart in between is delivered once, whole", async (t) => {
  const { ws, collector } = await daemonCase(t, { sink: { batch: { maxEvents: 50, maxWaitMs: 50 } } });
  const seq = new SequenceLog();
  const path = ws.log("app.log");
  seq.append(path, 10);
  let daemon = startDaemon(ws.dir);
  await waitForAll(collector, seq.written, daemon.stderr);
  await seq.appendSplit(path, async () => {
    await sleep(300);
    const exit = await daemon.stop("SIGTERM");
    assert.equal(exit.code, 0, tail(daemon.stderr()));
    daemon = startDaemon(ws.dir);
    await sleep(300);
  });
  appendFileSync(path, noiseLine(1));
  seq.append(path, 5);

  await waitForAll(collector, seq.written, () => daemon.stderr());
  const exit = await daemon.stop("SIGTERM");
  const report = collector.oracle(seq.written);
  assert.equal(report.duplicated.size, 0, describeReport(report));
  assert.equal(report.unexpected.length, 0, describeReport(report));
  assert.equal(exit.code, 0, tail(daemon.stderr()));
});
