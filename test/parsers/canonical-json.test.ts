import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { canonicalJson } from "../../src/parsers/canonical-json.js";

/** The original definition: keys sorted at every depth, undefined members dropped. */
function reference(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(reference).join(",")}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .sort()
    .filter((key) => record[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${reference(record[key])}`);
  return `{${members.join(",")}}`;
}

test("canonical JSON equals the key-sorted reference for any JSON value", () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      assert.equal(canonicalJson(value), reference(value));
    }),
    { numRuns: 2000 },
  );
});

test("canonical JSON is independent of key order, index-like and __proto__ keys included", () => {
  const parsed = JSON.parse('{"b":1,"10":2,"9":[{"z":null,"a":true}],"__proto__":{"y":"x","c":-0},"a":"\\u003c"}');
  const reordered = JSON.parse('{"a":"<","__proto__":{"c":0,"y":"x"},"9":[{"a":true,"z":null}],"10":2,"b":1}');
  assert.equal(canonicalJson(parsed), reference(parsed));
  assert.equal(canonicalJson(parsed), canonicalJson(reordered));
  assert.equal(canonicalJson({ a: undefined, b: [undefined, 1] }), '{"b":[null,1]}');
});

test("already sorted objects come out as JSON.stringify prints them", () => {
  const value = { properties: { arch: "amd64", flags: ["debug"], os: "linux" }, source: "ticloud", timestamp: "t" };
  assert.equal(canonicalJson(value), JSON.stringify(value));
});
