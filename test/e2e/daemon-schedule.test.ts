import assert from "node:assert/strict";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { tmpDir } from "../helpers/tmp-dir.js";
import { daemonCase, expectEachOnce } from "./daemon-case.js";
import { Collector, waitForAll } from "./daemon-collector.js";
import { SequenceLog } from "./daemon-lines.js";
import { freePort, get, metricSum, startDaemon, tail, waitFor, workspace } from "./daemon-process.js";

const EVERY_SECOND = "* * * * * *";

function listing(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

test("a scheduled audit report runs on its cron ticks and is counted in /metrics", async (t) => {
  const ws = workspace(tmpDir());
  const collector = await Collector.start();
  t.after(() => collector.close());
  const port = await freePort();
  ws.config(collector.url, {
    sink: { batch: { maxWaitMs: 50 } },
    top: {
      sinks: {
        collector: { type: "http", inputs: ["logs"], url: collector.url, batch: { maxWaitMs: 50 } },
        store: { type: "file", inputs: ["logs"], batch: { maxWaitMs: 50 } },
      },
      schedule: [{ id: "report", cron: EVERY_SECOND, job: "audit-report" }],
      server: { port },
    },
  });
  const seq = new SequenceLog();
  seq.append(ws.log("a.log"), 20);
  const daemon = startDaemon(ws.dir);
  await waitForAll(collector, seq.written, daemon.stderr);
  let body = "";
  await waitFor(
    "two successful runs of the report job",
    async () => {
      body = (await get(`http://127.0.0.1:${port}/metrics`))?.body ?? "";
      return metricSum(body, 'teletap_schedule_runs_total{id="report",job="audit-report",outcome="ok"}') >= 2;
    },
    { detail: () => `${body}\nstderr:\n${tail(daemon.stderr())}` },
  );
  assert.ok(listing(join(ws.data, "reports")).length > 0, `reports: ${listing(join(ws.data, "reports"))}`);
  assert.equal((await daemon.stop("SIGTERM")).code, 0, tail(daemon.stderr()));
});

test("a failing scheduled job is logged and counted; the daemon keeps delivering", async (t) => {
  const ws = workspace(tmpDir());
  const collector = await Collector.start();
  t.after(() => collector.close());
  const port = await freePort();
  // The reports directory is a file: every run of the job fails.
  writeFileSync(join(ws.dir, "not-a-dir"), "");
  ws.config(collector.url, {
    sink: { batch: { maxWaitMs: 50 } },
    top: {
      schedule: [{ id: "report", cron: EVERY_SECOND, job: "audit-report" }],
      audit: { reportsDir: "./not-a-dir/reports" },
      server: { port },
    },
  });
  const daemon = startDaemon(ws.dir);
  let body = "";
  await waitFor(
    "two failed runs of the report job",
    async () => {
      body = (await get(`http://127.0.0.1:${port}/metrics`))?.body ?? "";
      return metricSum(body, 'teletap_schedule_runs_total{id="report",job="audit-report",outcome="error"}') >= 2;
    },
    { detail: () => `${body}\nstderr:\n${tail(daemon.stderr())}` },
  );
  const seq = new SequenceLog();
  seq.append(ws.log("a.log"), 20);
  await waitForAll(collector, seq.written, daemon.stderr);
  const failures = daemon
    .stderr()
    .split("\n")
    .filter((line) => line.includes('"msg":"job failed"'));
  assert.ok(failures.length >= 2, tail(daemon.stderr()));
  assert.equal(JSON.parse(failures[0] ?? "{}").level, "error");
  assert.equal((await daemon.stop("SIGTERM")).code, 0, tail(daemon.stderr()));
});

test("compact-spool merges the small batches a down sink leaves behind; every event still arrives once", async (t) => {
  const port = await freePort();
  const { ws, collector } = await daemonCase(t, {
    sink: { batch: { maxEvents: 50, maxWaitMs: 20 }, retry: { initialDelayMs: 50, maxDelayMs: 200 } },
    top: { server: { port }, schedule: [{ id: "spool", cron: EVERY_SECOND, job: "compact-spool" }] },
  });
  collector.respond(() => ({ status: 503 }));
  const daemon = startDaemon(ws.dir);
  const seq = new SequenceLog();
  // A trickle of telemetry lines while the sink is down: each becomes a batch file of its own in the spool.
  for (let i = 0; i < 40; i++) {
    seq.append(ws.log("a.log"), 1);
    await sleep(40);
  }
  let body = "";
  await waitFor(
    "all 40 events spooled, and merged into the batch being retried plus one",
    async () => {
      body = (await get(`http://127.0.0.1:${port}/metrics`))?.body ?? "";
      return (
        metricSum(body, 'teletap_spool_events{sink="collector"}') === 40 &&
        metricSum(body, 'teletap_spool_files{sink="collector"}') === 2
      );
    },
    { detail: () => `${body}\nstderr:\n${tail(daemon.stderr())}` },
  );
  assert.ok(daemon.stderr().includes('"msg":"spool compacted"'), tail(daemon.stderr()));
  assert.equal(listing(join(ws.data, "spool", "collector")).length, 2);

  collector.respond(() => ({ status: 200 }));
  await expectEachOnce(collector, seq.written, daemon);
  const seqs = collector.accepted.flatMap((batch) => batch.seqs);
  assert.deepEqual(
    seqs,
    [...seqs].sort((a, b) => a - b),
    "delivered in the order read",
  );
});
