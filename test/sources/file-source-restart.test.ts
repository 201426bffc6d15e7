import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { range, ticloudLine, ticloudLines } from "../helpers/telemetry-lines.js";
import { tmpDir } from "../helpers/tmp-dir.js";
import { assertExactlyOnce, Collector, startTail, tailRun, waitUntil } from "./tail-harness.js";

function logsDir(): { dir: string; logs: string } {
  const dir = tmpDir();
  const logs = join(dir, "logs");
  mkdirSync(logs);
  return { dir, logs };
}

test("a line split across two writes with a restart in between is read once, whole", async () => {
  const { dir, logs } = logsDir();
  const path = join(logs, "app.log");
  const line = `${ticloudLine(10)}\n`;
  writeFileSync(path, `${ticloudLines(0, 10)}${line.slice(0, 50)}`);
  const first = await tailRun(dir, 10);

  appendFileSync(path, `${line.slice(50)}${ticloudLines(11, 9)}`);
  const second = await tailRun(dir, 10);

  assertExactlyOnce([...first.seqs(), ...second.seqs()], range(0, 20));
});

test("after a restart only the batches that were never acked are read again", async () => {
  const { dir, logs } = logsDir();
  const path = join(logs, "app.log");
  const collector = new Collector();
  collector.autoAck = false;
  const first = await startTail(dir, {}, { collector });
  for (let from = 0; from < 50; from += 10) {
    appendFileSync(path, ticloudLines(from, 10));
    await collector.waitForCount(from + 10);
  }
  // The sink took the first batches for good; the rest were in flight when the daemon stopped.
  const acked = collector.batches.slice(0, Math.ceil(collector.batches.length / 2));
  for (const batch of acked) batch.ack();
  await first.source.stop();
  const unacked = collector.batches.slice(acked.length).flatMap((batch) => batch.events.map((e) => e.command));

  appendFileSync(path, ticloudLines(50, 10));
  const second = await tailRun(dir, 10 + unacked.length);

  const all = [...collector.seqs(), ...second.seqs()];
  const duplicated = all.filter((seq, i) => all.indexOf(seq) !== i);
  assert.deepEqual(
    duplicated.map((seq) => `seq-${seq}`),
    unacked,
  );
  assert.deepEqual(
    [...new Set(all)].sort((a, b) => a - b),
    range(0, 60),
  );
});

test("two files with identical first 4 KiB keep separate checkpoints", async () => {
  const { dir, logs } = logsDir();
  const header = `${"# the same banner in every file, long enough to fill the fingerprint\n".repeat(64)}`;
  assert.ok(Buffer.byteLength(header) >= 4096);
  writeFileSync(join(logs, "a.log"), `${header}${ticloudLines(0, 10)}`);
  writeFileSync(join(logs, "b.log"), `${header}${ticloudLines(100, 5)}`);
  const first = await startTail(dir);
  await first.collector.waitForCount(10, "a.log");
  await first.collector.waitForCount(5, "b.log");
  await first.source.stop();

  appendFileSync(join(logs, "a.log"), ticloudLines(10, 5));
  appendFileSync(join(logs, "b.log"), ticloudLines(105, 10));
  const second = await startTail(dir);
  await second.collector.waitForCount(5, "a.log");
  await second.collector.waitForCount(10, "b.log");
  await second.source.stop();

  const seqs = (suffix: string) => [...first.collector.seqs(suffix), ...second.collector.seqs(suffix)];
  assertExactlyOnce(seqs("a.log"), range(0, 15));
  assertExactlyOnce(seqs("b.log"), range(100, 115));
});

test("a file truncated and rewritten while teletap was down, sharing its first 4 KiB, is read from byte 0", async () => {
  const { dir, logs } = logsDir();
  const path = join(logs, "app.log");
  const header = "# the same banner every time the tool starts, filling the fingerprint\n".repeat(64);
  writeFileSync(path, `${header}${ticloudLines(0, 10)}`);
  const first = await tailRun(dir, 10);

  // Same inode, same head, longer than the saved offset: only the bytes before the offset differ.
  writeFileSync(path, `${header}${ticloudLines(1000, 20)}`);
  const second = await tailRun(dir, 20);

  assertExactlyOnce(first.seqs(), range(0, 10));
  assertExactlyOnce(second.seqs(), range(1000, 1020));
});

test("readFrom applies only at the very first start: later, new content and new files are read whole", async () => {
  const { dir, logs } = logsDir();
  writeFileSync(join(logs, "app.log"), ticloudLines(0, 10));
  const first = await startTail(dir, { readFrom: "end" });
  appendFileSync(join(logs, "app.log"), ticloudLines(10, 10));
  await first.collector.waitForCount(10);
  await first.source.stop();

  // Written while teletap was down.
  appendFileSync(join(logs, "app.log"), ticloudLines(20, 10));
  writeFileSync(join(logs, "other.log"), ticloudLines(100, 10));
  const second = await startTail(dir, { readFrom: "end" });
  await second.collector.waitForCount(10, "app.log");
  await second.collector.waitForCount(10, "other.log");
  await second.source.stop();

  assertExactlyOnce([...first.collector.seqs(), ...second.collector.seqs("app.log")], range(10, 30));
  assertExactlyOnce(second.collector.seqs("other.log"), range(100, 110));
});

