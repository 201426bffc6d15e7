import assert from "node:assert/strict";
import { test } from "node:test";
import { METRIC } from "../../src/server/metric-names.js";
import { Metrics } from "../../src/server/metrics.js";
import { serverConfigSchema } from "../../src/server/server-config.js";
import { startServer } from "../../src/server/start-server.js";

test("GET /metrics renders the registry as Prometheus text", async (t) => {
  const metrics = new Metrics();
  metrics.count(METRIC.eventsSent, { sink: "collector" }, 42);
  metrics.gauge(METRIC.fileLagBytes, { source: "logs", path: "/var/log/a.log" }, 17);
  const server = await startServer({ listen: { host: "127.0.0.1", port: 0 }, metrics });
  t.after(() => server.close());
  const res = await fetch(`${server.url}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
  const body = await res.text();
  assert.match(body, /# TYPE teletap_sink_events_sent_total counter/);
  assert.match(body, /teletap_sink_events_sent_total\{sink="collector"\} 42/);
  assert.match(body, /teletap_file_lag_bytes\{path="\/var\/log\/a\.log",source="logs"\} 17/);
  assert.match(body, /teletap_up 1/);
});

test("GET /health answers 200 when every check is ok and 503 with the reasons when one is not", async (t) => {
  let failing = false;
  const server = await startServer({
    listen: { host: "127.0.0.1", port: 0 },
    metrics: new Metrics(),
    health: () => [
      { name: "sink:collector", ok: !failing, ...(failing ? { reason: "failing for 90 s" } : {}) },
      { name: "file:/a.log", ok: true },
    ],
  });
  t.after(() => server.close());
  const ok = await fetch(`${server.url}/health`);
  assert.equal(ok.status, 200);
  const okBody = (await ok.json()) as { status: string; reasons: string[] };
  assert.equal(okBody.status, "ok");
  assert.deepEqual(okBody.reasons, []);
  failing = true;
  const bad = await fetch(`${server.url}/health`);
  assert.equal(bad.status, 503);
  const badBody = (await bad.json()) as { status: string; reasons: string[] };
  assert.equal(badBody.status, "unhealthy");
  assert.deepEqual(badBody.reasons, ["sink:collector: failing for 90 s"]);
});

test("a probe that throws makes /health 503, not 500", async (t) => {
  const server = await startServer({
    listen: { host: "127.0.0.1", port: 0 },
    metrics: new Metrics(),
    health: () => {
      throw new Error("pipeline gone");
    },
  });
  t.after(() => server.close());
  const res = await fetch(`${server.url}/health`);
  assert.equal(res.status, 503);
  assert.match(((await res.json()) as { reasons: string[] }).reasons[0] ?? "", /pipeline gone/);
});

test("unknown paths are 404 and other methods 405", async (t) => {
  const server = await startServer({ listen: { host: "127.0.0.1", port: 0 }, metrics: new Metrics() });
  t.after(() => server.close());
  assert.equal((await fetch(`${server.url}/nope`)).status, 404);
  assert.equal((await fetch(`${server.url}/metrics`, { method: "POST" })).status, 405);
});

test("a port already in use is a configuration error", async (t) => {
  const first = await startServer({ listen: { host: "127.0.0.1", port: 0 }, metrics: new Metrics() });
  t.after(() => first.close());
  await assert.rejects(startServer({ listen: { host: "127.0.0.1", port: first.port }, metrics: new Metrics() }), {
    code: "E_CONFIG",
  });
});

test("the server config binds to loopback by default and rejects unknown keys", () => {
  const config = serverConfigSchema.parse({});
  assert.equal(config.host, "127.0.0.1");
  assert.equal(config.enabled, true);
  const bad = serverConfigSchema.safeParse({ port: 70000, listen: "x" });
  assert.equal(bad.success, false);
  assert.equal(bad.error?.issues.length, 2);
});
