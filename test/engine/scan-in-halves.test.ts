import assert from "node:assert/strict";
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Extractor, type ExtractorOptions } from "../../src/engine/extractor.js";
import { scanInHalves, splitOffset } from "../../src/engine/scan-in-halves.js";
import type { Producer } from "../../src/events.js";
import { scanPlainFile } from "../../src/sources/scan-input.js";
import { tmpDir } from "../helpers/tmp-dir.js";

const FIXTURES = join(import.meta.dirname, "..", "..", "fixtures");

/** Every producer's golden logs, so edge cases (CRLF, ANSI, malformed, cut lines) land on both sides of the split. */
function fixtureLogs(): string {
  return ["ticloud", "tiup", "tispark", "mixed"]
    .flatMap((dir) =>
      readdirSync(join(FIXTURES, dir))
        .filter((name) => name.endsWith(".log"))
        .sort()
        .map((name) => readFileSync(join(FIXTURES, dir, name), "utf8")),
    )
    .map((text) => (text.endsWith("\n") ? text : `${text}\n`))
    .join("");
}

/** The first difference only: whole lists of events make unreadable failure messages. */
function assertSameScans(two: { seen: Seen; stats: unknown }, one: { seen: Seen; stats: unknown }): void {
  const index = one.seen.findIndex((item, i) => JSON.stringify(item) !== JSON.stringify(two.seen[i]));
  if (index >= 0) assert.deepEqual(two.seen[index], one.seen[index], `item ${index} of ${one.seen.length}`);
  assert.equal(two.seen.length, one.seen.length);
  assert.deepEqual(two.seen, one.seen);
  assert.deepEqual(two.stats, one.stats);
}

type Seen = Array<{ event: unknown; raw: string } | { malformed: unknown }>;

function collector(): { seen: Seen; options: Pick<ExtractorOptions, "onEvent" | "onMalformed"> } {
  const seen: Seen = [];
  return {
    seen,
    options: {
      onEvent: (event, raw) => seen.push({ event, raw: raw.toString("latin1") }),
      onMalformed: (malformed) => seen.push({ malformed }),
    },
  };
}

function scanOnOneThread(path: string, extra: Partial<ExtractorOptions>) {
  const { seen, options } = collector();
  const extractor = new Extractor({ path, ...extra, ...options });
  const fd = openSync(path, "r");
  scanPlainFile(fd, fstatSync(fd).size, extractor);
  closeSync(fd);
  extractor.scanner.finish();
  return { seen, stats: extractor.stats };
}

/** minIdleShare 0 always starts the worker; Infinity never does (as when every CPU is busy). */
async function scanOnTwoThreads(path: string, extra: Partial<ExtractorOptions>, minIdleShare = 0) {
  const { seen, options } = collector();
  const fd = openSync(path, "r");
  try {
    const stats = await scanInHalves(
      fd,
      fstatSync(fd).size,
      { path, ...extra, ...options },
      { maxHitsPerMiB: Infinity, minIdleShare },
    );
    return { seen, stats };
  } finally {
    closeSync(fd);
  }
}

test("two threads give the same events, raw lines, malformed lines, order and figures as one", async () => {
  const dir = tmpDir();
  const logs = fixtureLogs();
  const filler = '[2025/11/20 10:15:42.118 +08:00] [DEBUG] [client.go:1] ["ordinary line"] [n=1]\n';
  // Shifting the content moves the middle across different lines and producers.
  for (const [i, pad] of [0, 1, 37, 500, 4096].entries()) {
    const path = join(dir, `mixed-${i}.log`);
    writeFileSync(path, `${filler.repeat(pad)}${logs.repeat(40)}${filler.repeat(pad)}last line without LF`);
    const one = scanOnOneThread(path, {});
    const two = await scanOnTwoThreads(path, {});
    assert.ok(one.stats.events > 1000, "the fixtures hold events");
    assert.ok(one.stats.malformed > 0, "the fixtures hold malformed lines");
    assertSameScans(two, one);
  }
});

test("producer filters, an overlong line and a long line at the middle are handled as on one thread", async () => {
  const dir = tmpDir();
  const path = join(dir, "long-middle.log");
  const logs = fixtureLogs();
  const long = `[2025/11/20 10:15:42.118 +08:00] [DEBUG] [sender.go:47] ["sending telemetry events"] [event="${"x".repeat(300_000)}"]\n`;
  writeFileSync(path, `${logs.repeat(5)}${long}${logs.repeat(5)}`);
  for (const extra of [{}, { maxLineBytes: 100_000 }, { producers: ["tiup"] as Producer[] }]) {
    const one = scanOnOneThread(path, extra);
    const two = await scanOnTwoThreads(path, extra);
    assertSameScans(two, one);
  }
});

test("with every CPU busy the scan stays on this thread and gives the same result", async () => {
  const dir = tmpDir();
  const path = join(dir, "busy.log");
  writeFileSync(path, fixtureLogs().repeat(10));
  assertSameScans(await scanOnTwoThreads(path, {}, Number.POSITIVE_INFINITY), scanOnOneThread(path, {}));
});

test("no split is offered where markers are dense: one thread is faster there", () => {
  const dir = tmpDir();
  const path = join(dir, "dense.log");
  writeFileSync(path, fixtureLogs().repeat(20));
  const fd = openSync(path, "r");
  try {
    assert.equal(splitOffset(fd, fstatSync(fd).size), null);
    assert.notEqual(splitOffset(fd, fstatSync(fd).size, undefined, Infinity), null);
  } finally {
    closeSync(fd);
  }
});

test("no split is offered when no line ends past the middle", () => {
  const dir = tmpDir();
  const path = join(dir, "one-line.log");
  writeFileSync(path, `${"a".repeat(1000)}\n${"b".repeat(5000)}`);
  const fd = openSync(path, "r");
  try {
    assert.equal(splitOffset(fd, fstatSync(fd).size, undefined, Infinity), null);
  } finally {
    closeSync(fd);
  }
});
