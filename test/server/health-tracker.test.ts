import assert from "node:assert/strict";
import { test } from "node:test";
import { HealthTracker } from "../../src/server/health-tracker.js";

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
