import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { countNewlines } from "../../src/engine/count-newlines.js";

function naive(bytes: Uint8Array, start: number, end: number): number {
  let count = 0;
  for (let i = start; i < end; i++) if (bytes[i] === 10) count++;
  return count;
}

test("counts like a byte loop on empty, all-LF, LF-free and mixed buffers, small and large", () => {
  const large = Buffer.alloc(700_000, 0x61);
  for (let i = 0; i < large.length; i += 97) large[i] = 10;
  const cases = [
    Buffer.alloc(0),
    Buffer.alloc(10, 10),
    Buffer.alloc(300_000, 10),
    Buffer.alloc(300_000, 0x20),
    large,
    Buffer.from("a\r\nb\n\nc"),
  ];
  for (const buf of cases) {
    for (const [start, end] of [
      [0, buf.length],
      [1, buf.length - 1],
      [3, Math.floor(buf.length / 2) + 5],
      [4095, buf.length - 17],
    ] as const) {
      if (start > end || end > buf.length) continue;
      assert.equal(countNewlines(buf, start, end), naive(buf, start, end), `${buf.length} [${start}, ${end})`);
    }
  }
});

test("counts like a byte loop on random buffers and unaligned ranges", () => {
  const bytes = fc.uint8Array({ maxLength: 20_000 }).map((raw) => raw.map((b) => (b % 5 === 0 ? 10 : b)));
  fc.assert(
    fc.property(bytes, fc.nat(), fc.nat(), (buf, a, b) => {
      const start = buf.length === 0 ? 0 : a % buf.length;
      const end = start + (buf.length === 0 ? 0 : b % (buf.length - start + 1));
      assert.equal(countNewlines(buf, start, end), naive(buf, start, end));
    }),
    { numRuns: 500 },
  );
});
