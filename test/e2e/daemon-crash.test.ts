import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { tmpDir } from "../helpers/tmp-dir.js";
import { Collector, describeReport, waitForAll } from "./daemon-collector.js";
import { SequenceLog } from "./daemon-lines.js";
import { startDaemon, tail, waitFor, workspace } from "./daemon-process.js";

const CHECKPOINT_MS = 200;

test("kill -9 under load, then restart: nothing lost, duplicates only from the unacknowledged tail", async (t) => {
  const ws = workspace(tmpDir());
  const collector = await Collector.start();
  t.after(() => collector.close());
  ws.config(collector.url, {
    source: { checkpointIntervalMs: CHECKPOINT_MS },
    sink: { batch: { maxEvents: 100, maxWaitMs: 50 } },
  });
  const seq = new SequenceLog();
  const files = ["a.log", "b.log", "c.log"].map((name) => ws.log(name));
  let writing = true;
  // About 3,000 events/s over three files for as long as the test runs, the crash included.
  const writer = (async () => {
    while (writing) {
      for (const file of files) seq.append(file, 10);
      await sleep(10);
    }
  })();

  const first = startDaemon(ws.dir);
  // Long enough (about 5 s) that "the last moments before the kill" is a small part of what was delivered, even
  // with the window below widened for a loaded CI machine (a late checkpoint write, a GC pause).
  await waitFor("the first daemon to deliver 15,000 events", () => collector.distinct() >= 15_000, {
    detail: () => `${collector.distinct()} delivered; stderr:\n${tail(first.stderr())}`,
  });
  first.child.kill("SIGKILL");
  const killedAt = Date.now();
  await first.exited;
  await sleep(500);
  const second = startDaemon(ws.dir);
  await sleep(1_000);
  writing = false;
  await writer;

  await waitForAll(collector, seq.written, second.stderr, 30_000);
  const exit = await second.stop("SIGTERM");
  const report = collector.oracle(seq.written);
  assert.equal(report.lost.length, 0, describeReport(report));
  assert.equal(report.unexpected.length, 0, describeReport(report));
  // A duplicate is an event the first daemon sent but had not yet checkpointed when it died: its first delivery
  // must be from the last moments before the kill (a checkpoint interval, a batch in flight, and slack).
  const firstArrival = new Map<number, number>();
  for (const batch of collector.accepted)
    for (const n of batch.seqs) if (!firstArrival.has(n)) firstArrival.set(n, batch.at);
  const window = CHECKPOINT_MS + 2_500;
  const old = [...report.duplicated.keys()].filter((n) => (firstArrival.get(n) ?? 0) < killedAt - window);
  const byFile = ["a", "b", "c"].map((_, file) => old.filter((n) => Math.floor((n - 1) / 10) % 3 === file).length);
  assert.deepEqual(
    old,
    [],
    `${old.length} duplicates first delivered more than ${window} ms before the kill (a/b/c.log: ${byFile.join("/")}); ${describeReport(report)}`,
  );
  assert.equal(exit.code, 0, tail(second.stderr()));
  t.diagnostic(`${describeReport(report)}`);
});
