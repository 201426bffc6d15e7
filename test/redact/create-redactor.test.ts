import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { runAudit } from "../../src/audit/run-audit.js";
import { type TelemetryEvent, telemetryEventSchema } from "../../src/events.js";
import { eventJson } from "../../src/output/event-json.js";
import { ticloudParser } from "../../src/parsers/ticloud/parse-ticloud.js";
import { createRedactor } from "../../src/redact/create-redactor.js";
import { DETECTOR_IDS } from "../../src/redact/detectors/index.js";
import { redactConfigSchema } from "../../src/redact/redact-config.js";
import { AUDIT_FIXTURES, readLogs } from "../audit/read-fixture.js";
import { REPO } from "../helpers/run-cli.js";

function event(properties: Record<string, unknown>, path = "/home/alice/logs/ticloud.log"): TelemetryEvent {
  return {
    id: "0123456789abcdef0123456789abcdef",
    producer: "ticloud",
    time: "2025-11-20T02:17:03.500Z",
    command: "ticloud-serverless-describe",
    result: "error",
    durationMs: 97,
    version: "1.0.0-beta.7",
    os: "linux",
    arch: "amd64",
    telemetryId: null,
    attributes: { timestamp: "2025-11-20T10:17:03.5+08:00", source: "ticloud", properties },
    log: { time: "2025/11/20 10:17:03.500 +08:00", level: "DEBUG", logger: "sender.go:47" },
    source: { path, line: 3, offset: 120 },
  };
}

const defaults = redactConfigSchema.parse({});

test("masks every match, counts per rule and leaves the input event unchanged", () => {
  const input = event({ error: "owner alice@example.com at 10.0.0.7, Bearer abcdefgh12345678", flags: ["debug"] });
  const before = structuredClone(input);
  const { event: out, counts } = createRedactor(defaults)(input);
  assert.deepEqual(input, before);
  assert.equal(
    (out.attributes.properties as { error: string }).error,
    "owner a***@example.com at 10.*.*.*, Bearer ab***",
  );
  assert.equal(out.source.path, "/home/a***/logs/ticloud.log");
  assert.deepEqual(counts, { email: 1, "ip-address": 1, "bearer-token": 1, "home-path": 1 });
  assert.ok(telemetryEventSchema.safeParse(out).success, "a redacted event is still a valid event");
});

test("hash mode replaces a match with a salted, stable digest", () => {
  const redact = createRedactor(redactConfigSchema.parse({ mode: "hash", salt: "s1" }));
  const a = redact(event({ error: "alice@example.com" })).event.attributes.properties as { error: string };
  const b = redact(event({ error: "alice@example.com" })).event.attributes.properties as { error: string };
  const other = createRedactor(redactConfigSchema.parse({ mode: "hash", salt: "s2" }));
  const c = other(event({ error: "alice@example.com" })).event.attributes.properties as { error: string };
  assert.match(a.error, /^\[email:[0-9a-f]{12}\]$/);
  assert.equal(a.error, b.error);
  assert.notEqual(a.error, c.error);
});

test("a rule switched off is not applied, and enabled: false passes events through", () => {
  const input = event({ error: "alice@example.com from 10.0.0.7" }, "/var/log/x.log");
  const noEmail = createRedactor(redactConfigSchema.parse({ rules: { email: false } }))(input);
  assert.equal((noEmail.event.attributes.properties as { error: string }).error, "alice@example.com from 10.*.*.*");
  assert.deepEqual(noEmail.counts, { "ip-address": 1 });
  const off = createRedactor(redactConfigSchema.parse({ enabled: false }))(input);
  assert.equal(off.event, input);
  assert.deepEqual(off.counts, {});
});

