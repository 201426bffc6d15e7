import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, it } from "node:test";
import type { TelemetryEvent } from "../../../src/events.js";
import { Metrics } from "../../../src/server/metrics.js";
import { StdinSource } from "../../../src/sources/stdin/stdin-source.js";
import { stdinSourceConfigSchema } from "../../../src/sources/stdin/stdin-source-config.js";
import { REPO } from "../../helpers/run-cli.js";
import { quietLogger, waitUntil } from "../../pipeline/pipeline-helpers.js";

const FIXTURE = join(REPO, "fixtures", "ticloud", "docs-body-array");

describe("stdin source", () => {
  it("emits the events of piped log lines, a line split across chunks once and whole", async () => {
    const input = new PassThrough();
    const source = new StdinSource("in", stdinSourceConfigSchema.parse({ type: "stdin" }), {
      metrics: new Metrics(),
      logger: quietLogger,
      input,
    });
    const got: TelemetryEvent[] = [];
    await source.start(async (batch) => {
      got.push(...batch.events);
      batch.ack();
    });
    const log = readFileSync(`${FIXTURE}.log`);
    const half = Math.floor(log.length / 2);
    input.write(log.subarray(0, half));
    input.write(log.subarray(half));
    input.end();
    const want = readFileSync(`${FIXTURE}.expected.jsonl`, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line).id);
    await waitUntil(() => got.length >= want.length, "the events");
    await source.stop();
    assert.deepEqual(
      got.map((event) => event.id),
      want,
    );
    assert.ok(got.every((event) => event.source.path === "-"));
  });
});
