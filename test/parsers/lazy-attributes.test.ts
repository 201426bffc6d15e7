import assert from "node:assert/strict";
import { test } from "node:test";
import { inspect } from "node:util";
import { eventJson } from "../../src/output/event-json.js";
import { canonicalAttributes, lazyAttributes } from "../../src/parsers/canonical-attributes.js";
import { ticloudParser } from "../../src/parsers/ticloud/parse-ticloud.js";

const PAYLOAD = {
  timestamp: "2025-11-20T10:15:42.118+08:00",
  source: "ticloud",
  properties: { command: "ticloud-serverless-list", flags: ["debug"], os: "linux", result: "SUCCESS" },
};

function ticloudEvent() {
  const line = `[2025/11/20 10:15:42.118 +08:00] [DEBUG] [sender.go:47] ["sending telemetry events"] [event=${JSON.stringify(JSON.stringify(PAYLOAD))}]`;
  const outcome = ticloudParser.parse(line, { path: "a.log", line: 1, offset: 0 });
  assert.equal(outcome.kind, "events");
  const event = outcome.kind === "events" ? outcome.events[0] : undefined;
  assert.ok(event);
  return event;
}

test("lazily parsed attributes read, list, spread, serialize and compare as the plain payload does", () => {
  const { attributes } = ticloudEvent();
  assert.deepEqual(attributes, PAYLOAD);
  assert.deepEqual({ ...attributes }, PAYLOAD);
  assert.deepEqual(Object.keys(attributes).sort(), Object.keys(PAYLOAD).sort());
  assert.deepEqual(JSON.parse(JSON.stringify(attributes)), PAYLOAD);
  assert.equal("properties" in attributes, true);
  assert.equal((attributes.properties as { os: string }).os, "linux");
  // A copy made for another thread (the scan worker's) survives structured clone whole.
  assert.deepEqual(structuredClone({ ...attributes }), PAYLOAD);
});

test("the id and the printed event come from the canonical text without parsing the attributes", () => {
  const event = ticloudEvent();
  const text = canonicalAttributes(event.attributes);
  assert.equal(
    text,
    JSON.stringify({ properties: PAYLOAD.properties, source: "ticloud", timestamp: PAYLOAD.timestamp }),
  );
  assert.equal(JSON.parse(eventJson(event)).attributes.properties.command, "ticloud-serverless-list");
  // inspect shows a Proxy's target without running its traps: still empty, so nothing was parsed.
  assert.equal(inspect(event.attributes), "{}");
  assert.equal(event.attributes.source, "ticloud");
  assert.match(inspect(event.attributes), /source: 'ticloud'/);
});

test("a change to lazily parsed attributes is what the printed event then shows", () => {
  const attributes = lazyAttributes('{"a":1,"b":{"c":2}}');
  attributes.z = 3;
  assert.equal(canonicalAttributes(attributes), '{"a":1,"b":{"c":2},"z":3}');
  delete attributes.a;
  assert.deepEqual(attributes, { b: { c: 2 }, z: 3 });
  const other = lazyAttributes('{"a":1}');
  Object.defineProperty(other, "b", { value: 2, enumerable: true, configurable: true, writable: true });
  assert.equal(canonicalAttributes(other), '{"a":1,"b":2}');
});
