import assert from "node:assert/strict";
import type { TestContext } from "node:test";
import { tmpDir } from "../helpers/tmp-dir.js";
import { Collector, describeReport, waitForAll } from "./daemon-collector.js";
import { type Daemon, tail, workspace } from "./daemon-process.js";

/**
 * A sink whose small batches, short retries and 16 KiB spool fill up within a few hundred lines while it is down,
 * so that the sources pause: the set-up of the spool-full and stuck-reader cases.
 */
export const FILLING_SINK = {
  batch: { maxEvents: 10, maxWaitMs: 50 },
  retry: { initialDelayMs: 50, maxDelayMs: 200 },
  buffer: { maxBytes: 16 * 1024, maxMemoryEvents: 20 },
};

/** A daemon e2e case: a workspace whose config sends to a fresh collector on 127.0.0.1, closed when the test ends. */
export async function daemonCase(t: TestContext, extra: Parameters<ReturnType<typeof workspace>["config"]>[1] = {}) {
  const ws = workspace(tmpDir());
  const collector = await Collector.start();
  t.after(() => collector.close());
  ws.config(collector.url, extra);
  return { ws, collector };
}

/** Waits for every written line, stops the daemon with SIGTERM, and asserts each event arrived exactly once. */
export async function expectEachOnce(
  collector: Collector,
  written: ReadonlySet<number>,
  daemon: Daemon,
  timeoutMs?: number,
): Promise<void> {
  await waitForAll(collector, written, daemon.stderr, timeoutMs);
  const exit = await daemon.stop("SIGTERM");
  const report = collector.oracle(written);
  assert.equal(report.lost.length, 0, describeReport(report));
  assert.equal(report.duplicated.size, 0, describeReport(report));
  assert.equal(exit.code, 0, tail(daemon.stderr()));
}
