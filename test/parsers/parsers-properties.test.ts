import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { telemetryEventSchema } from "../../src/events.js";
import type { ParseOutcome } from "../../src/parsers/parse-outcome.js";
import { PARSERS } from "../../src/parsers/registry.js";
import { ticloudLine, tisparkLine, tiupLine } from "../helpers/encode-lines.js";

// fast-check builds records without a prototype; the parsers build plain objects.
const plain = (value: unknown) => JSON.parse(JSON.stringify(value));
const at = { path: "prop.log", line: 1, offset: 0 };
const text = fc.string({ unit: "binary", maxLength: 40 });
const word = fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 12 });

function events(outcome: ParseOutcome) {
  assert.equal(outcome.kind, "events", JSON.stringify(outcome));
  return outcome.kind === "events" ? outcome.events : [];
}

const ticloudEvent = fc.record({
  timestamp: fc
    .date({ min: new Date("2020-01-01"), max: new Date("2030-01-01"), noInvalidDate: true })
    .map((d) => d.toISOString()),
  source: fc.constantFrom("ticloud", "cloud"),
  properties: fc.record({
    alias: word,
    command: text,
    duration: fc.nat(),
    error: text,
    flags: fc.array(word, { maxLength: 3 }),
    installer: fc.constantFrom("TiUP", "deb\n", "rpm\n"),
    interactive: fc.boolean(),
    project_id: fc.bigInt({ min: 0n, max: 2n ** 63n }).map(String),
    result: fc.constantFrom("SUCCESS", "ERROR"),
  }),
});

test("ticloud: every encoded event parses back to the same payload and fields", () => {
  fc.assert(
    fc.property(ticloudEvent, fc.boolean(), (event, asArray) => {
      const line = asArray ? ticloudLine([event, event], "body") : ticloudLine(event);
      const parsed = events(PARSERS.ticloud.parse(line, at));
      assert.equal(parsed.length, asArray ? 2 : 1);
      const first = parsed[0];
      assert.ok(first);
      telemetryEventSchema.parse(first);
      assert.deepEqual(first.attributes, plain(event));
      assert.equal(first.command, event.properties.command === "" ? null : event.properties.command);
      assert.equal(first.result, event.properties.result.toLowerCase());
      assert.equal(first.time, event.timestamp);
    }),
  );
});

const tiupReport = fc.record({
  installationUUID: fc.uuid(),
  eventUUID: fc.uuid(),
  event_unix_timestamp: fc.integer({ min: 1_500_000_000, max: 1_900_000_000 }),
  version: fc.record({ TiUPVersion: word, ComponentVersion: word, os: word, arch: word }),
  EventDetail: fc.oneof(
    fc.record({
      cluster: fc.record({
        ID: word,
        command: text.filter((s) => s !== ""),
        take_milliseconds: fc.nat(),
        exit_code: fc.integer({ min: 1, max: 255 }),
        topology: text.filter((s) => s !== ""),
        nodes: fc.array(
          fc.record({
            node_id: word,
            hardware: fc.record({
              cpu: fc.record({
                numcpu: fc.integer({ min: 1, max: 256 }),
                features: fc.array(word, { minLength: 1, maxLength: 5 }),
              }),
              mem: fc.record({ total: fc.integer({ min: 1, max: 2 ** 52 }) }),
            }),
            os: fc.record({ family: word }),
          }),
          { minLength: 1, maxLength: 3 },
        ),
      }),
    }),
    fc.record({ tiup: fc.record({ command: text.filter((s) => s !== ""), take_milliseconds: fc.nat() }) }),
    fc.record({ playground: fc.record({ topology: text.filter((s) => s !== ""), take_milliseconds: fc.nat() }) }),
  ),
});