test("the checkpoint is a versioned JSON file holding dev:inode, offset and fingerprint", async () => {
  const { dir, logs } = logsDir();
  writeFileSync(join(logs, "app.log"), ticloudLines(0, 3));
  const { source, collector } = await startTail(dir);
  await collector.waitForCount(3);
  await source.stop();
  const state = JSON.parse(readFileSync(join(dir, "checkpoint.json"), "utf8"));
  assert.equal(state.version, 2);
  assert.equal(state.sourceId, "test");
  assert.equal(state.files.length, 1);
  const [file] = state.files;
  assert.equal(file.path, join(logs, "app.log"));
  assert.equal(file.offset, Buffer.byteLength(ticloudLines(0, 3)));
  assert.equal(file.line, 7);
  assert.match(file.key, /^\d+:\d+$/);
  assert.equal(file.headLength, Math.min(1024, file.offset));
});

test("a file rotated away while teletap was down is read to its end from its checkpoint", async () => {
  const { dir, logs } = logsDir();
  const path = join(logs, "app.log");
  writeFileSync(path, ticloudLines(0, 10));
  const first = await tailRun(dir, 10);

  appendFileSync(path, ticloudLines(10, 5));
  renameSync(path, `${path}.1`);
  writeFileSync(path, ticloudLines(15, 5));
  const second = await tailRun(dir, 10);

  assertExactlyOnce([...first.seqs(), ...second.seqs()], range(0, 20));
});

test("a file excluded since the last run is not read again", async () => {
  const { dir, logs } = logsDir();
  writeFileSync(join(logs, "app.log"), ticloudLines(0, 5));
  writeFileSync(join(logs, "noisy.log"), ticloudLines(100, 5));
  await tailRun(dir, 10);

  appendFileSync(join(logs, "noisy.log"), ticloudLines(105, 5));
  appendFileSync(join(logs, "app.log"), ticloudLines(5, 5));
  const second = await startTail(dir, { exclude: ["logs/noisy.log"] });
  await second.collector.waitForCount(5);
  // A later turn of app.log comes after any turn the excluded file could have had.
  appendFileSync(join(logs, "app.log"), ticloudLines(10, 5));
  await second.collector.waitForCount(10);
  await second.source.stop();

  assertExactlyOnce(second.collector.seqs(), range(5, 15));
});

test("stop() resolves while the pipeline holds an emit, and that batch is read again after a restart", async () => {
  const { dir, logs } = logsDir();
  writeFileSync(join(logs, "app.log"), ticloudLines(0, 10));
  let release = () => {};
  let held = 0;
  const { source } = await startTail(
    dir,
    {},
    {
      emit: async (batch) => {
        held += batch.events.length;
        // A full spool: the promise stays pending until the test lets go.
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    },
  );
  await waitUntil(
    () => held > 0,
    () => "the first emit",
  );
  await source.stop();
  release();

  const second = await tailRun(dir, 10);
  assertExactlyOnce(second.seqs(), range(0, 10));
});

test("a file deleted and created again while teletap was down is read from byte 0, even on the same inode", async () => {
  const { dir, logs } = logsDir();
  const path = join(logs, "app.log");
  writeFileSync(path, ticloudLines(0, 10));
  await tailRun(dir, 10);

  // ext4 and tmpfs hand the freed inode to the next file: the checkpoint's dev:inode matches, the content not.
  unlinkSync(path);
  writeFileSync(path, ticloudLines(1000, 20));
  const second = await tailRun(dir, 20);

  assertExactlyOnce(second.seqs(), range(1000, 1020));
});

test("a source started again on the same checkpoint sees the acks its predecessor got after stopping", async () => {
  const { dir, logs } = logsDir();
  const collector = new Collector();
  collector.autoAck = false;
  const first = await startTail(dir, {}, { collector });
  for (let from = 0; from < 30; from += 10) {
    appendFileSync(join(logs, "app.log"), ticloudLines(from, 10));
    await collector.waitForCount(from + 10);
  }
  await first.source.stop();
  // The pipeline drains after the source stopped, as on a config reload; nothing awaits the checkpoint write.
  for (const batch of collector.batches) batch.ack();
  const second = await startTail(dir);
  appendFileSync(join(logs, "app.log"), ticloudLines(30, 10));
  await second.collector.waitForCount(10);
  await second.source.stop();

  assertExactlyOnce(second.collector.seqs(), range(30, 40));
});
