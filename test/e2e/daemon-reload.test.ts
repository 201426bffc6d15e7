import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { test } from "node:test";
import { tmpDir } from "../helpers/tmp-dir.js";
import { Collector, describeReport, waitForAll } from "./daemon-collector.js";
import { SequenceLog } from "./daemon-lines.js";
import { startDaemon, tail, waitFor, workspace } from "./daemon-process.js";

test("SIGHUP reloads the config without re-sending what was sent; a bad config is refused and the old one stays", async (t) => {
  const ws = workspace(tmpDir());
  const collector = await Collector.start();
  t.after(() => collector.close());
  ws.config(collector.url, { sink: { batch: { maxEvents: 50, maxWaitMs: 50 } } });
  const seq = new SequenceLog();
  seq.append(ws.log("a.log"), 60);
  const daemon = startDaemon(ws.dir);
  await waitForAll(collector, seq.written, daemon.stderr);

  ws.config(collector.url, { sink: { batch: { maxEvents: 7, maxWaitMs: 50 } } });
  daemon.child.kill("SIGHUP");
  await waitFor("the reload to be logged", () => daemon.stderr().includes("configuration reloaded"), {
    detail: () => tail(daemon.stderr()),
  });
  seq.append(ws.log("a.log"), 21);
  seq.append(ws.log("b.log"), 14);
  await waitForAll(collector, seq.written, daemon.stderr);
  const afterReload = collector.accepted.slice(-5).map((batch) => batch.seqs.length);
  assert.ok(
    afterReload.every((size) => size <= 7),
    `batches after the reload: ${afterReload} (maxEvents 7)`,
  );

  writeFileSync(ws.configPath, "{ not json");
  daemon.child.kill("SIGHUP");
  await waitFor("the refused reload to be logged", () => daemon.stderr().includes("reload refused"), {
    detail: () => tail(daemon.stderr()),
  });
  seq.append(ws.log("a.log"), 10);
  await waitForAll(collector, seq.written, daemon.stderr);

  const exit = await daemon.stop("SIGTERM");
  const report = collector.oracle(seq.written);
  assert.equal(report.duplicated.size, 0, describeReport(report));
  assert.equal(exit.code, 0, tail(daemon.stderr()));
});