test("tiup: a report printed as proto text decodes to its JSON wire shape, octal escapes included", () => {
  fc.assert(
    fc.property(tiupReport, (report) => {
      const parsed = events(PARSERS.tiup.parse(tiupLine(report), at));
      const event = parsed[0];
      assert.ok(event);
      telemetryEventSchema.parse(event);
      assert.deepEqual(event.attributes, plain(report));
      assert.equal(event.time, new Date(report.event_unix_timestamp * 1000).toISOString());
      assert.equal(event.telemetryId, report.installationUUID);
      // The JSON form of the same report (zap files, old consoles) is the same event.
      const json = events(PARSERS.tiup.parse(`report: ${JSON.stringify(report)}`, at))[0];
      assert.equal(json?.id, event.id);
    }),
  );
});

test("tiup: a report cut off anywhere before its detail's closing '>' is never taken for a whole event", () => {
  fc.assert(
    fc.property(tiupReport, fc.nat(), (report, cut) => {
      const line = tiupLine(report).trimEnd();
      const prefix = line.slice(0, "report: ".length + (cut % (line.length - "report: ".length)));
      assert.notEqual(PARSERS.tiup.parse(prefix, at).kind, "events", prefix);
    }),
  );
});

const tisparkReport = fc.record({
  track_id: word.map((w) => `trkid_${w}`),
  time: fc.integer({ min: 1_500_000_000, max: 1_900_000_000 }),
  hardware: fc.option(
    fc.record({ os: word, memory: text, disks: fc.array(fc.record({ name: text, size: fc.nat() })) }),
  ),
  instance: fc.record({ tispark_version: word, spark_version: word }),
  configuration: fc.dictionary(word, fc.oneof(fc.boolean(), fc.integer(), text)),
});

test("tispark: every report parses back to itself", () => {
  fc.assert(
    fc.property(tisparkReport, (report) => {
      const event = events(PARSERS.tispark.parse(tisparkLine(report), at))[0];
      assert.ok(event);
      telemetryEventSchema.parse(event);
      assert.deepEqual(event.attributes, plain(report));
      assert.equal(event.version, report.instance.tispark_version);
      assert.equal(event.telemetryId, report.track_id);
    }),
  );
});

test("values outside the event model become errors or nulls, never an event the schema rejects", () => {
  const negative = ticloudLine({
    timestamp: "2025-11-20T10:15:42+08:00",
    source: "ticloud",
    properties: { duration: -5 },
  });
  const ticloud = events(PARSERS.ticloud.parse(negative, at))[0];
  assert.equal(ticloud?.durationMs, null);
  telemetryEventSchema.parse(ticloud);
  const farFuture = tiupLine({ event_unix_timestamp: 999_999_999_999, EventDetail: { tiup: { command: "tiup" } } });
  assert.equal(PARSERS.tiup.parse(farFuture, at).kind, "error");
  const year0 = tisparkLine({ track_id: "trkid_1", time: -62_167_219_200 });
  telemetryEventSchema.parse(events(PARSERS.tispark.parse(year0, at))[0]);
});

const validLines = [
  ticloudLine({ timestamp: "2025-11-20T10:15:42.118+08:00", source: "ticloud", properties: { command: "x" } }),
  tiupLine({
    eventUUID: "e",
    event_unix_timestamp: 1667900123,
    EventDetail: { cluster: { command: "c", nodes: [{ hardware: { cpu: { features: ["a"] } } }] } },
  }),
  tisparkLine({ track_id: "trkid_1", time: 1668582131, hardware: null }),
];

test("no parser throws on random text or on any cut, insertion or deletion in a real line", () => {
  const mutated = fc.tuple(fc.constantFrom(...validLines), fc.nat(), fc.nat(), text).map(([line, a, b, insert]) => {
    const i = a % (line.length + 1);
    const j = Math.min(line.length, i + (b % 20));
    return line.slice(0, i) + insert + line.slice(j);
  });
  fc.assert(
    fc.property(
      fc.oneof(
        text,
        mutated,
        mutated.map((l) => l.slice(0, l.length / 2)),
      ),
      (line) => {
        for (const parser of Object.values(PARSERS)) {
          const outcome = parser.parse(line, at);
          if (outcome.kind === "events") for (const event of outcome.events) telemetryEventSchema.parse(event);
        }
      },
    ),
    { numRuns: 2000 },
  );
});
