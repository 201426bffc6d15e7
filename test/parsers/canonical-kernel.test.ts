import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { canonicalJson } from "../../src/parsers/canonical-json.js";
import {
  canonicalJsonWithKernel,
  canonicalKernelLoaded,
  decodeWithKernel,
  type MemberShape,
} from "../../src/parsers/canonical-kernel.js";

/** A JSON text as a pingcap/log field holds it: JSON string escapes, without the surrounding quotes. */
function quoted(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** What Go's encoding/json writes: `&`, `<` and `>` escaped, as in released ticloud lines. */
function goJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent)
    .replaceAll("&", "\\u0026")
    .replaceAll("<", "\\u003c")
    .replaceAll(">", "\\u003e");
}

// The members the tests ask the kernel for: a ticloud event's, and `n`, which the generated payloads often hold.
const SHAPE: MemberShape = {
  n: true,
  timestamp: true,
  properties: { command: true, duration: true, result: true, properties: { os: true } },
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The members `shape` names, read from the event as JSON.parse gives it, with empty stand-ins for other objects. */
function pick(value: unknown, shape: MemberShape): Record<string, unknown> | null {
  if (!isObject(value)) return null;
  const picked: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(shape)) {
    if (!Object.hasOwn(value, key)) continue;
    const member = value[key];
    if (inner !== true && isObject(member)) picked[key] = pick(member, inner);
    else picked[key] = Array.isArray(member) ? [] : isObject(member) ? {} : member;
  }
  return picked;
}

/** What the general path answers for the same field: the canonical JSON of each event, and the members read off it. */
function expected(text: string): { array: boolean; canonical: string[]; members: (Record<string, unknown> | null)[] } {
  const value = JSON.parse(text) as unknown;
  const array = Array.isArray(value);
  const canonical = (array ? value : [value]).map(canonicalJson);
  // The members are what the canonical JSON holds: `-0` there is `0`, as the event's id and output have it.
  return { array, canonical, members: canonical.map((item) => pick(JSON.parse(item), SHAPE)) };
}

// The fast path's payloads: ASCII strings, integers, literals, nested arrays and objects. Keys hold no character
// JSON escapes (the kernel compares keys as written), as every key ticloud sends.
const keyChar = fc.integer({ min: 0x20, max: 0x7e }).filter((c) => c !== 0x22 && c !== 0x5c);
const key = fc
  .string({ unit: keyChar.map((c) => String.fromCharCode(c)), minLength: 1 })
  .filter((k) => k !== "__proto__");
const leaf = fc.oneof(fc.string({ unit: "binary-ascii" }), fc.integer(), fc.boolean(), fc.constant(null));
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("tree")), fc.dictionary(key, tie("tree"))),
}));
const fastPathPayload = fc.dictionary(key, tree);

test("the kernel is built and loads (without it every payload takes the slower general path)", () => {
  assert.equal(canonicalKernelLoaded(), true);
});

test("a released ticloud payload, Go's escapes included, is decoded on the fast path", () => {
  const payload = {
    timestamp: "2025-11-20T10:17:03.5+08:00",
    source: "ticloud",
    properties: { command: "ticloud-serverless-describe", duration: 1, error: "\u0026{Code:<nil>}", result: "ERROR" },
  };
  const text = goJson(payload);
  assert.deepEqual(decodeWithKernel(quoted(text), SHAPE), expected(text));
});

test("the kernel agrees with the general path on any JSON value, or leaves it to that path", () => {
  const values = fc.oneof(fc.jsonValue({ stringUnit: "binary-ascii" }), fc.jsonValue());
  fc.assert(
    fc.property(values, fc.constantFrom(undefined, 1), (value, indent) => {
      const text = goJson(value, indent);
      const decoded = decodeWithKernel(quoted(text), SHAPE);
      if (decoded !== null) assert.deepEqual(decoded, expected(text));
      // A TiSpark report is the JSON text itself, not a quoted field.
      const canonical = canonicalJsonWithKernel(text);
      if (canonical !== null) assert.equal(canonical, canonicalJson(JSON.parse(text)));
    }),
    { numRuns: 3000 },
  );
});

test("ASCII payloads of strings, integers and nested objects all take the fast path", () => {
  fc.assert(
    fc.property(fastPathPayload, (value) => {
      const text = goJson(value);
      assert.deepEqual(decodeWithKernel(quoted(text), SHAPE), expected(text));
      assert.equal(canonicalJsonWithKernel(text), canonicalJson(value));
    }),
    { numRuns: 1000 },
  );
});

