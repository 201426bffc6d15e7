import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { runCli } from "../helpers/run-cli.js";
import { tmpDir } from "../helpers/tmp-dir.js";
import { Collector, describeReport, waitForAll } from "./daemon-collector.js";
import { noiseLine, SequenceLog, telemetryLine } from "./daemon-lines.js";
import { errorLines, startDaemon, tail, workspace } from "./daemon-process.js";

test("delivers every appended line exactly once: existing, new, nested, tiny and empty files, split writes", async (t) => {
  const ws = workspace(tmpDir());
  const collector = await Collector.start();
  t.after(() => collector.close());
  ws.config(collector.url, { sink: { batch: { maxEvents: 50, maxWaitMs: 100 } } });
  const seq = new SequenceLog();
  seq.append(ws.log("existing.log"), 40);
  writeFileSync(ws.log("empty.log"), "");
  writeFileSync(ws.log("ten-bytes.log"), "123456789\n");
  // Telemetry in a file the include glob does not match must never arrive: its numbers are not in `written`.
  writeFileSync(ws.log("ignored.txt"), telemetryLine(1_000_000));

  const daemon = startDaemon(ws.dir);
  seq.append(ws.log("new.log"), 25);
  mkdirSync(ws.log("nested/deeper"), { recursive: true });
  seq.append(ws.log("nested/deeper/app.log"), 10);
  for (let round = 0; round < 10; round++) {
    seq.append(ws.log("existing.log"), 20);
    appendFileSync(ws.log("new.log"), noiseLine(round));
    seq.append(ws.log("empty.log"), 3);
    seq.append(ws.log("ten-bytes.log"), 2);
    await sleep(30);
  }
  await seq.appendSplit(ws.log("new.log"), () => sleep(400));

  await waitForAll(collector, seq.written, daemon.stderr);
  const exit = await daemon.stop("SIGTERM");
  const report = collector.oracle(seq.written);
  assert.equal(report.lost.length, 0, describeReport(report));
  assert.equal(report.duplicated.size, 0, describeReport(report));
  assert.equal(report.unexpected.length, 0, describeReport(report));
  assert.deepEqual(errorLines(daemon.stderr()), [], "a clean run logs no errors");
  assert.equal(exit.code, 0, `exit ${JSON.stringify(exit)}; stderr:\n${tail(daemon.stderr())}`);
});

test("the http sink's body is byte for byte what teletap grep -o ndjson prints", async (t) => {
  const ws = workspace(tmpDir());
  const collector = await Collector.start();
  t.after(() => collector.close());
  ws.config(collector.url, { sink: { batch: { maxWaitMs: 100 } } });
  const seq = new SequenceLog();
  seq.append(ws.log("a.log"), 5);
  const daemon = startDaemon(ws.dir);
  await waitForAll(collector, seq.written, daemon.stderr);
  await daemon.stop("SIGTERM");
  const body = collector.accepted[0]?.request.body ?? "";
  const first = JSON.parse(body.split("\n")[0] ?? "");
  assert.match(first.id, /^[0-9a-f]{32}$/);
  assert.equal(first.producer, "ticloud");
  assert.equal(first.result, "success");
  assert.equal(first.source.path.endsWith("a.log"), true);
  assert.equal(collector.accepted[0]?.request.method, "POST");
  // Byte for byte what `teletap grep -o ndjson` prints for the same file.
  const grep = await runCli(["grep", "-o", "ndjson", ws.log("a.log")]);
  const sent = collector.accepted.flatMap((batch) => batch.request.body.split("\n").filter((line) => line !== ""));
  assert.deepEqual(
    sent,
    grep.stdout.split("\n").filter((line) => line !== ""),
  );
});

test("json encoding with gzip delivers the same events, with their ids in the id header", async (t) => {
  const ws = workspace(tmpDir());
  const collector = await Collector.start();
  t.after(() => collector.close());
  ws.config(collector.url, {
    sink: { encoding: "json", compression: "gzip", batch: { maxEvents: 20, maxWaitMs: 50 } },
  });
  const seq = new SequenceLog();
  seq.append(ws.log("a.log"), 45);
  const daemon = startDaemon(ws.dir);
  await waitForAll(collector, seq.written, daemon.stderr);
  await daemon.stop("SIGTERM");
  const report = collector.oracle(seq.written);
  assert.equal(report.duplicated.size, 0, describeReport(report));
  const request = collector.accepted[0]?.request;
  assert.equal(request?.headers["content-encoding"], "gzip");
  const events = JSON.parse(request?.body ?? "") as Array<{ id: string }>;
  assert.ok(Array.isArray(events));
  const header = String(request?.headers["x-teletap-event-ids"] ?? "");
  assert.deepEqual(
    header.split(","),
    events.map((event) => event.id),
  );
});
