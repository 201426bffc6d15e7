import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import type { TelemetryEvent } from "../src/events.js";
import { forEachLeaf, parseFieldPath, readFieldPath } from "../src/field-path.js";

// The TiSpark docs' sample: configuration keys hold dots, values are strings, hardware.disks is an array.
const PROTOTYPE = JSON.parse(
  readFileSync("fixtures/tispark/docs-prototype.expected.jsonl", "utf8").split("\n")[0] ?? "",
) as TelemetryEvent;

function read(root: unknown, text: string): unknown {
  const parsed = parseFieldPath(text);
  assert.ok("path" in parsed, `'${text}': ${"error" in parsed ? parsed.error : ""}`);
  return readFieldPath(root, parsed.path);
}

const errorOf = (text: string) => {
  const parsed = parseFieldPath(text);
  return "error" in parsed ? parsed.error : "parsed";
};

test("a key holding dots is found quoted in double or single quotes, or written as plain dotted names", () => {
  assert.equal(read(PROTOTYPE, 'attributes.configuration["spark.sql.auth.enable"]'), "true");
  assert.equal(read(PROTOTYPE, "attributes.configuration['spark.sql.auth.enable']"), "true");
  assert.equal(read(PROTOTYPE, "attributes.configuration.spark.sql.auth.enable"), "true");
  assert.equal(read(PROTOTYPE, "attributes.instance.spark_version"), "3.0.2");
  assert.equal(read(PROTOTYPE, "attributes.configuration.spark.sql.auth"), undefined, "no key is a prefix match");
});

test("at each step the longest run of names that is an own key wins, without backtracking", () => {
  const shadowed = { a: { b: { c: "nested" } }, "a.b": { c: "dotted" } };
  assert.equal(read(shadowed, "a.b.c"), "dotted");
  assert.equal(read(shadowed, '["a"].b.c'), "nested", "a bracketed key never joins its neighbours");
  assert.equal(read({ "a.b": {}, a: { b: { c: 1 } } }, "a.b.c"), undefined);
  assert.equal(read({}, "constructor"), undefined, "inherited properties are not fields");
  assert.equal(read(PROTOTYPE, "attributes.track_id.length"), undefined, "a string has no fields");
});

test("array items are addressed by index, dotted or bracketed", () => {
  assert.equal(read(PROTOTYPE, "attributes.hardware.disks.0.name"), "/dev/nvme0n1");
  assert.equal(read(PROTOTYPE, "attributes.hardware.disks[0].name"), "/dev/nvme0n1");
  assert.equal(read(PROTOTYPE, "attributes.hardware.disks[1].name"), undefined);
});

test("every path the audit writes for a field reads that field back", () => {
  const keys = { ...PROTOTYPE.attributes, 'a "quoted" \\ key': 1, "x=y": 2, "": 3 };
  let checked = 0;
  forEachLeaf(keys, (field, _key, value) => {
    if (field.includes("[]")) return;
    assert.equal(read(keys, field), value, field);
    checked++;
  });
  assert.ok(checked > 20, `only ${checked} fields`);
});

test("a malformed path names what is wrong and where", () => {
  assert.equal(errorOf("attributes..os"), "empty segment at character 12");
  assert.equal(errorOf("attributes."), "empty segment at character 12");
  assert.equal(errorOf(".os"), "empty segment at character 1");
  assert.equal(errorOf('configuration["spark.sql.auth.enable"'), "unclosed '[' at character 14");
  assert.equal(errorOf("disks[0"), "unclosed '[' at character 6");
  assert.equal(errorOf("configuration['spark.sql"), "unclosed quote at character 15");
  assert.equal(errorOf('configuration["a"x]'), "expected ']' at character 18 to close the '[' at character 14");
  assert.equal(errorOf('configuration["a"]x'), "expected '.' or '[' at character 19");
  assert.equal(errorOf("os]"), "unexpected ']' at character 3");
  assert.match(errorOf("configuration[spark.sql]"), /^'\[spark\.sql\]' at character 14: write an index such as \[0\]/);
  assert.match(errorOf("disks[]"), /^'\[\]' at character 6/);
  assert.equal(errorOf('configuration["\\x"]'), "invalid escape in the quoted key at character 15");
});

test("with a stop character the path ends there, unless it stands inside quotes", () => {
  const parsed = parseFieldPath('attributes["x=y"]=2', "=");
  assert.ok("path" in parsed);
  assert.equal(parsed.end, 17);
  assert.equal(readFieldPath({ attributes: { "x=y": 2 } }, parsed.path), 2);
});
