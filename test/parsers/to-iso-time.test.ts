import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { isoFromMillis, isoFromText } from "../../src/parsers/to-iso-time.js";

/** What isoFromText answered before its digit-by-digit path: the platform's Date parser, years 0000-9999 only. */
function reference(text: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i.test(text)) return null;
  const date = new Date(text);
  const ms = date.getTime();
  if (!Number.isFinite(ms) || ms < Date.parse("0000-01-01T00:00:00.000Z")) return null;
  return ms > Date.parse("9999-12-31T23:59:59.999Z") ? null : date.toISOString();
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

test("RFC 3339 times convert exactly as Date parses them, odd fields and offsets included", () => {
  const text = fc
    .record({
      year: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 99, 100, 1970, 9999)),
      month: fc.integer({ min: 0, max: 13 }),
      day: fc.integer({ min: 0, max: 32 }),
      hour: fc.integer({ min: 0, max: 25 }),
      minute: fc.integer({ min: 0, max: 60 }),
      second: fc.integer({ min: 0, max: 60 }),
      fraction: fc.option(fc.stringMatching(/^\d{1,12}$/)),
      t: fc.constantFrom("T", "t"),
      zone: fc.oneof(
        fc.constantFrom("Z", "z"),
        fc
          .tuple(fc.constantFrom("+", "-"), fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 60 }))
          .map(([sign, h, m]) => `${sign}${pad(h, 2)}:${pad(m, 2)}`),
      ),
    })
    .map(
      (f) =>
        `${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)}${f.t}${pad(f.hour, 2)}:${pad(f.minute, 2)}:` +
        `${pad(f.second, 2)}${f.fraction === null ? "" : `.${f.fraction}`}${f.zone}`,
    );
  fc.assert(
    fc.property(text, (value) => {
      assert.equal(isoFromText(value), reference(value), value);
    }),
    { numRuns: 5000 },
  );
});

test("ticloud's timestamps become UTC with milliseconds, the fraction truncated", () => {
  assert.equal(isoFromText("2025-11-20T10:15:42.118306+08:00"), "2025-11-20T02:15:42.118Z");
  assert.equal(isoFromText("2025-11-20T10:17:03.5+08:00"), "2025-11-20T02:17:03.500Z");
  assert.equal(isoFromText("2023-03-09T16:40:12-05:30"), "2023-03-09T22:10:12.000Z");
  assert.equal(isoFromText("2023-03-09 16:40:12"), "2023-03-09T16:40:12.000Z");
  assert.equal(isoFromText("2023-03-09T16:40:12.x+08:00"), null);
  assert.equal(isoFromText("0000-01-01T00:00:00+01:00"), null);
});

test("instants are written exactly as Date#toISOString writes them, over the whole 0000-9999 range", () => {
  const min = Date.parse("0000-01-01T00:00:00.000Z");
  const max = Date.parse("9999-12-31T23:59:59.999Z");
  fc.assert(
    fc.property(fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max, 0, -1, 951_782_400_000)), (ms) => {
      assert.equal(isoFromMillis(ms), new Date(ms).toISOString());
    }),
    { numRuns: 20_000 },
  );
  for (const fractional of [1.5, -1.5, 1_700_000_000_123.9]) {
    assert.equal(isoFromMillis(fractional), new Date(fractional).toISOString());
  }
  assert.equal(isoFromMillis(min - 1), null);
  assert.equal(isoFromMillis(max + 1), null);
  assert.equal(isoFromMillis(Number.NaN), null);
});
