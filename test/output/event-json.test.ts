import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { TelemetryEvent } from "../../src/events.js";
import { eventJson } from "../../src/output/event-json.js";
import { canonicalJson } from "../../src/parsers/canonical-json.js";
import { makeEvent } from "../helpers/make-event.js";

const nullableText = fc.option(fc.string({ unit: "binary" }), { nil: null });

test("an event's JSON holds every field as JSON.stringify would, attributes in canonical key order", () => {
  fc.assert(
    fc.property(
      fc.record({
        command: nullableText,
        version: nullableText,
        os: nullableText,
        arch: nullableText,
        telemetryId: nullableText,
        durationMs: fc.option(fc.double({ min: 0, noNaN: true }), { nil: null }),
        attributes: fc.dictionary(fc.string(), fc.jsonValue()),
        logger: nullableText,
        path: fc.string({ unit: "binary" }),
      }),
      (fields) => {
        const { logger, path, ...top } = fields;
        const base = makeEvent(1);
        const event: TelemetryEvent = {
          ...base,
          ...top,
          log: { ...base.log, logger },
          source: { ...base.source, path },
        };
        const text = eventJson(event);
        assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(event)));
        const reference = JSON.stringify({ ...event, attributes: "<attributes>" });
        assert.equal(
          text,
          reference.replace('"<attributes>"', () => canonicalJson(event.attributes)),
        );
      },
    ),
    { numRuns: 1000 },
  );
});

test("two events with the same payload in another key order print the same attributes text", () => {
  const a = makeEvent(1, { attributes: { b: 1, a: { d: [1, { z: 0, y: 1 }], c: "x" } } });
  const b = makeEvent(1, { attributes: { a: { c: "x", d: [1, { y: 1, z: 0 }] }, b: 1 } });
  assert.equal(eventJson(a), eventJson(b));
  assert.ok(eventJson(a).includes('"attributes":{"a":{"c":"x","d":[1,{"y":1,"z":0}]},"b":1}'));
});
