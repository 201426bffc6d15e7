import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { tmpDir } from "../helpers/tmp-dir.js";
import { Collector, describeReport, waitForAll } from "./daemon-collector.js";
import { SequenceLog } from "./daemon-lines.js";
import { freePort, get, metricSum, startDaemon, tail, waitFor, workspace } from "./daemon-process.js";

test("more files than maxOpenFiles are all read, never holding more descriptors; idle files are closed", async (t) => {
  const ws = workspace(tmpDir());
  const collector = await Collector.start();
  t.after(() => collector.close());
  const port = await freePort();
  ws.config(collector.url, {
    // Idle files are closed on the rescan timer, so a short rescan keeps this test short.
    source: { maxOpenFiles: 4, idleCloseMs: 500, rescanIntervalMs: 1_000 },
    sink: { batch: { maxWaitMs: 50 } },
    top: { server: { port } },
  });
  const seq = new SequenceLog();
  const files = Array.from({ length: 20 }, (_, i) => ws.log(`f${i}.log`));
  for (const file of files) seq.append(file, 3);
  const daemon = startDaemon(ws.dir);
  const metrics = async () => (await get(`http://127.0.0.1:${port}/metrics`))?.body ?? "";
  let maxOpen = 0;
  for (let round = 0; round < 5; round++) {
    for (const file of files) seq.append(file, 1);
    maxOpen = Math.max(maxOpen, metricSum(await metrics(), "teletap_open_files"));
    await sleep(50);
  }
  await waitForAll(collector, seq.written, daemon.stderr);
  assert.ok(maxOpen <= 4, `teletap_open_files reached ${maxOpen} with maxOpenFiles 4`);
  await waitFor("idle files to be closed", async () => metricSum(await metrics(), "teletap_open_files") === 0, {
    detail: () => tail(daemon.stderr()),
  });
  seq.append(files[7] as string, 2);
  await waitForAll(collector, seq.written, daemon.stderr);
  assert.equal((await daemon.stop("SIGTERM")).code, 0, tail(daemon.stderr()));
  const report = collector.oracle(seq.written);
  assert.equal(report.duplicated.size, 0, describeReport(report));
});
