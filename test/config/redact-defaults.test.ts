import assert from "node:assert/strict";
import { test } from "node:test";
import { SINKS } from "../../src/sinks/registry.js";

test("the redact step applies by default to sinks that send events away, not to the local store audit reads", () => {
  const parse = (type: keyof typeof SINKS, extra: object = {}) =>
    (SINKS[type].configSchema.parse({ type, inputs: ["logs"], ...extra }) as { redact: boolean }).redact;
  assert.equal(parse("http", { url: "http://127.0.0.1:8080/ingest" }), true);
  assert.equal(parse("otlp", { endpoint: "http://127.0.0.1:4318" }), true);
  assert.equal(parse("stdout"), true);
  assert.equal(parse("file"), false);
  assert.equal(parse("file", { redact: true }), true);
});
