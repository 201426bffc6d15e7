import { appendFileSync, existsSync, mkdirSync, renameSync, truncateSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { ticloudLine } from "../helpers/telemetry-lines.js";
import { tmpDir } from "../helpers/tmp-dir.js";
import { assertExactlyOnce, Collector, startTail, waitUntil } from "./tail-harness.js";

/** A small seeded generator (LCG), so that a failing sequence can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/**
 * Replays `ops` random operations on two files with every batch acked, restarting the source now and then.
 * Operations that lose lines by design if the tailer is behind (rotation, copytruncate, deletion, rewrite) first
 * wait until every written line arrived, as an operator's logrotate effectively does.
 */
async function replay(seed: number, ops: number): Promise<void> {
  const rnd = random(seed);
  const dir = tmpDir();
  const logs = join(dir, "logs");
  mkdirSync(logs);
  const collector = new Collector();
  const written: number[] = [];
  let next = 0;
  let rotation = 0;
  const lines = (count: number) => {
    let text = "";
    for (let i = 0; i < count; i++, next++) {
      written.push(next);
      text += `${ticloudLine(next)}\n`;
    }
    return text;
  };
  const caughtUp = () =>
    waitUntil(
      () => collector.events.length >= written.length,
      () => `seed ${seed}: ${written.length} events (got ${collector.events.length})`,
    );
  const config = { readBudgetBytes: 2048 + Math.floor(rnd() * 8192), rotateWaitMs: 50 };
  let tail = await startTail(dir, config, { collector });
  try {
    for (let op = 0; op < ops; op++) {
      const path = join(logs, rnd() < 0.5 ? "a.log" : "b.log");
      const pick = rnd();
      if (pick < 0.55) {
        const text = lines(1 + Math.floor(rnd() * 20));
        const split = rnd() < 0.3 ? Math.floor(rnd() * text.length) : text.length;
        appendFileSync(path, text.slice(0, split));
        if (split < text.length) {
          await sleep(1);
          appendFileSync(path, text.slice(split));
        }
      } else if (pick < 0.65) {
        await tail.source.stop();
        tail = await startTail(dir, config, { collector });
      } else if (pick < 0.92 && existsSync(path)) {
        await caughtUp();
        if (pick < 0.73) renameSync(path, `${path}.${++rotation}`);
        else if (pick < 0.8) truncateSync(path, 0);
        else if (pick < 0.86) unlinkSync(path);
        else writeFileSync(path, lines(30));
      } else {
        await sleep(Math.floor(rnd() * 10));
      }
    }
    await caughtUp();
  } finally {
    await tail.source.stop();
  }
  assertExactlyOnce(collector.seqs(), written);
}

for (const seed of [2, 7, 11]) {
  test(`random appends, split writes, rotations, truncations, deletions, rewrites and restarts: exactly once (seed ${seed})`, () =>
    replay(seed, 150));
}
