import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { makeEvent } from "../helpers/make-event.js";
import { runCli } from "../helpers/run-cli.js";
import { tmpDir } from "../helpers/tmp-dir.js";
import { Collector, describeReport, seqsOf } from "./daemon-collector.js";
import { SequenceLog } from "./daemon-lines.js";
import { freePort, get, metricSum, startDaemon, tail, waitFor, workspace } from "./daemon-process.js";

interface DeadLetterLine {
  time: string;
  sink: string;
  status: number | null;
  reason: string;
  merged?: number;
  event: { command: string };
}

function deadLetters(dataDir: string, name = "dead-letter.ndjson"): DeadLetterLine[] {
  try {
    return readFileSync(join(dataDir, name), "utf8")
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

test("compact-dead-letters folds repeated dead letters and archives old ones while the daemon appends; replay sends each once", async (t) => {
  const ws = workspace(tmpDir());
  const collector = await Collector.start();
  t.after(() => collector.close());
  const port = await freePort();
  ws.config(collector.url, {
    sink: { batch: { maxEvents: 5, maxWaitMs: 20 } },
    top: {
      server: { port },
      schedule: [{ id: "dead", cron: "* * * * * *", job: "compact-dead-letters", options: { maxAgeDays: 30 } }],
    },
  });
  collector.respond(() => ({ status: 400, body: "schema mismatch" }));
  // What earlier runs left: events 1001-1010 refused twice each (a re-read after a crash does that), and
  // events 2001-2005 refused 40 days ago.
  const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
  const seeded = (seq: number, time: string) =>
    JSON.stringify({
      time,
      sink: "collector",
      status: 400,
      reason: "HTTP 400",
      event: makeEvent(seq, { command: `seq-${seq}` }),
    });
  const twice = Array.from({ length: 10 }, (_, i) => 1001 + i);
  const old = Array.from({ length: 5 }, (_, i) => 2001 + i);
  mkdirSync(ws.data, { recursive: true });
  writeFileSync(
    join(ws.data, "dead-letter.ndjson"),
    [
      ...twice.map((n) => seeded(n, ago(3))),
      ...old.map((n) => seeded(n, ago(40))),
      ...twice.map((n) => seeded(n, ago(2))),
    ]
      .map((line) => `${line}\n`)
      .join(""),
  );
  const daemon = startDaemon(ws.dir);
  const seq = new SequenceLog();
  // The sink refuses batches all along, so the daemon appends dead letters across several compactions.
  for (let i = 0; i < 30; i++) {
    seq.append(ws.log("a.log"), 2);
    await sleep(100);
  }
  const commands = (lines: DeadLetterLine[]) => lines.map((line) => Number(line.event.command.slice(4)));
  let body = "";
  await waitFor(
    "every refused event in the dead-letter file, the repeats folded and the old ones archived",
    async () => {
      body = (await get(`http://127.0.0.1:${port}/metrics`))?.body ?? "";
      const dead = new Set(commands(deadLetters(ws.data)));
      return (
        [...seq.written].every((n) => dead.has(n)) &&
        metricSum(body, "teletap_dead_letter_merged_total") === 10 &&
        metricSum(body, "teletap_dead_letter_archived_total") === 5
      );
    },
    { detail: () => `${body}\nstderr:\n${tail(daemon.stderr())}` },
  );
  assert.equal((await daemon.stop("SIGTERM")).code, 0, tail(daemon.stderr()));
  assert.ok(daemon.stderr().includes('"msg":"dead letters compacted"'), tail(daemon.stderr()));
  const dead = deadLetters(ws.data);
  assert.deepEqual(
    commands(dead).sort((a, b) => a - b),
    [...seq.written, ...twice].sort((a, b) => a - b),
    "each refused event once, none lost",
  );
  for (const line of dead.filter((line) => twice.includes(Number(line.event.command.slice(4))))) {
    assert.equal(line.merged, 1);
  }
  const archives = readdirSync(ws.data).filter((name) => name.startsWith("dead-letter.archive-"));
  assert.deepEqual(archives, [`dead-letter.archive-${ago(40).slice(0, 10)}.ndjson`]);
  assert.deepEqual(commands(deadLetters(ws.data, archives[0])), old);

  collector.respond(() => ({ status: 200 }));
  const replay = await runCli(["replay", "--config", ws.configPath], { cwd: ws.dir });
  assert.equal(replay.code, 0, `${replay.stdout}\n${replay.stderr}`);
  const report = collector.oracle(new Set([...seq.written, ...twice]));
  assert.equal(report.lost.length, 0, describeReport(report));
  assert.equal(report.duplicated.size, 0, describeReport(report));
  assert.deepEqual(report.unexpected, [], "archived dead letters are not replayed");
});
