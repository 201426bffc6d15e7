import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { eventJson } from "../../src/output/event-json.js";
import { HttpSink } from "../../src/sinks/http/http-sink.js";
import { httpSinkConfigSchema } from "../../src/sinks/http/http-sink-config.js";
import { startServer } from "../helpers/http-server.js";
import { makeEvents } from "../helpers/make-event.js";

const sinkFor = (config: Record<string, unknown>) =>
  new HttpSink("collector", httpSinkConfigSchema.parse({ type: "http", inputs: ["logs"], ...config }), (p) => p);

describe("http sink", async () => {
  const server = await startServer();
  after(() => server.close());

  it("posts the events exactly as grep -o ndjson prints them, with their ids in a header", async () => {
    const events = makeEvents(3);
    const result = await sinkFor({ url: `${server.url}/ingest`, encoding: "ndjson" }).send(events);
    assert.deepEqual(result, { kind: "ok" });
    const request = server.requests.at(-1);
    assert.equal(request?.method, "POST");
    assert.equal(request?.url, "/ingest");
    assert.equal(request?.body, events.map((event) => `${eventJson(event)}\n`).join(""));
    assert.equal(request?.headers["content-type"], "application/x-ndjson");
    assert.equal(request?.headers["x-teletap-event-ids"], events.map((event) => event.id).join(","));
    assert.match(String(request?.headers["idempotency-key"]), /^[0-9a-f]{32}$/);
  });

  it("leaves the id list out of a batch too large for a header, instead of being refused with 431", async () => {
    const events = makeEvents(500);
    assert.deepEqual(await sinkFor({ url: server.url }).send(events), { kind: "ok" });
    const request = server.requests.at(-1);
    assert.equal(request?.headers["x-teletap-event-ids"], undefined);
    assert.match(String(request?.headers["idempotency-key"]), /^[0-9a-f]{32}$/);
    assert.equal(request?.body.split("\n").filter(Boolean).length, 500);
  });

  it("sends a JSON array, gzip-compressed, with bearer auth and extra headers", async () => {
    const events = makeEvents(2);
    const sink = sinkFor({
      url: server.url,
      encoding: "json",
      compression: "gzip",
      auth: { strategy: "bearer", token: "t0ken" },
      headers: { "x-tenant": "42" },
    });
    assert.deepEqual(await sink.send(events), { kind: "ok" });
    const request = server.requests.at(-1);
    assert.equal(request?.headers["content-encoding"], "gzip");
    assert.deepEqual(JSON.parse(request?.body ?? ""), events);
    assert.equal(request?.headers.authorization, "Bearer t0ken");
    assert.equal(request?.headers["x-tenant"], "42");
  });

  it("sends basic auth", async () => {
    await sinkFor({ url: server.url, auth: { strategy: "basic", user: "u", password: "p:w" } }).send(makeEvents(1));
    assert.equal(server.requests.at(-1)?.headers.authorization, `Basic ${Buffer.from("u:p:w").toString("base64")}`);
  });

  it("answers retry for 503 and for 429 with the Retry-After delay, and drop with the status for 400", async () => {
    const sink = sinkFor({ url: server.url });
    server.respond(() => ({ status: 503, body: "busy" }));
    assert.deepEqual(await sink.send(makeEvents(1)), { kind: "retry", reason: "HTTP 503: busy", status: 503 });
    server.respond(() => ({ status: 429, headers: { "retry-after": "2" } }));
    assert.deepEqual(await sink.send(makeEvents(1)), { kind: "retry", reason: "HTTP 429", status: 429, afterMs: 2000 });
    server.respond(() => ({ status: 408 }));
    assert.equal((await sink.send(makeEvents(1))).kind, "retry");
    server.respond(() => ({ status: 400, body: "bad field" }));
    assert.deepEqual(await sink.send(makeEvents(1)), { kind: "drop", reason: "HTTP 400: bad field", status: 400 });
    server.respond(() => ({ status: 200 }));
  });

  it("follows a 308 to another path with the same POST, body and headers", async () => {
    const events = makeEvents(3);
    server.respond((request) =>
      request.url === "/ingest" ? { status: 308, headers: { location: "/v2/ingest" } } : { status: 200 },
    );
    const before = server.requests.length;
    assert.deepEqual(await sinkFor({ url: `${server.url}/ingest` }).send(events), { kind: "ok" });
    const [first, moved, ...more] = server.requests.slice(before);
    assert.equal(more.length, 0);
    assert.equal(moved?.method, "POST");
    assert.equal(moved?.url, "/v2/ingest");
    assert.equal(moved?.body, first?.body);
    assert.equal(moved?.body, events.map((event) => `${eventJson(event)}\n`).join(""));
    assert.equal(moved?.headers["x-teletap-event-ids"], events.map((event) => event.id).join(","));
    assert.equal(moved?.headers["idempotency-key"], first?.headers["idempotency-key"]);
    server.respond(() => ({ status: 200 }));
  });

  it("drops a batch answered 301, 302 or 303 with where the endpoint pointed, rather than re-sending it as a GET", async () => {
    for (const status of [301, 302, 303]) {
      server.respond((request) =>
        request.url === "/ingest" ? { status, headers: { location: "/v2/ingest" } } : { status: 200 },
      );
      const before = server.requests.length;
      const result = await sinkFor({ url: `${server.url}/ingest` }).send(makeEvents(1));
      assert.equal(result.kind, "drop");
      assert.equal(result.kind === "drop" ? result.status : undefined, status);
      assert.match(
        result.kind === "drop" ? result.reason : "",
        new RegExp(`^HTTP ${status}: the endpoint redirected to ${server.url}/v2/ingest; not followed`),
      );
      assert.deepEqual(
        server.requests.slice(before).map((request) => request.url),
        ["/ingest"],
      );
    }
    server.respond(() => ({ status: 200 }));
  });

  it("drops a batch caught in a redirect loop after a few hops instead of retrying it forever", async () => {
    server.respond(() => ({ status: 307, headers: { location: "/again" } }));
    const before = server.requests.length;
    const result = await sinkFor({ url: `${server.url}/ingest` }).send(makeEvents(1));
    assert.equal(result.kind, "drop");
    assert.match(result.kind === "drop" ? result.reason : "", /redirected more than 5 times.*\/again/);
    assert.equal(server.requests.length - before, 6);
    server.respond(() => ({ status: 200 }));
  });

  it("answers retry when nothing listens (a network error)", async () => {
    const closed = await startServer();
    await closed.close();
    const result = await sinkFor({ url: closed.url }).send(makeEvents(1));
    assert.equal(result.kind, "retry");
    assert.match(result.kind === "retry" ? result.reason : "", /ECONNREFUSED/);
  });
});
