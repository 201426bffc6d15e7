import assert from "node:assert/strict";
import { test } from "node:test";
import { HealthTracker } from "../../src/server/health-tracker.js";
import { METRIC } from "../../src/server/metric-names.js";
import { Metrics } from "../../src/server/metrics.js";

function tracker() {
  let now = 1_000_000;
  const health = new HealthTracker({ sinkFailingAfterSeconds: 60, readerStuckAfterSeconds: 30 }, () => now);
  return { health, advance: (seconds: number) => (now += seconds * 1000) };
}

test("a sink turns unhealthy only after failing for longer than the threshold", () => {
  const { health, advance } = tracker();
  health.sinkResult("collector", false, "503 Service Unavailable");
  advance(59);
  assert.deepEqual(health.checks(), [{ name: "sink:collector", ok: true }]);
  health.sinkResult("collector", false, "503 Service Unavailable");
  advance(2);
  const [check] = health.checks();
  assert.equal(check?.ok, false);
  assert.match(check?.reason ?? "", /failing for 61 s \(503 Service Unavailable\)/);
  assert.equal(health.sinkFailingSeconds("collector"), 61);
});

test("one success resets a failing sink", () => {
  const { health, advance } = tracker();
  health.sinkResult("collector", false);
  advance(120);
  health.sinkResult("collector", true);
  assert.deepEqual(health.checks(), [{ name: "sink:collector", ok: true }]);
  assert.equal(health.sinkFailingSeconds("collector"), 0);
});

test("a reader with unread bytes and no progress is stuck; an idle file read to its end is not", () => {
  const { health, advance } = tracker();
  health.readerPosition("/logs/busy.log", 100, 500);
  health.readerPosition("/logs/idle.log", 500, 500);
  advance(31);
  health.readerPosition("/logs/busy.log", 100, 900);
  const checks = health.checks();
  assert.equal(checks.find((c) => c.name === "file:/logs/busy.log")?.ok, false);
  assert.match(checks.find((c) => c.name === "file:/logs/busy.log")?.reason ?? "", /800 bytes unread/);
  assert.equal(checks.find((c) => c.name === "file:/logs/idle.log")?.ok, true);
  health.readerPosition("/logs/busy.log", 400, 900);
  assert.equal(health.checks().find((c) => c.name === "file:/logs/busy.log")?.ok, true);
  health.forgetReader("/logs/busy.log");
  assert.equal(health.checks().length, 1);
});

test("with the metrics registry, a file whose lag gauge stays up without shrinking is stuck", () => {
  let now = 0;
  const metrics = new Metrics();
  const health = new HealthTracker({ sinkFailingAfterSeconds: 60, readerStuckAfterSeconds: 30 }, () => now, metrics);
  const labels = (path: string) => ({ source: "logs", path });
  metrics.gauge(METRIC.fileLagBytes, labels("/logs/busy.log"), 500);
  metrics.gauge(METRIC.fileLagBytes, labels("/logs/done.log"), 0);
  assert.equal(
    health.checks().every((check) => check.ok),
    true,
  );
  now += 20_000;
  metrics.gauge(METRIC.fileLagBytes, labels("/logs/busy.log"), 900);
  assert.equal(
    health.checks().every((check) => check.ok),
    true,
  );
  now += 11_000;
  const stuck = health.checks().find((check) => check.name === "file:/logs/busy.log");
  assert.equal(stuck?.ok, false);
  assert.match(stuck?.reason ?? "", /900 bytes unread and the lag has not shrunk for 31 s/);
  metrics.gauge(METRIC.fileLagBytes, labels("/logs/busy.log"), 100);
  assert.equal(
    health.checks().every((check) => check.ok),
    true,
  );
  metrics.remove(METRIC.fileLagBytes.name, labels("/logs/busy.log"));
  assert.deepEqual(
    health.checks().map((check) => check.name),
    ["file:/logs/done.log"],
  );
});
