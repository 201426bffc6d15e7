import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { TelemetryEvent } from "../../src/events.js";
import { eventJson } from "../../src/output/event-json.js";
import { startServer } from "../helpers/http-server.js";
import { makeEvents } from "../helpers/make-event.js";
import { runCli } from "../helpers/run-cli.js";
import { tmpDir } from "../helpers/tmp-dir.js";

/** A config with two http sinks to `url` and a dead-letter file holding `events` for each of them. */
function setUp(url: string, events: TelemetryEvent[]) {
  const dir = tmpDir();
  mkdirSync(join(dir, "data"));
  const sink = (path: string) => ({ type: "http", inputs: ["in"], url: `${url}${path}`, retry: { initialDelayMs: 1 } });
  writeFileSync(
    join(dir, "agent.config.json"),
    JSON.stringify({
      sources: { in: { type: "stdin" } },
      sinks: { a: sink("/a"), b: sink("/b") },
      server: { enabled: false },
    }),
  );
  const line = (sink: string, event: TelemetryEvent) =>
    JSON.stringify({ time: "2024-01-01T00:00:00.000Z", sink, status: 400, reason: "HTTP 400: old", event });
  const deadLetter = join(dir, "data", "dead-letter.ndjson");
  writeFileSync(deadLetter, `${events.flatMap((event) => [line("a", event), line("b", event)]).join("\n")}\n`);
  return { config: join(dir, "agent.config.json"), deadLetter, dataDir: join(dir, "data") };
}

const readLines = (path: string) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));

describe("teletap replay", async () => {
  const server = await startServer();
  after(() => server.close());

  it("re-sends one sink's dead letters and keeps the others'", async () => {
    const events = makeEvents(3);
    const { config, deadLetter, dataDir } = setUp(server.url, events);
    server.respond(() => ({ status: 200 }));
    const before = server.requests.length;
    const result = await runCli(["replay", "--config", config, "--sink", "a"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /a: 3 sent, 0 refused again, 0 kept/);
    const sent = server.requests.slice(before);
    assert.deepEqual(
      sent.map((request) => request.url),
      ["/a"],
    );
    assert.equal(sent[0]?.body, events.map((event) => `${eventJson(event)}\n`).join(""));
    assert.deepEqual(
      readLines(deadLetter).map((line) => line.sink),
      ["b", "b", "b"],
    );
    assert.deepEqual(readdirSync(dataDir).sort(), ["dead-letter.ndjson"], "no replay file left behind");
  });

  it("exits 1 and says why when entries cannot be replayed: unreadable lines, sinks gone from the config", async () => {
    const events = makeEvents(2);
    const { config, deadLetter } = setUp(server.url, events);
    const orphan = JSON.stringify({
      time: "2024-01-01T00:00:00.000Z",
      sink: "gone",
      reason: "HTTP 400",
      event: events[0],
    });
    writeFileSync(deadLetter, `${readFileSync(deadLetter, "utf8")}${orphan}\nnot json\n`);
    server.respond(() => ({ status: 200 }));
    const result = await runCli(["replay", "--config", config]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /1 dead-letter line\(s\) are not valid entries/);
    assert.match(result.stderr, /1 dead-letter entries are for sink 'gone'/);
    assert.match(result.stdout, /a: 2 sent/);
    const kept = readFileSync(deadLetter, "utf8").split("\n").filter(Boolean);
    assert.deepEqual(kept.sort(), ["not json", orphan].sort(), "what could not be replayed stays, as it was");
  });

  it("writes events refused again back with the new reason and exits 1", async () => {
    const events = makeEvents(2);
    const { config, deadLetter } = setUp(server.url, events);
    server.respond((request) => (request.url === "/b" ? { status: 422, body: "still bad" } : { status: 200 }));
    const result = await runCli(["replay", "--config", config]);
    assert.equal(result.code, 1);
    const lines = readLines(deadLetter);
    assert.deepEqual(
      lines.map((line) => [line.sink, line.status, line.reason]),
      [
        ["b", 422, "HTTP 422: still bad"],
        ["b", 422, "HTTP 422: still bad"],
      ],
    );
    assert.deepEqual(
      lines.map((line) => line.event),
      events,
    );
    assert.ok(existsSync(deadLetter));
  });

  it("writes back unchanged what still cannot be sent after a few retries", async () => {
    const events = makeEvents(1);
    const { config, deadLetter } = setUp(server.url, events);
    const before = readFileSync(deadLetter, "utf8");
    server.respond(() => ({ status: 503 }));
    const result = await runCli(["replay", "--config", config]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /a: 0 sent, 0 refused again, 1 kept \(sink unavailable\)/);
    assert.deepEqual(
      readLines(deadLetter).sort((x, y) => x.sink.localeCompare(y.sink)),
      before
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
    );
  });
});
