import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../helpers/run-cli.js";
import { tmpDir } from "../helpers/tmp-dir.js";
import { Collector, describeReport, seqsOf } from "./daemon-collector.js";
import { SequenceLog } from "./daemon-lines.js";
import { startDaemon, tail, waitFor, workspace } from "./daemon-process.js";

interface DeadLetterLine {
  sink: string;
  status: number | null;
  reason: string;
  event: { command: string };
}

function deadLetters(dataDir: string): DeadLetterLine[] {
  try {
    return readFileSync(join(dataDir, "dead-letter.ndjson"), "utf8")
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as DeadLetterLine);
  } catch {
    return [];
  }
}

test("a 400 drops that batch to the dead-letter file with the status and reason; replay delivers it later", async (t) => {
  const ws = workspace(tmpDir());
  const collector = await Collector.start();
  t.after(() => collector.close());
  ws.config(collector.url, { sink: { batch: { maxEvents: 10, maxWaitMs: 50 } } });
  const refused = new Set<number>();
  collector.respond((request, index) => {
    if (index % 3 !== 1) return { status: 200 };
    for (const n of seqsOf(request.body)) refused.add(n);
    return { status: 400, body: "schema mismatch: field command" };
  });
  const seq = new SequenceLog();
  seq.append(ws.log("a.log"), 100);
  const daemon = startDaemon(ws.dir);

  const settled = () => {
    const dead = new Set(deadLetters(ws.data).map((line) => Number(line.event.command.slice(4))));
    const delivered = new Set(collector.accepted.flatMap((batch) => batch.seqs));
    return [...seq.written].every((n) => dead.has(n) || delivered.has(n));
  };
  await waitFor("every event delivered or dead-lettered", settled, {
    detail: () =>
      `${describeReport(collector.oracle(seq.written))}; ${deadLetters(ws.data).length} dead letters; stderr:\n${tail(daemon.stderr())}`,
  });
  const exit = await daemon.stop("SIGTERM");
  const dead = deadLetters(ws.data);
  assert.ok(refused.size > 0);
  assert.deepEqual(
    new Set(dead.map((line) => Number(line.event.command.slice(4)))),
    refused,
    "the dead-letter file holds exactly the refused events",
  );
  for (const line of dead) {
    assert.equal(line.sink, "collector");
    assert.equal(line.status, 400);
    assert.match(line.reason, /400|schema mismatch/);
  }
  const report = collector.oracle(new Set([...seq.written].filter((n) => !refused.has(n))));
  assert.equal(report.lost.length, 0, describeReport(report));
  assert.equal(report.duplicated.size, 0, describeReport(report));
  assert.equal(exit.code, 0, tail(daemon.stderr()));

  // Once the receiver takes them, `teletap replay` delivers the dead letters and empties the file.
  collector.respond(() => ({ status: 200 }));
  const replay = await runCli(["replay", "--config", ws.configPath], { cwd: ws.dir });
  assert.equal(replay.code, 0, `${replay.stdout}\n${replay.stderr}`);
  const final = collector.oracle(seq.written);
  assert.equal(final.lost.length, 0, describeReport(final));
  assert.equal(final.duplicated.size, 0, describeReport(final));
  assert.deepEqual(deadLetters(ws.data), []);
});