test("the config schema rejects unknown keys and unknown rule ids, and documents every key", () => {
  assert.equal(redactConfigSchema.safeParse({ mode: "scramble" }).success, false);
  assert.equal(redactConfigSchema.safeParse({ colour: true }).success, false);
  assert.equal(redactConfigSchema.safeParse({ rules: { "no-such-rule": false } }).success, false);
  assert.deepEqual(defaults, { enabled: true, mode: "mask", salt: "", rules: {} });
  assert.ok(redactConfigSchema.description);
});

test("never touches id, producer or time, whatever they hold, and never leaks a planted secret", () => {
  const secret = fc.constantFrom(
    "alice@example.com",
    "10.20.30.40",
    "AKIAIOSFODNN7EXAMPLE",
    "/home/alice",
    "Bearer Zk3pQ9vX2mL7rT5wB8nY",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.dBjftJeZ4CVP",
  );
  const redact = createRedactor(defaults);
  fc.assert(
    fc.property(fc.string(), secret, fc.string(), (before, planted, after) => {
      const input = event({ error: `${before} ${planted} ${after}` });
      const { event: out } = redact(input);
      assert.equal(out.id, input.id);
      assert.equal(out.producer, input.producer);
      assert.equal(out.time, input.time);
      const text = (out.attributes.properties as { error: string }).error;
      const core = planted.replace(/^Bearer /, "");
      assert.ok(!text.includes(core), `${JSON.stringify(text)} still holds ${core}`);
    }),
    { numRuns: 300 },
  );
});

test("redacting twice changes nothing more", () => {
  const redact = createRedactor(defaults);
  const once = redact(event({ error: "alice@example.com via gw.acme.io from /Users/bob, api_key=f3a9c2e7d1b4" })).event;
  const twice = redact(once);
  assert.deepEqual(twice.event, once);
  assert.deepEqual(twice.counts, {});
});

test("an event without a match comes back as the same object (no copy on the daemon's hot path)", () => {
  const clean = event({ alias: "list", flags: ["debug"], os: "linux" }, "/var/log/ticloud.log");
  const redact = createRedactor(defaults);
  assert.equal(redact(clean).event, clean);
  assert.equal(redact(clean).event, clean, "and again from the cache");
});

test("what the redact step lets out passes the audit: no personal data or secret is left in any fixture", async () => {
  process.chdir(REPO);
  const paths = readdirSync(AUDIT_FIXTURES)
    .filter((name) => name.endsWith(".log"))
    .map((name) => join("fixtures", "audit", name));
  const { events } = await readLogs(paths);
  const redact = createRedactor(defaults);
  const once = events.map((e) => redact(e).event);
  const before = runAudit(events, []).findings.filter((f) => DETECTOR_IDS.includes(f.rule));
  assert.ok(before.length >= 12, "the fixtures plant something for every detector");
  assert.deepEqual(
    runAudit(once, []).findings.filter((f) => DETECTOR_IDS.includes(f.rule)),
    [],
  );
  assert.deepEqual(
    once.map((e) => redact(e).event),
    once,
    "redacting twice changes nothing more",
  );
});

test("a ticloud event read from a log line, its attributes still unparsed text, is masked in what is printed", () => {
  const payload = {
    timestamp: "2025-11-20T10:17:03.5+08:00",
    source: "ticloud",
    properties: { error: "alice@example.com" },
  };
  const line = `[2025/11/20 10:17:03.500 +08:00] [DEBUG] [sender.go:47] ["sending telemetry events"] [event=${JSON.stringify(JSON.stringify(payload))}]`;
  const outcome = ticloudParser.parse(line, { path: "/var/log/x.log", line: 1, offset: 0 });
  assert.equal(outcome.kind, "events");
  const input = outcome.kind === "events" ? outcome.events[0] : undefined;
  assert.ok(input);
  const { event: out, counts } = createRedactor(defaults)(input);
  assert.deepEqual(counts, { email: 1 });
  assert.match(eventJson(out), /"error":"a\*\*\*@example\.com"/);
  assert.match(eventJson(input), /"error":"alice@example\.com"/);
});
