import assert from "node:assert/strict";
import { test } from "node:test";
import { eventEnablement } from "../../src/audit/event-enablement.js";
import type { TelemetryEvent } from "../../src/events.js";

function event(producer: TelemetryEvent["producer"], version: string | null, attributes: Record<string, unknown> = {}) {
  return { producer, version, attributes } as TelemetryEvent;
}

test("TiUP: old default before v1.11.3, explicit from it; the tiup binary's version decides", () => {
  const tiup = (v: string, component = v) =>
    eventEnablement(event("tiup", component, { version: { TiUPVersion: v, ComponentVersion: component } }));
  assert.equal(tiup("1.11.2"), "old-default");
  assert.equal(tiup("1.11.3"), "explicit");
  assert.equal(tiup("1.16.2"), "explicit");
  assert.equal(tiup("1.4.3"), "old-default");
  assert.equal(tiup("1.12.0", "1.10.0"), "explicit");
  // v1.0.1-v1.4.1 reports carry no version block: only old-default versions wrote that shape.
  assert.equal(eventEnablement(event("tiup", null, { EventDetail: { Cluster: {} } })), "old-default");
});

test("TiSpark: off by default from v3.0.3, v3.1.3 and v3.2.1; earlier releases and the prototype sent by default", () => {
  const cases: [string, string][] = [
    ["2.5.0-SNAPSHOT", "old-default"],
    ["3.0.2", "old-default"],
    ["3.0.3", "explicit"],
    ["3.1.1", "old-default"],
    ["3.1.3", "explicit"],
    ["3.2.0", "old-default"],
    ["3.2.0-SNAPSHOT", "old-default"],
    ["3.2.1", "explicit"],
    ["3.3.0", "explicit"],
    ["UNKNOWN", "unknown"],
  ];
  for (const [version, expected] of cases) assert.equal(eventEnablement(event("tispark", version)), expected, version);
});

test("ticloud has always shipped with telemetry off: every event was enabled explicitly", () => {
  assert.equal(eventEnablement(event("ticloud", "0.3.2")), "explicit");
  assert.equal(eventEnablement(event("ticloud", null)), "explicit");
});
