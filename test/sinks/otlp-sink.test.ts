import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { OtlpSink } from "../../src/sinks/otlp/otlp-sink.js";
import { otlpSinkConfigSchema } from "../../src/sinks/otlp/otlp-sink-config.js";
import { startServer } from "../helpers/http-server.js";
import { makeEvent } from "../helpers/make-event.js";

describe("otlp sink", async () => {
  const server = await startServer();
  after(() => server.close());

  it("posts OTLP/HTTP JSON logs to /v1/logs: resource per producer and version, one record per event", async () => {
    const config = otlpSinkConfigSchema.parse({ type: "otlp", inputs: ["logs"], endpoint: `${server.url}/` });
    const events = [
      makeEvent(1),
      makeEvent(2),
      makeEvent(3, {
        producer: "tiup",
        version: "1.14.0",
        telemetryId: "uuid-1",
        log: { time: null, level: "INFO", logger: null },
      }),
    ];
    assert.deepEqual(await new OtlpSink("otel", config, (p) => p).send(events), { kind: "ok" });
    const request = server.requests.at(-1);
    assert.equal(request?.url, "/v1/logs");
    assert.equal(request?.headers["content-type"], "application/json");
    const body = JSON.parse(request?.body ?? "");
    assert.equal(body.resourceLogs.length, 2, "ticloud 1.0.0 and tiup 1.14.0 are two resources");
    const [ticloud, tiup] = body.resourceLogs;
    assert.deepEqual(ticloud.resource.attributes, [
      { key: "service.name", value: { stringValue: "ticloud" } },
      { key: "service.version", value: { stringValue: "1.0.0" } },
      { key: "os.type", value: { stringValue: "linux" } },
      { key: "host.arch", value: { stringValue: "amd64" } },
    ]);
    assert.ok(
      tiup.resource.attributes.some(
        (kv: { key: string; value: unknown }) =>
          kv.key === "teletap.telemetry_id" && JSON.stringify(kv.value) === '{"stringValue":"uuid-1"}',
      ),
    );
    const records = ticloud.scopeLogs[0].logRecords;
    assert.equal(ticloud.scopeLogs[0].scope.name, "teletap");
    assert.equal(records.length, 2);
    const [first] = records;
    assert.equal(first.timeUnixNano, String(Date.parse(events[0]?.time ?? "") * 1_000_000));
    assert.equal(first.severityText, "DEBUG");
    assert.equal(first.severityNumber, 5);
    assert.equal(tiup.scopeLogs[0].logRecords[0].severityNumber, 9);
    const attributes = new Map(first.attributes.map((kv: { key: string; value: unknown }) => [kv.key, kv.value]));
    assert.deepEqual(attributes.get("id"), { stringValue: events[0]?.id });
    assert.deepEqual(attributes.get("attributes.properties.command"), { stringValue: "serverless list" });
    assert.deepEqual(attributes.get("attributes.seq"), { intValue: "1" });
    assert.equal(attributes.has("telemetryId"), false, "nulls are left out");
    const body0 = first.body.kvlistValue.values.find((kv: { key: string }) => kv.key === "id");
    assert.deepEqual(body0.value, { stringValue: events[0]?.id }, "the body is the event");
  });
});
