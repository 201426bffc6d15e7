import assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { METRIC } from "../../src/server/metric-names.js";
import { startServer } from "../helpers/http-server.js";
import { makeEvents } from "../helpers/make-event.js";
import { tmpDir } from "../helpers/tmp-dir.js";
import { acceptedIds, batchOf, downThenUpSink, httpPipeline, waitUntil } from "./pipeline-helpers.js";

describe("pipeline", () => {
  it("loses nothing when the sink answers 503, then 429 with Retry-After, then ok", async (t) => {
    const ok = new Set<number>();
    const server = await startServer((_request, index) => {
      if (index === 0) return { status: 503 };
      if (index === 1) return { status: 429, headers: { "retry-after": "1" } };
      ok.add(index);
      return { status: 200 };
    });
    t.after(() => server.close());
    const { pipeline, metrics } = await httpPipeline(tmpDir(), server.url);
    t.after(() => pipeline.stop(0));
    const events = makeEvents(30);
    const acks = { count: 0 };
    for (let i = 0; i < 30; i += 10) await pipeline.emit(batchOf(events.slice(i, i + 10), acks));
    const want = events.map((event) => event.id).sort();
    // Wait on the sender's side: the receiver may have answered before the pipeline read that answer.
    await waitUntil(() => metrics.get(METRIC.eventsSent.name, { sink: "collector" }) >= 30, "every event sent");
    await pipeline.stop(1000);
    await server.close();
    assert.deepEqual(acceptedIds(server.requests, ok).sort(), want, "each event accepted exactly once");
    assert.equal(acks.count, 3, "every source batch acknowledged");
    assert.equal(metrics.get(METRIC.eventsSent.name, { sink: "collector" }), 30);
    assert.ok(metrics.get(METRIC.eventsRetried.name, { sink: "collector" }) >= 2);
    assert.equal(metrics.get(METRIC.spoolDepth.name, { sink: "collector" }), 0);
  });

  it("writes a batch answered 400 to the dead-letter file with the status and reason, and acks it", async (t) => {
    const server = await startServer(() => ({ status: 400, body: "unknown field x" }));
    t.after(() => server.close());
    const dataDir = tmpDir();
    const { pipeline, metrics } = await httpPipeline(dataDir, server.url);
    t.after(() => pipeline.stop(0));
    const events = makeEvents(4);
    const acks = { count: 0 };
    await pipeline.emit(batchOf(events, acks));
    await waitUntil(() => acks.count === 1, "the ack");
    await pipeline.stop(1000);
    await server.close();
    const lines = readFileSync(join(dataDir, "dead-letter.ndjson"), "utf8")
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    assert.deepEqual(
      lines.map((line) => line.event),
      events,
    );
    for (const line of lines) {
      assert.equal(line.sink, "collector");
      assert.equal(line.status, 400);
      assert.equal(line.reason, "HTTP 400: unknown field x");
      assert.match(line.time, /^\d{4}-\d\d-\d\dT/);
    }
    assert.equal(metrics.get(METRIC.eventsDropped.name, { sink: "collector", reason: "400" }), 4);
  });

  it("keeps events in the disk spool while the sink is down and delivers them after a restart", async (t) => {
    const sink = await downThenUpSink(t);
    const { server } = sink;
    const dataDir = tmpDir();
    const first = await httpPipeline(dataDir, server.url);
    t.after(() => first.pipeline.stop(0));
    const events = makeEvents(20);
    const acks = { count: 0 };
    await first.pipeline.emit(batchOf(events.slice(0, 10), acks));
    await first.pipeline.emit(batchOf(events.slice(10), acks));
    await waitUntil(() => acks.count === 2, "both batches acked once spooled");
    await first.pipeline.stop(0);
    assert.equal(first.metrics.get(METRIC.spoolDepth.name, { sink: "collector" }), 20);
    assert.equal(readdirSync(join(dataDir, "spool", "collector")).length, 2, "two spooled batches on disk");

    sink.bringUp();
    const second = await httpPipeline(dataDir, server.url);
    t.after(() => second.pipeline.stop(0));
    await waitUntil(() => second.metrics.get(METRIC.eventsSent.name, { sink: "collector" }) >= 20, "the spool drained");
    await second.pipeline.stop(1000);
    await server.close();
    // A retry in flight when the first pipeline stopped may also have landed: at least once, never lost.
    assert.deepEqual([...new Set(sink.accepted())].sort(), events.map((event) => event.id).sort());
    assert.deepEqual(readdirSync(join(dataDir, "spool", "collector")), []);
  });

  it("blocks the source when the spool and the memory queue are full, and resumes when the sink recovers", async (t) => {
    const sink = await downThenUpSink(t);
    const { server } = sink;
    // A 1-byte spool takes exactly one batch (an empty spool takes any batch); memory holds two more.
    const { pipeline, metrics } = await httpPipeline(tmpDir(), server.url, {
      batch: { maxEvents: 5, maxWaitMs: 10 },
      buffer: { maxBytes: 1, maxMemoryEvents: 10 },
    });
    t.after(() => pipeline.stop(0));
    const events = makeEvents(20);
    const acks = { count: 0 };
    for (let i = 0; i < 15; i += 5) await pipeline.emit(batchOf(events.slice(i, i + 5), acks));
    let resolved = false;
    const blocked = pipeline.emit(batchOf(events.slice(15), acks)).then(() => {
      resolved = true;
    });
    const retriesBefore = server.requests.length;
    await waitUntil(() => server.requests.length >= retriesBefore + 5, "the sink retried several more times");
    assert.equal(resolved, false, "emit stays pending while the spool is full: the source pauses");
    assert.equal(acks.count, 1, "only the spooled batch is acknowledged");

    sink.bringUp();
    await blocked;
    await waitUntil(() => metrics.get(METRIC.eventsSent.name, { sink: "collector" }) >= 20, "everything delivered");
    await pipeline.stop(1000);
    await server.close();
    assert.deepEqual(sink.accepted().sort(), events.map((event) => event.id).sort());
    assert.equal(acks.count, 4);
  });

  it("keeps a batch in memory, unacknowledged, when the spool cannot be written, and delivers it later", async (t) => {
    const sink = await downThenUpSink(t);
    const { server } = sink;
    const dataDir = tmpDir();
    const { pipeline, metrics } = await httpPipeline(dataDir, server.url);
    t.after(() => pipeline.stop(0));
    // A file where the spool directory should be: every spool write fails, as on a full or broken disk.
    const spoolDir = join(dataDir, "spool", "collector");
    rmSync(spoolDir, { recursive: true });
    writeFileSync(spoolDir, "");
    const events = makeEvents(5);
    const acks = { count: 0 };
    await pipeline.emit(batchOf(events, acks));
    await waitUntil(() => server.requests.length >= 3, "a few retries");
    assert.equal(acks.count, 0, "not acknowledged: the events are only in memory");
    sink.bringUp();
    await waitUntil(() => metrics.get(METRIC.eventsSent.name, { sink: "collector" }) >= 5, "the delivery");
    assert.equal(acks.count, 1);
    assert.deepEqual(sink.accepted().sort(), events.map((event) => event.id).sort());
  });
});
