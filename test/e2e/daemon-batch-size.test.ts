import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tmpDir } from "../helpers/tmp-dir.js";
import { Collector, describeReport, waitForAll } from "./daemon-collector.js";
import { SequenceLog } from "./daemon-lines.js";
import { startDaemon, tail, workspace } from "./daemon-process.js";

function deadLetterCount(dataDir: string): number {
  try {
    return readFileSync(join(dataDir, "dead-letter.ndjson"), "utf8").split("\n").filter(Boolean).length;
  } catch {
    return 0;
  }
}

// A stock Node receiver (16 KiB of headers, like nginx's 8 KiB line limit) must take a valid config's batches:
// 1,000 event ids in one header are 33 KiB, which it answers 431, and the daemon then dead-letters healthy events.
test("large batches (maxEvents 1000) reach a stock receiver; nothing is dead-lettered", async (t) => {
  const ws = workspace(tmpDir());
  const collector = await Collector.start();
  t.after(() => collector.close());
  ws.config(collector.url, { sink: { batch: { maxEvents: 1_000, maxWaitMs: 200 } } });
  const seq = new SequenceLog();
  seq.append(ws.log("a.log"), 3_000);
  const daemon = startDaemon(ws.dir);
  try {
    await waitForAll(collector, seq.written, daemon.stderr, 15_000);
  } finally {
    await daemon.stop("SIGTERM");
  }
  const report = collector.oracle(seq.written);
  assert.equal(report.lost.length, 0, describeReport(report));
  assert.equal(deadLetterCount(ws.data), 0, tail(daemon.stderr()));
});
