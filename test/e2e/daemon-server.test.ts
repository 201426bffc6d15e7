import assert from "node:assert/strict";
import { test } from "node:test";
import { tmpDir } from "../helpers/tmp-dir.js";
import { Collector, waitForAll } from "./daemon-collector.js";
import { SequenceLog } from "./daemon-lines.js";
import { freePort, get, metricSum, startDaemon, tail, waitFor, workspace } from "./daemon-process.js";

test("/metrics and /health answer on 127.0.0.1 with the documented series; logs are JSON lines", async (t) => {
  const ws = workspace(tmpDir());
  const collector = await Collector.start();
  t.after(() => collector.close());
  const port = await freePort();
  ws.config(collector.url, { sink: { batch: { maxWaitMs: 50 } }, top: { server: { port } } });
  const seq = new SequenceLog();
  seq.append(ws.log("a.log"), 30);
  seq.append(ws.log("b.log"), 20);
  const daemon = startDaemon(ws.dir);
  await waitForAll(collector, seq.written, daemon.stderr);

  const base = `http://127.0.0.1:${port}`;
  let body = "";
  await waitFor(
    "/metrics to count the 50 events sent",
    async () => {
      body = (await get(`${base}/metrics`))?.body ?? "";
      return metricSum(body, "teletap_sink_events_sent_total") >= 50;
    },
    { detail: () => `${body}\nstderr:\n${tail(daemon.stderr())}` },
  );
  assert.ok(metricSum(body, "teletap_read_bytes_total") > 0, body);
  assert.ok(metricSum(body, "teletap_read_lines_total") >= 50, body);
  assert.match(body, /teletap_events_total\{[^}]*producer="ticloud"[^}]*\} 50/);
  assert.match(body, /# TYPE teletap_file_lag_bytes gauge/);
  assert.match(body, /# TYPE teletap_open_files gauge/);
  assert.match(body, /teletap_spool_events/);
  assert.match(body, /# TYPE process_cpu_seconds_total counter/);
  assert.ok(metricSum(body, "process_cpu_seconds_total") > 0, body);
  assert.ok(metricSum(body, "process_resident_memory_bytes") > 20 * 1024 * 1024, body);
  assert.ok(metricSum(body, "nodejs_heap_size_used_bytes") > 0, body);

  const health = await get(`${base}/health`);
  assert.equal(health?.status, 200, health?.body);
  assert.equal(JSON.parse(health?.body ?? "{}").status, "ok");

  const exit = await daemon.stop("SIGTERM");
  assert.equal(exit.code, 0);
  const lines = daemon
    .stderr()
    .trim()
    .split("\n")
    .filter((line) => line !== "");
  assert.ok(lines.length > 0);
  for (const line of lines) {
    const record = JSON.parse(line);
    assert.match(record.time, /^\d{4}-\d\d-\d\dT/);
    assert.ok(["debug", "info", "warn", "error"].includes(record.level), line);
    assert.equal(typeof record.msg, "string");
  }
  assert.ok(
    lines.some((line) => JSON.parse(line).level === "info"),
    "info lines at the default level",
  );
});

test("--log-level warn silences the info lines", async (t) => {
  const ws = workspace(tmpDir());
  const collector = await Collector.start();
  t.after(() => collector.close());
  const port = await freePort();
  ws.config(collector.url, { top: { server: { port } } });
  const daemon = startDaemon(ws.dir, ["--log-level", "warn"]);
  await waitFor("/health to answer", async () => (await get(`http://127.0.0.1:${port}/health`))?.status === 200, {
    detail: () => tail(daemon.stderr()),
  });
  assert.equal((await daemon.stop("SIGTERM")).code, 0);
  const levels = daemon
    .stderr()
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line).level);
  assert.deepEqual(
    levels.filter((level) => level === "info" || level === "debug"),
    [],
    daemon.stderr(),
  );
});
