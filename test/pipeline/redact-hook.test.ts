import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Pipeline, type SinkDelivery } from "../../src/pipeline/pipeline.js";
import { createRedactor } from "../../src/redact/create-redactor.js";
import { meteredRedact } from "../../src/redact/metered-redact.js";
import { redactConfigSchema } from "../../src/redact/redact-config.js";
import { Metrics } from "../../src/server/metrics.js";
import { FileSink } from "../../src/sinks/file/file-sink.js";
import { fileSinkConfigSchema } from "../../src/sinks/file/file-sink-config.js";
import { listSegments } from "../../src/store/store-layout.js";
import { makeEvent } from "../helpers/make-event.js";
import { tmpDir } from "../helpers/tmp-dir.js";
import { batchOf, quietLogger, waitUntil } from "./pipeline-helpers.js";

describe("redact hook", () => {
  it("redacts events before a sink with redact: true sends them, and leaves a redact: false sink alone", async () => {
    const dataDir = tmpDir();
    const delivery = (redact: boolean): SinkDelivery =>
      fileSinkConfigSchema.parse({ type: "file", inputs: ["logs"], redact, batch: { maxWaitMs: 10 } });
    const redactor = createRedactor(redactConfigSchema.parse({}));
    const metrics = new Metrics();
    const pipeline = await Pipeline.create({
      dataDir,
      sinks: new Map([
        ["masked", { sink: new FileSink("masked", join(dataDir, "masked")), delivery: delivery(true) }],
        ["raw", { sink: new FileSink("raw", join(dataDir, "raw")), delivery: delivery(false) }],
      ]),
      metrics,
      logger: quietLogger,
      redact: meteredRedact(redactor, metrics),
    });
    const event = makeEvent(1, { attributes: { seq: 1, properties: { user: "alice.smith@example.com" } } });
    const acks = { count: 0 };
    await pipeline.emit(batchOf([event], acks));
    await waitUntil(() => acks.count === 1, "the ack");
    await pipeline.stop(1000);
    const read = (dir: string) =>
      listSegments(join(dataDir, dir))
        .map((path) => readFileSync(path, "utf8"))
        .join("");
    assert.ok(read("raw").includes("alice.smith@example.com"));
    assert.ok(!read("masked").includes("alice.smith@example.com"), read("masked"));
    assert.equal(JSON.parse(read("masked")).id, event.id, "the id is kept, so receivers still de-duplicate");
    assert.match(
      metrics.render(),
      /^teletap_redactions_total\{rule="email"\} 1$/m,
      "each redaction is counted in /metrics",
    );
  });
});
