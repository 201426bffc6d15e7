import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { stripVTControlCharacters as plain } from "node:util";
import type { TelemetryEvent } from "../../src/events.js";
import { tableHeader, tableRow } from "../../src/output/format-table-row.js";

const EVENTS = readFileSync("fixtures/mixed/all-three-producers.expected.jsonl", "utf8")
  .split("\n")
  .filter((line) => line !== "")
  .map((line) => JSON.parse(line) as TelemetryEvent);

test("on a terminal, colour takes no column: every producer's row lines up as it does without colour", () => {
  assert.deepEqual(
    EVENTS.map((e) => e.producer),
    ["ticloud", "tiup", "tiup", "tispark"],
  );
  assert.equal(plain(tableHeader(true)), tableHeader(false));
  for (const event of EVENTS) assert.equal(plain(tableRow(event, true)), tableRow(event, false));
  const tispark = tableRow(EVENTS[3] as TelemetryEvent, true);
  assert.ok(tispark.includes("\u001b[2m[spark 3.2.2, tidb v6.1.2]"), "TiSpark's runtime is dimmed: it is no command");
});
