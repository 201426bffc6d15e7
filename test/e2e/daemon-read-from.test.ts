import assert from "node:assert/strict";
import { appendFileSync } from "node:fs";
import { test } from "node:test";
import { tmpDir } from "../helpers/tmp-dir.js";
import { Collector, describeReport, waitForAll } from "./daemon-collector.js";
import { SequenceLog } from "./daemon-lines.js";
import { freePort, get, metricSum, startDaemon, tail, waitFor, workspace } from "./daemon-process.js";

test("readFrom end skips what files held at the very first start; new files and later restarts lose nothing", async (t) => {
  const ws = workspace(tmpDir());
  const collector = await Collector.start();
  t.after(() => collector.close());
  const port = await freePort();
  ws.config(collector.url, {
    source: { readFrom: "end" },
    sink: { batch: { maxWaitMs: 50 } },
    top: { server: { port } },
  });
  const seq = new SequenceLog();
  // Written before the first start: never to be sent, so not in `written` (the oracle counts them as unexpected).
  appendFileSync(ws.log("old.log"), seq.take(30).text);
  let daemon = startDaemon(ws.dir);
  await waitFor(
    "the daemon to follow old.log",
    async () => metricSum((await get(`http://127.0.0.1:${port}/metrics`))?.body ?? "", "teletap_watched_files") >= 1,
    { detail: () => tail(daemon.stderr()) },
  );
  seq.append(ws.log("old.log"), 10);
  seq.append(ws.log("new.log"), 10);
  await waitForAll(collector, seq.written, daemon.stderr);
  assert.equal((await daemon.stop("SIGTERM")).code, 0, tail(daemon.stderr()));

  // Written while stopped: the checkpoint, not readFrom, decides after the first start.
  seq.append(ws.log("old.log"), 5);
  seq.append(ws.log("new.log"), 5);
  seq.append(ws.log("created-while-stopped.log"), 5);
  daemon = startDaemon(ws.dir);
  await waitForAll(collector, seq.written, daemon.stderr);
  assert.equal((await daemon.stop("SIGTERM")).code, 0, tail(daemon.stderr()));
  const report = collector.oracle(seq.written);
  assert.equal(report.unexpected.length, 0, `lines from before the first start were sent: ${describeReport(report)}`);
  assert.equal(report.duplicated.size, 0, describeReport(report));
});
