import assert from "node:assert/strict";
import { test } from "node:test";
import { tmpDir } from "../helpers/tmp-dir.js";
import { Collector, describeReport, waitForAll } from "./daemon-collector.js";
import { SequenceLog } from "./daemon-lines.js";
import { startDaemon, tail, waitFor, workspace } from "./daemon-process.js";

test("a busy file does not starve the others: a small file's events arrive before the big one is done", async (t) => {
  const ws = workspace(tmpDir());
  const collector = await Collector.start();
  t.after(() => collector.close());
  ws.config(collector.url, {
    source: { readBudgetBytes: 64 * 1024 },
    sink: { batch: { maxEvents: 100, maxWaitMs: 50 } },
  });
  const seq = new SequenceLog();
  const big = new Set(seq.append(ws.log("big.log"), 40_000));
  const small = new Set(seq.append(ws.log("small.log"), 5));
  const daemon = startDaemon(ws.dir);
  // Lines written to the small file while the big one is being read must not wait for the big one's end.
  await waitFor("the first batch", () => collector.accepted.length > 0, { detail: () => tail(daemon.stderr()) });
  for (const n of seq.append(ws.log("small.log"), 5)) small.add(n);
  await waitForAll(collector, seq.written, daemon.stderr, 40_000);
  assert.equal((await daemon.stop("SIGTERM")).code, 0, tail(daemon.stderr()));
  const report = collector.oracle(seq.written);
  assert.equal(report.duplicated.size, 0, describeReport(report));
  const batchOf = (wanted: Set<number>, last: boolean) => {
    const indexes = collector.accepted.flatMap((batch, index) =>
      batch.seqs.some((n) => wanted.has(n)) ? [index] : [],
    );
    return last ? Math.max(...indexes) : Math.min(...indexes);
  };
  const smallDone = batchOf(small, true);
  const bigDone = batchOf(big, true);
  assert.ok(
    smallDone < bigDone,
    `small.log's last event came in batch ${smallDone}, big.log's in ${bigDone} of ${collector.accepted.length}`,
  );
});