test("a mutated text the kernel accepts is what JSON.parse reads in it, canonicalized the same way", () => {
  const insert = fc.constantFrom(
    ...'{}[]:,"\\/ 0-.eE\u0000\u00e9'.split(""),
    '\\"',
    "\\u0026",
    "\\ud800",
    "1e3",
    "__proto__",
  );
  const edit = fc.record({ at: fc.nat(), remove: fc.nat({ max: 2 }), insert: fc.option(insert) });
  const mutated = (text: string, edits: { at: number; remove: number; insert: string | null }[]) =>
    edits.reduce((out, { at, remove, insert }) => {
      const i = at % (out.length + 1);
      return out.slice(0, i) + (insert ?? "") + out.slice(i + remove);
    }, text);
  const accepted = { quoted: 0, json: 0 };
  fc.assert(
    fc.property(
      fc.jsonValue({ stringUnit: "binary-ascii" }),
      fc.array(edit, { minLength: 1, maxLength: 3 }),
      (value, edits) => {
        const field = mutated(quoted(goJson(value)), edits);
        const decoded = decodeWithKernel(field, SHAPE);
        if (decoded !== null) {
          accepted.quoted++;
          assert.deepEqual(decoded, expected(JSON.parse(`"${field}"`)));
        }
        const json = mutated(goJson(value), edits);
        const canonical = canonicalJsonWithKernel(json);
        if (canonical !== null) {
          accepted.json++;
          assert.equal(canonical, canonicalJson(JSON.parse(json)));
        }
      },
    ),
    { numRuns: 5000 },
  );
  // The property means something only if mutated texts do reach the kernel's output.
  assert.ok(accepted.quoted > 50 && accepted.json > 50, `accepted: ${JSON.stringify(accepted)}`);
});

test("a ticloud event's members are read off its canonical JSON whatever their type, escapes included", () => {
  const anyValue = fc.oneof(
    fc.string({ unit: "binary-ascii" }),
    fc.constantFrom("", "SUCCESS", 'a"b\\c', "line\nbreak", "\u0026"),
    fc.integer(),
    fc.integer({ min: -1e8, max: 1e8 }).map((n) => n / 1000),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.integer(), { maxLength: 2 }),
    fc.dictionary(fc.constantFrom("os", "x", "command"), fc.string({ unit: "binary-ascii" }), { maxKeys: 2 }),
  );
  const member = (name: string) => fc.option(fc.tuple(fc.constant(name), anyValue), { nil: undefined });
  const properties = fc
    .tuple(member("command"), member("duration"), member("result"), member("properties"), member("zz"), member("a"))
    .map((entries) => Object.fromEntries(entries.filter((entry) => entry !== undefined)));
  const event = fc
    .tuple(member("timestamp"), member("source"), fc.option(properties, { nil: undefined }), anyValue)
    .map(([timestamp, source, props, other]) => ({
      ...Object.fromEntries([timestamp, source].filter((entry) => entry !== undefined)),
      ...(props === undefined ? {} : { properties: props }),
      other,
    }));
  let picked = 0;
  fc.assert(
    fc.property(fc.oneof(event, fc.array(event, { minLength: 1, maxLength: 3 })), (value) => {
      const text = goJson(value);
      const decoded = decodeWithKernel(quoted(text), SHAPE);
      if (decoded === null) return;
      picked++;
      assert.deepEqual(decoded, expected(text));
    }),
    { numRuns: 2000 },
  );
  assert.ok(picked > 1000, `decoded on the fast path: ${picked} of 2000`);
});

test("numbers are spelled as JavaScript spells them, or left to the general path", () => {
  const cases: [string, string | null][] = [
    ["-0", "0"],
    ["-0.0", "0"],
    ["1.50", "1.5"],
    ["10.0", "10"],
    ["0.000001", "0.000001"],
    ["0.0000001", null],
    ["1e3", null],
    ["123456789012345", "123456789012345"],
    ["1234567890123456", null],
    ["01", null],
  ];
  for (const [text, canonical] of cases) {
    const decoded = decodeWithKernel(quoted(`{"n":${text}}`), SHAPE);
    assert.equal(decoded?.canonical[0] ?? null, canonical === null ? null : `{"n":${canonical}}`, text);
    if (canonical !== null) assert.equal(decoded?.members[0]?.n, Number(canonical), text);
  }
});

test("duplicate and __proto__ keys, non-ASCII text, deep nesting and large unsorted objects take the general path", () => {
  for (const text of ['{"a":1,"a":2}', '{"b":1,"a":2,"b":3}', '{"__proto__":{}}', '{"a":"é"}', '{"a":"\\u00e9"}']) {
    assert.equal(decodeWithKernel(quoted(text), SHAPE), null, text);
  }
  assert.equal(decodeWithKernel(quoted(`${"[".repeat(100)}${"]".repeat(100)}`), SHAPE), null);
  // Keys in reverse order: sorting them would take quadratic time in the kernel, so the general path takes them.
  const keys = (count: number) => Array.from({ length: count }, (_, i) => `"k${String(count - i).padStart(5, "0")}":0`);
  assert.equal(decodeWithKernel(quoted(`{${keys(257).join(",")}}`), SHAPE), null);
  assert.deepEqual(decodeWithKernel(quoted(`{${keys(256).join(",")}}`), SHAPE), expected(`{${keys(256).join(",")}}`));
  assert.notEqual(decodeWithKernel(quoted(`${"[".repeat(30)}${"]".repeat(30)}`), SHAPE), null);
});
