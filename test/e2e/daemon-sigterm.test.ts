import assert from "node:assert/strict";
import { test } from "node:test";
import { tmpDir } from "../helpers/tmp-dir.js";
import { Collector, describeReport, waitForAll } from "./daemon-collector.js";
import { SequenceLog } from "./daemon-lines.js";
import { freePort, get, metricSum, startDaemon, tail, waitFor, workspace } from "./daemon-process.js";

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  test(`${signal} flushes the open batch, persists checkpoints and exits 0; a restart sends nothing again`, async (t) => {
    const ws = workspace(tmpDir());
    const collector = await Collector.start();
    t.after(() => collector.close());
    const port = await freePort();
    // Batches that never fill nor time out on their own: only the shutdown flush can send them.
    ws.config(collector.url, {
      sink: { batch: { maxEvents: 100_000, maxWaitMs: 600_000 } },
      top: { server: { port } },
    });
    const seq = new SequenceLog();
    seq.append(ws.log("a.log"), 50);
    const first = startDaemon(ws.dir);
    const metrics = `http://127.0.0.1:${port}/metrics`;
    await waitFor(
      "the daemon to have read the 50 events (teletap_events_total)",
      async () => {
        const res = await get(metrics);
        return res !== undefined && metricSum(res.body, "teletap_events_total") >= 50;
      },
      { detail: () => tail(first.stderr()) },
    );
    assert.equal(collector.accepted.length, 0, "nothing sent before the signal");

    const exit = await first.stop(signal);
    assert.equal(exit.code, 0, `exit ${JSON.stringify(exit)}; stderr:\n${tail(first.stderr())}`);
    let report = collector.oracle(seq.written);
    assert.equal(report.lost.length, 0, `flushed at shutdown: ${describeReport(report)}`);

    seq.append(ws.log("a.log"), 5);
    const second = startDaemon(ws.dir);
    await waitFor(
      "the second daemon to have read the 5 new events",
      async () => {
        const res = await get(metrics);
        return res !== undefined && metricSum(res.body, "teletap_events_total") >= 5;
      },
      { detail: () => tail(second.stderr()) },
    );
    assert.equal((await second.stop(signal)).code, 0, tail(second.stderr()));
    await waitForAll(collector, seq.written, second.stderr, 1_000);
    report = collector.oracle(seq.written);
    assert.equal(report.duplicated.size, 0, `restart re-sent events: ${describeReport(report)}`);
  });
}
