import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { MarkerKernel, minimalMarkers } from "../../src/engine/marker-kernel.js";

const MARKERS = ["sending telemetry events", "Telemetry report: ", "report: "];
// What the kernel searches: "Telemetry report: " holds "report: ", so a line with one holds the other.
const SEARCHED = ["sending telemetry events", "report: "];

function naiveCount(bytes: Uint8Array, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) if (bytes[i] === 10) count++;
  return count;
}

function naiveFind(bytes: Buffer, from: number, to: number, needles: string[]): { at: number; newlines: number } {
  const region = bytes.subarray(from, to);
  const hits = needles.map((needle) => region.indexOf(needle)).filter((at) => at >= 0);
  const at = hits.length === 0 ? -1 : Math.min(...hits);
  return { at: at < 0 ? -1 : from + at, newlines: naiveCount(bytes, from, at < 0 ? to : from + at) };
}

/** Random log-like bytes: LFs, marker pieces and whole markers are frequent, so edges get exercised. */
const pieces = fc.constantFrom(
  "\n",
  "\n\n",
  "x",
  "report:",
  "report: ",
  " report: ",
  "Telemetry report: ",
  "sending telemetry event",
  "sending telemetry events",
  "sending telemetry events\n",
  "ep",
  "p:",
  "y ev",
  "é",
  "0123456789abcdef",
  "-".repeat(61),
);
const logBytes = fc.array(pieces, { maxLength: 120 }).map((parts) => Buffer.from(parts.join(""), "utf8"));

function load(kernel: MarkerKernel, content: Buffer, shift: number): void {
  kernel.ensure(shift + content.length);
  kernel.bytes.fill(0xaa);
  content.copy(kernel.bytes, shift);
}

test("count equals a byte-by-byte LF count on edge buffers", () => {
  const kernel = new MarkerKernel([], 1 << 16);
  const cases = [
    Buffer.alloc(0),
    Buffer.alloc(1, 10),
    Buffer.alloc(4097, 10),
    Buffer.alloc(4097, 0x61),
    Buffer.from("a\n".repeat(40_000)),
  ];
  for (const content of cases) {
    for (const shift of [0, 1, 15, 16, 63]) {
      load(kernel, content, shift);
      for (const [from, to] of [
        [shift, shift + content.length],
        [shift + 1, shift + content.length - 1],
        [shift + 7, shift + content.length - 13],
      ] as const) {
        if (to < from) continue;
        assert.equal(
          kernel.count(from, to),
          naiveCount(kernel.bytes, from, to),
          `len ${content.length} [${from},${to})`,
        );
      }
    }
  }
});

test("count folds its lane counters: more than 255 LFs per lane are not lost", () => {
  const kernel = new MarkerKernel([], 1 << 20);
  kernel.bytes.fill(10, 0, 1 << 20);
  assert.equal(kernel.count(0, 1 << 20), 1 << 20);
  assert.equal(kernel.count(3, (1 << 20) - 5), (1 << 20) - 8);
});

test("count equals a byte-by-byte LF count on random buffers and unaligned ranges", () => {
  const kernel = new MarkerKernel([], 1 << 16);
  fc.assert(
    fc.property(logBytes, fc.nat(80), fc.nat(), fc.nat(), (content, shift, a, b) => {
      load(kernel, content, shift);
      const from = shift + (content.length === 0 ? 0 : a % content.length);
      const to = from + (content.length === 0 ? 0 : b % (shift + content.length - from + 1));
      assert.equal(kernel.count(from, to), naiveCount(kernel.bytes, from, to));
    }),
    { numRuns: 1000 },
  );
});

test("find returns the first marker lying wholly in the range and the LFs before it", () => {
  const kernel = new MarkerKernel(MARKERS, 1 << 16);
  fc.assert(
    fc.property(logBytes, fc.nat(80), fc.nat(), fc.nat(), (content, shift, a, b) => {
      load(kernel, content, shift);
      const from = shift + (content.length === 0 ? 0 : a % content.length);
      const to = from + (content.length === 0 ? 0 : b % (shift + content.length - from + 1));
      const expected = naiveFind(kernel.bytes, from, to, SEARCHED);
      const at = kernel.find(from, to);
      assert.deepEqual({ at, newlines: kernel.newlines }, expected);
    }),
    { numRuns: 2000 },
  );
});

test("find walks every marker of a long buffer in order, across the 64-byte stretches", () => {
  const kernel = new MarkerKernel(MARKERS, 1 << 20);
  const line = (i: number) =>
    i % 7 === 0 ? `[x] ["sending telemetry events"] [event="${i}"]` : i % 11 === 0 ? `a report: ${i}` : `ordinary ${i}`;
  const content = Buffer.from(`${Array.from({ length: 20_000 }, (_, i) => line(i)).join("\n")}\n`);
  load(kernel, content, 5);
  const found: Array<[number, number]> = [];
  let lines = 0;
  for (let from = 5; ; ) {
    const at = kernel.find(from, 5 + content.length);
    lines += kernel.newlines;
    if (at < 0) break;
    found.push([at, lines]);
    from = at + 1;
  }
  const expected: Array<[number, number]> = [];
  lines = 0;
  for (let from = 5; ; ) {
    const next = naiveFind(kernel.bytes, from, 5 + content.length, SEARCHED);
    lines += next.newlines;
    if (next.at < 0) break;
    expected.push([next.at, lines]);
    from = next.at + 1;
  }
  assert.equal(lines, 20_000);
  assert.ok(found.length > 4000);
  assert.deepEqual(found, expected);
});

test("growing the memory keeps its contents", () => {
  const kernel = new MarkerKernel(MARKERS, 100);
  kernel.bytes.write("a\nreport: b\n", 0);
  kernel.ensure(3 << 20);
  assert.ok(kernel.bytes.length >= 3 << 20);
  assert.equal(kernel.find(0, 12), 2);
  assert.equal(kernel.newlines, 1);
});

test("markers containing another marker are dropped, duplicates and empty ones too", () => {
  assert.deepEqual(
    minimalMarkers([...MARKERS, "report: ", ""]).map((marker) => marker.toString()),
    SEARCHED,
  );
});

test("without markers find only counts: -1 and every LF of the range", () => {
  const kernel = new MarkerKernel([], 1 << 16);
  const content = Buffer.from("report: a\nsending telemetry events\n".repeat(500));
  content.copy(kernel.bytes, 3);
  assert.equal(kernel.find(3, 3 + content.length), -1);
  assert.equal(kernel.newlines, 1000);
});
