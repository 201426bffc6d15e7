import { closeSync, copyFileSync, openSync, renameSync, truncateSync, writeFileSync } from "node:fs";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { tmpDir } from "../helpers/tmp-dir.js";
import { daemonCase, expectEachOnce } from "./daemon-case.js";
import { Collector, waitForAll } from "./daemon-collector.js";
import { SequenceLog } from "./daemon-lines.js";
import { startDaemon, tail, waitFor, workspace } from "./daemon-process.js";

test("rename rotation while the sink is slow: the old file is read to its end, the new one from byte 0", async (t) => {
  const ws = workspace(tmpDir());
  const collector = await Collector.start();
  t.after(() => collector.close());
  // A slow receiver keeps the daemon behind while the file is rotated under it.
  collector.respond(() => ({ status: 200, delayMs: 150 }));
  ws.config(collector.url, { sink: { batch: { maxEvents: 20, maxWaitMs: 50 } } });
  const seq = new SequenceLog();
  const path = ws.log("app.log");
  let fd = openSync(path, "a");
  seq.writeFd(fd, 100);
  const daemon = startDaemon(ws.dir);
  // Rotate only once the daemon follows the file (a file renamed before it started is out of the globs' reach),
  // and while most of it is still waiting for the slow sink.
  await waitFor("the first batch at the collector", () => collector.accepted.length > 0, {
    detail: () => tail(daemon.stderr()),
  });
  for (let rotation = 1; rotation <= 3; rotation++) {
    seq.writeFd(fd, 50);
    renameSync(path, `${path}.${rotation}`);
    // The application has not reopened yet: these lines land in the renamed file.
    seq.writeFd(fd, 10);
    await sleep(100);
    closeSync(fd);
    fd = openSync(path, "a");
    seq.writeFd(fd, 30);
    await sleep(200);
  }
  closeSync(fd);

  await expectEachOnce(collector, seq.written, daemon, 30_000);
});

test("copytruncate: the lines after the truncation are read from the start of the new content", async (t) => {
  const { ws, collector } = await daemonCase(t, { sink: { batch: { maxEvents: 50, maxWaitMs: 50 } } });
  const seq = new SequenceLog();
  const path = ws.log("app.log");
  seq.append(path, 200);
  const daemon = startDaemon(ws.dir);
  // What a copytruncate loses by design is what was written between the copy and the truncate and not yet read;
  // wait until the daemon has it all so that every loss counted below is the daemon's.
  await waitForAll(collector, seq.written, daemon.stderr);
  copyFileSync(path, `${path}.1`);
  truncateSync(path, 0);
  await sleep(300);
  seq.append(path, 20);

  await expectEachOnce(collector, seq.written, daemon);
});

test("truncate and rewrite longer than the old offset before the daemon looks: the new content is read whole", async (t) => {
  const { ws, collector } = await daemonCase(t, { sink: { batch: { maxEvents: 50, maxWaitMs: 50 } } });
  const seq = new SequenceLog();
  const path = ws.log("app.log");
  seq.append(path, 30);
  const daemon = startDaemon(ws.dir);
  await waitForAll(collector, seq.written, daemon.stderr);
  // One truncate followed at once by a longer write: the size never drops below the offset when looked at, only
  // the bytes before the saved offset tell that the file was rewritten.
  const { text, seqs } = seq.take(80);
  writeFileSync(path, text);
  for (const n of seqs) seq.written.add(n);

  await expectEachOnce(collector, seq.written, daemon);
});
