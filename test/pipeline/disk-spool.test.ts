import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { TelemetryEvent } from "../../src/events.js";
import { DiskSpool } from "../../src/pipeline/disk-spool.js";
import { makeEvent, makeEvents } from "../helpers/make-event.js";
import { tmpDir } from "../helpers/tmp-dir.js";

const seqOf = (event: TelemetryEvent) => (event.attributes as { seq: number }).seq;

/** A spool holding one batch per entry of `sizes`, numbered from event 0 on. */
async function spoolOf(dir: string, sizes: readonly number[]): Promise<DiskSpool> {
  const spool = await DiskSpool.open(dir, 1 << 30);
  let from = 0;
  for (const size of sizes) {
    await spool.append(makeEvents(size, from));
    from += size;
  }
  return spool;
}

/** Sends nothing: reads and removes every batch, as the sink runner does, and returns them as event numbers. */
async function drain(spool: DiskSpool): Promise<number[][]> {
  const batches: number[][] = [];
  for (let batch = await spool.peek(); batch; batch = await spool.peek()) {
    batches.push(batch.map(seqOf));
    await spool.shift();
  }
  return batches;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);
const LOTS = 1 << 30;

describe("disk spool compaction", () => {
  it("merges runs of small batches up to the sink's batch size, in order, leaving the oldest batch alone", async () => {
    const dir = tmpDir();
    const spool = await spoolOf(dir, Array(10).fill(1));
    assert.deepEqual(await spool.compact({ maxEvents: 4, maxBytes: LOTS }), { merged: 8, into: 2, files: 4 });
    assert.equal(spool.events, 10);
    assert.deepEqual(readdirSync(dir).sort(), [
      "000000000000-1.ndjson",
      "000000000001-000000000004-4.ndjson",
      "000000000005-000000000008-4.ndjson",
      "000000000009-1.ndjson",
    ]);
    assert.deepEqual(await drain(await DiskSpool.open(dir, LOTS)), [[0], range(1, 4), range(5, 8), [9]]);
  });

  it("never makes a batch larger than maxBytes, and leaves batches already that large as they are", async () => {
    const dir = tmpDir();
    const spool = await spoolOf(dir, [1, 1, 1, 1, 3, 1, 1]);
    // Lines differ by a few bytes (seq, offset): the bound takes two lines, never three.
    const line = readFileSync(join(dir, "000000000000-1.ndjson")).length;
    const bytes = spool.bytes;
    assert.deepEqual(await spool.compact({ maxEvents: 100, maxBytes: 2 * line + 10 }), {
      merged: 4,
      into: 2,
      files: 5,
    });
    assert.equal(spool.bytes, bytes);
    for (const name of readdirSync(dir)) {
      const size = readFileSync(join(dir, name)).length;
      assert.ok(size <= 2 * line + 10 || name === "000000000004-3.ndjson", `${name}: ${size} bytes`);
    }
    assert.deepEqual(await drain(spool), [[0], [1, 2], [3], [4, 5, 6], [7, 8]]);
  });

  it("never merges the batch being sent: the sink runner shifts exactly what it peeked", async () => {
    const dir = tmpDir();
    const spool = await spoolOf(dir, [2, 1, 1, 1]);
    const sending = await spool.peek();
    const appended = spool.append(makeEvents(1, 5));
    assert.deepEqual(await spool.compact({ maxEvents: 10, maxBytes: LOTS }), { merged: 4, into: 1, files: 2 });
    await appended;
    assert.deepEqual(sending?.map(seqOf), [0, 1]);
    await spool.shift();
    assert.deepEqual(await drain(spool), [range(2, 5)]);
  });

  it("runs beside appends and shifts without losing, duplicating or reordering an event", async () => {
    const dir = tmpDir();
    const spool = await spoolOf(dir, Array(20).fill(1));
    const sent: number[] = [];
    const sender = async () => {
      for (let round = 0; round < 10; round++) {
        sent.push(...((await spool.peek()) ?? []).map(seqOf));
        await spool.shift();
      }
    };
    const reader = async () => {
      for (let round = 0; round < 10; round++) await spool.append([makeEvent(20 + round)]);
    };
    const compactor = async () => {
      for (let round = 0; round < 10; round++) await spool.compact({ maxEvents: 3, maxBytes: LOTS });
    };
    await Promise.all([sender(), reader(), compactor()]);
    sent.push(...(await drain(spool)).flat());
    assert.deepEqual(sent, range(0, 29));
  });

  it("after a crash between renaming the merged batch in and deleting the batches it holds, opens each event once", async () => {
    const dir = tmpDir();
    const spool = await spoolOf(dir, [1, 1, 1, 1, 1, 1]);
    const before = new Map(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name))]));
    await spool.compact({ maxEvents: 3, maxBytes: LOTS });
    // Merge again over the first merged batch, so that a crash leaves nested merges behind too.
    await spool.append(makeEvents(1, 6));
    await spool.compact({ maxEvents: 5, maxBytes: LOTS });
    const merged = readdirSync(dir).sort();
    assert.deepEqual(merged, ["000000000000-1.ndjson", "000000000001-000000000005-5.ndjson", "000000000006-1.ndjson"]);
    // What the disk holds had the process died before its unlinks: every original batch and an earlier merge,
    // beside a temp file of a merge that was never renamed in.
    for (const [name, content] of before) writeFileSync(join(dir, name), content);
    writeFileSync(
      join(dir, "000000000001-000000000003-3.ndjson"),
      Buffer.concat([1, 2, 3].map((seq) => before.get(`00000000000${seq}-1.ndjson`) ?? Buffer.alloc(0))),
    );
    writeFileSync(join(dir, "000000000004-000000000006-3.ndjson.tmp"), "half a merge");

    const reopened = await DiskSpool.open(dir, LOTS);
    assert.deepEqual(readdirSync(dir).sort(), merged);
    assert.equal(reopened.events, 7);
    assert.deepEqual(await drain(reopened), [[0], range(1, 5), [6]]);
    await reopened.append(makeEvents(1, 7));
    assert.deepEqual(readdirSync(dir), ["000000000007-1.ndjson"], "numbering goes on after the merged batches");
  });
});
