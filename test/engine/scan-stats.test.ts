import assert from "node:assert/strict";
import { test } from "node:test";
import { emptyStats } from "../../src/engine/scan-stats.js";
import { PRODUCERS } from "../../src/events.js";

test("scan figures count every producer of the event model", () => {
  assert.deepEqual(Object.keys(emptyStats().byProducer).sort(), [...PRODUCERS].sort());
});
