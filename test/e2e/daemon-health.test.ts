import assert from "node:assert/strict";
import { test } from "node:test";
import { daemonCase, FILLING_SINK } from "./daemon-case.js";
import { waitForAll } from "./daemon-collector.js";
import { SequenceLog } from "./daemon-lines.js";
import { freePort, get, startDaemon, tail, waitFor } from "./daemon-process.js";

interface Health {
  status: string;
  reasons: string[];
  checks: Array<{ name: string; ok: boolean }>;
}

test("/health turns 503 naming the file whose reader makes no progress, and 200 once it reads again", async (t) => {
  const port = await freePort();
  // A sink that is down with a tiny spool stops the reader mid-file; the sink threshold is far away so the
  // only red check can be the reader's.
  const { ws, collector } = await daemonCase(t, {
    sink: FILLING_SINK,
    source: { readBudgetBytes: 4096 },
    top: { server: { port, readerStuckAfterSeconds: 1, sinkFailingAfterSeconds: 3_600 } },
  });
  collector.respond(() => ({ status: 503 }));
  const seq = new SequenceLog();
  seq.append(ws.log("a.log"), 1_000);
  const daemon = startDaemon(ws.dir);
  const health = async () => {
    const res = await get(`http://127.0.0.1:${port}/health`);
    return res ? { status: res.status, body: JSON.parse(res.body) as Health } : undefined;
  };
  let last: Awaited<ReturnType<typeof health>>;
  await waitFor(
    "/health to report a reader that is not keeping up",
    async () => {
      last = await health();
      return last?.status === 503;
    },
    { detail: () => `${JSON.stringify(last?.body)}\n${tail(daemon.stderr())}` },
  );
  assert.ok(
    last?.body.reasons.some(
      (reason) => reason.startsWith(`file:${ws.log("a.log")}`) && reason.includes("not keeping up"),
    ),
    JSON.stringify(last?.body),
  );

  collector.respond(() => ({ status: 200 }));
  await waitForAll(collector, seq.written, daemon.stderr, 30_000);
  await waitFor("/health to answer 200 again", async () => (await health())?.status === 200);
  assert.equal((await daemon.stop("SIGTERM")).code, 0, tail(daemon.stderr()));
});
