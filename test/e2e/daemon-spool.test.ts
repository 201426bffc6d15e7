import assert from "node:assert/strict";
import { test } from "node:test";
import { daemonCase, FILLING_SINK } from "./daemon-case.js";
import { describeReport, waitForAll } from "./daemon-collector.js";
import { SequenceLog } from "./daemon-lines.js";
import { freePort, get, metricSum, startDaemon, tail, waitFor } from "./daemon-process.js";

test("events read while the sink is down survive a SIGTERM and a restart, then are delivered once", async (t) => {
  const port = await freePort();
  const { ws, collector } = await daemonCase(t, {
    sink: { batch: { maxEvents: 25, maxWaitMs: 50 }, retry: { initialDelayMs: 50, maxDelayMs: 200 } },
    top: { server: { port }, shutdownGraceMs: 1_000 },
  });
  collector.respond(() => ({ status: 503 }));
  const seq = new SequenceLog();
  seq.append(ws.log("a.log"), 80);
  seq.append(ws.log("b.log"), 40);
  const first = startDaemon(ws.dir);
  await waitFor(
    "the daemon to have read all 120 events while the sink answers 503",
    async () => metricSum((await get(`http://127.0.0.1:${port}/metrics`))?.body ?? "", "teletap_events_total") >= 120,
    { detail: () => tail(first.stderr()) },
  );
  await waitFor("a few refused attempts", () => collector.requests.length >= 3);
  const exit = await first.stop("SIGTERM");
  assert.equal(exit.code, 0, `a sink that is down must not keep the daemon from stopping:\n${tail(first.stderr())}`);
  assert.equal(collector.accepted.length, 0);

  collector.respond(() => ({ status: 200 }));
  seq.append(ws.log("a.log"), 10);
  const second = startDaemon(ws.dir);
  await waitForAll(collector, seq.written, second.stderr);
  assert.equal((await second.stop("SIGTERM")).code, 0, tail(second.stderr()));
  const report = collector.oracle(seq.written);
  assert.equal(report.lost.length, 0, describeReport(report));
  assert.equal(report.duplicated.size, 0, describeReport(report));
});

test("a full spool pauses reading instead of dropping; everything arrives once the sink is back", async (t) => {
  const port = await freePort();
  const { ws, collector } = await daemonCase(t, {
    sink: FILLING_SINK,
    source: { readBudgetBytes: 4096 },
    top: { server: { port } },
  });
  collector.respond(() => ({ status: 503 }));
  const seq = new SequenceLog();
  seq.append(ws.log("a.log"), 1_000);
  const daemon = startDaemon(ws.dir);
  const metrics = async () => (await get(`http://127.0.0.1:${port}/metrics`))?.body ?? "";
  await waitFor("the sink to be retried", () => collector.requests.length >= 5, {
    detail: () => tail(daemon.stderr()),
  });
  let body = "";
  await waitFor(
    "reading to pause with most of the file unread",
    async () => {
      body = await metrics();
      return metricSum(body, "teletap_file_lag_bytes") > 0;
    },
    { detail: () => `${body}\n${tail(daemon.stderr())}` },
  );
  const readWhilePaused = metricSum(body, "teletap_events_total");
  assert.ok(readWhilePaused < 1_000, `read ${readWhilePaused} of 1,000 events with a 16 KiB spool and the sink down`);
  assert.equal(metricSum(body, "teletap_sink_events_dropped_total"), 0);

  collector.respond(() => ({ status: 200 }));
  await waitForAll(collector, seq.written, daemon.stderr, 30_000);
  assert.equal((await daemon.stop("SIGTERM")).code, 0, tail(daemon.stderr()));
  const report = collector.oracle(seq.written);
  assert.equal(report.lost.length, 0, describeReport(report));
  assert.equal(report.duplicated.size, 0, describeReport(report));
});
