import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { LineScanner } from "../../src/engine/line-scanner.js";

interface Seen {
  candidates: { text: string; line: number; offset: number }[];
  overlong: { line: number; offset: number }[];
  lines: number;
}

function scan(input: Buffer, cuts: number[], markers: string[], maxLineBytes: number, chunkBytes?: number): Seen {
  const seen: Seen = { candidates: [], overlong: [], lines: 0 };
  const scanner = new LineScanner({
    markers,
    maxLineBytes,
    chunkBytes,
    onCandidate: (buf, start, end, line, offset) => {
      seen.candidates.push({ text: buf.toString("latin1", start, end), line, offset });
    },
    onOverlong: (line, offset) => seen.overlong.push({ line, offset }),
  });
  let at = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < input.length)].sort((a, b) => a - b)) {
    scanner.push(input.subarray(at, cut));
    at = cut;
  }
  scanner.push(input.subarray(at));
  scanner.finish();
  seen.lines = scanner.lines;
  return seen;
}

/** The obvious, slow answer: split on LF, keep the lines holding a marker. */
function naive(input: Buffer, markers: string[], maxLineBytes: number): Seen {
  const seen: Seen = { candidates: [], overlong: [], lines: 0 };
  const text = input.toString("latin1");
  if (text === "") return seen;
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  let offset = 0;
  lines.forEach((line, i) => {
    if (Buffer.byteLength(line, "latin1") > maxLineBytes) seen.overlong.push({ line: i + 1, offset });
    else if (markers.some((m) => line.includes(m))) seen.candidates.push({ text: line, line: i + 1, offset });
    offset += line.length + 1;
  });
  seen.lines = lines.length;
  return seen;
}

const MARKERS = ["report: ", "sending telemetry events"];
const piece = fc.constantFrom("a", "b c", "\n", "\r\n", "report: ", "sending telemetry events", "xx\n", "report", ": ");

test("candidates, line numbers and offsets do not depend on where reads split the input", () => {
  fc.assert(
    fc.property(
      fc.array(piece, { maxLength: 60 }),
      fc.array(fc.nat({ max: 400 }), { maxLength: 8 }),
      fc.integer({ min: 1, max: 64 }),
      (pieces, cuts, maxLineBytes) => {
        const input = Buffer.from(pieces.join(""), "latin1");
        assert.deepEqual(scan(input, cuts, MARKERS, maxLineBytes), naive(input, MARKERS, maxLineBytes));
      },
    ),
    { numRuns: 3000 },
  );
});

test("a line longer than the limit is reported once and never buffered whole", () => {
  const long = `${"x".repeat(5000)}report: inside the long line`;
  const input = Buffer.from(`report: first\n${long}\nreport: after\n`);
  const seen = scan(input, [], MARKERS, 1024, 256);
  assert.deepEqual(seen.overlong, [{ line: 2, offset: 14 }]);
  assert.deepEqual(
    seen.candidates.map((c) => [c.line, c.text]),
    [
      [1, "report: first"],
      [3, "report: after"],
    ],
  );
  assert.equal(seen.lines, 3);
});

test("a last line without LF is still handed out, and the committed offset stops before it until then", () => {
  const seen: number[] = [];
  const scanner = new LineScanner({
    markers: MARKERS,
    maxLineBytes: 1024,
    onCandidate: (_buf, _start, _end, line) => {
      seen.push(line);
    },
    onOverlong: () => assert.fail("no overlong line here"),
  });
  scanner.push(Buffer.from("noise\nreport: a\nreport: cut off"));
  assert.deepEqual(seen, [2]);
  assert.equal(scanner.committedOffset, 16);
  scanner.finish();
  assert.deepEqual(seen, [2, 3]);
});
