import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { eventJsonSchema, telemetryEventSchema } from "../src/events.js";
import { runCli } from "./helpers/run-cli.js";

test("the event's JSON Schema is pinned: a change to the contract shows up as a diff of docs/event.schema.json", async () => {
  const pinned = JSON.parse(readFileSync("docs/event.schema.json", "utf8"));
  assert.deepEqual(eventJsonSchema(), pinned);
  const printed = await runCli(["schema"]);
  assert.deepEqual(JSON.parse(printed.stdout), pinned);
});

test("teletap schema answers --help with its usage and refuses arguments it does not take", async () => {
  const help = await runCli(["schema", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^usage: teletap schema/);
  const extra = await runCli(["schema", "extra"]);
  assert.equal(extra.code, 2);
  assert.match(extra.stderr, /teletap schema: .*extra/);
});

test("the schema names every field of the event-model contract", () => {
  const schema = eventJsonSchema() as { required: string[] };
  assert.deepEqual(schema.required.sort(), [
    "arch",
    "attributes",
    "command",
    "durationMs",
    "id",
    "log",
    "os",
    "producer",
    "result",
    "source",
    "telemetryId",
    "time",
    "version",
  ]);
});

test("times must be UTC with milliseconds, ids 32 hex digits", () => {
  const base = {
    id: "0".repeat(32),
    producer: "tiup",
    time: "2023-01-04T07:28:20.000Z",
    command: null,
    result: null,
    durationMs: null,
    version: null,
    os: null,
    arch: null,
    telemetryId: null,
    attributes: {},
    log: { time: null, level: null, logger: null },
    source: { path: "-", line: 1, offset: 0 },
  };
  assert.ok(telemetryEventSchema.safeParse(base).success);
  assert.ok(!telemetryEventSchema.safeParse({ ...base, time: "2023-01-04T15:28:20+08:00" }).success);
  assert.ok(!telemetryEventSchema.safeParse({ ...base, id: "xyz" }).success);
  assert.ok(!telemetryEventSchema.safeParse({ ...base, extra: 1 }).success);
});
