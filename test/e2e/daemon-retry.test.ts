import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { tmpDir } from "../helpers/tmp-dir.js";
import { Collector, describeReport, waitForAll } from "./daemon-collector.js";
import { SequenceLog } from "./daemon-lines.js";
import { freePort, get, startDaemon, tail, waitFor, workspace } from "./daemon-process.js";

test("503 for a while, then 429 with Retry-After, then ok: nothing lost, Retry-After honoured, health recovers", async (t) => {
  const ws = workspace(tmpDir());
  const collector = await Collector.start();
  t.after(() => collector.close());
  const port = await freePort();
  ws.config(collector.url, {
    sink: { batch: { maxEvents: 20, maxWaitMs: 50 }, retry: { initialDelayMs: 50, maxDelayMs: 400 } },
    top: { server: { port, sinkFailingAfterSeconds: 1 } },
  });
  let phase: "503" | "429" | "ok" = "503";
  const answers: Array<{ at: number; status: number }> = [];
  collector.respond(() => {
    const status = phase === "503" ? 503 : phase === "429" ? 429 : 200;
    answers.push({ at: Date.now(), status });
    if (status === 429) phase = "ok";
    return status === 429 ? { status, headers: { "retry-after": "2" } } : { status };
  });
  const seq = new SequenceLog();
  seq.append(ws.log("a.log"), 100);
  const daemon = startDaemon(ws.dir);
  seq.append(ws.log("b.log"), 50);

  await waitFor("the sink to be retried at least 5 times", () => answers.length >= 5, {
    detail: () => `${answers.length} requests; stderr:\n${tail(daemon.stderr())}`,
  });
  const health = `http://127.0.0.1:${port}/health`;
  await waitFor("/health to answer 503 while the sink fails", async () => (await get(health))?.status === 503, {
    detail: () => tail(daemon.stderr()),
  });
  await sleep(500);
  seq.append(ws.log("a.log"), 30);
  phase = "429";

  await waitForAll(collector, seq.written, daemon.stderr, 30_000);
  await waitFor("/health to answer 200 again", async () => (await get(health))?.status === 200);
  const exit = await daemon.stop("SIGTERM");
  const report = collector.oracle(seq.written);
  assert.equal(report.lost.length, 0, describeReport(report));
  const tooMany = answers.findIndex((answer) => answer.status === 429);
  const next = answers[tooMany + 1];
  assert.ok(next, "a request after the 429");
  const waited = next.at - (answers[tooMany]?.at ?? 0);
  assert.ok(waited >= 1_900, `the request after 'Retry-After: 2' came ${waited} ms later`);
  assert.equal(exit.code, 0, tail(daemon.stderr()));
});
