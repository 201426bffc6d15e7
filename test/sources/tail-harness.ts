import assert from "node:assert/strict";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { TelemetryEvent } from "../../src/events.js";
import type { Metrics } from "../../src/server/metrics.js";
import { FileSource, type FileSourceOptions } from "../../src/sources/file/file-source.js";
import type { SourceBatch } from "../../src/sources/source.js";
import { seqOf } from "../helpers/telemetry-lines.js";

/** Gives up waiting after this long: a hang fails the test with the counts seen, it is not a timing check. */
const DEADLINE_MS = 10_000;

/** Stands in for the pipeline: records every event by file and sequence number, acking as told. */
export class Collector {
  readonly batches: SourceBatch[] = [];
  readonly events: TelemetryEvent[] = [];
  /** Malformed lines and read errors the source reported: a test expects none unless it says so. */
  readonly problems: string[] = [];
  /** Ack every batch as it arrives; when false, the test acks from `batches`. */
  autoAck = true;
  /** Hold each emit this long, like a slow sink. */
  delayMs = 0;

  readonly emit = async (batch: SourceBatch): Promise<void> => {
    if (this.delayMs > 0) await sleep(this.delayMs);
    this.batches.push(batch);
    this.events.push(...batch.events);
    if (this.autoAck) batch.ack();
  };

  /** Sequence numbers received from files whose path ends with `suffix` (all files when omitted). */
  seqs(suffix = ""): number[] {
    return this.events.filter((event) => event.source.path.endsWith(suffix)).map(seqOf);
  }

  /** Waits until the event numbered `seq` arrived. */
  waitForSeq(seq: number): Promise<void> {
    return waitUntil(
      () => this.seqs().includes(seq),
      () => `event ${seq} (got ${this.seqs().length} events)`,
    );
  }

  waitForCount(count: number, suffix = ""): Promise<void> {
    return waitUntil(
      () => this.seqs(suffix).length >= count,
      () => `${count} events from *${suffix} (got ${this.seqs(suffix).length})`,
    );
  }
}

/** Polls `done` until it holds; fails with `what()` after the deadline. */
export async function waitUntil(done: () => boolean, what: () => string): Promise<void> {
  const until = Date.now() + DEADLINE_MS;
  while (!done()) {
    if (Date.now() > until) assert.fail(`gave up waiting for ${what()}`);
    await sleep(10);
  }
}

/** Every one of `expected` exactly once: reports lost and duplicated sequence numbers on failure. */
export function assertExactlyOnce(seqs: number[], expected: number[]): void {
  const seen = new Map<number, number>();
  for (const seq of seqs) seen.set(seq, (seen.get(seq) ?? 0) + 1);
  const lost = expected.filter((seq) => !seen.has(seq));
  const duplicated = [...seen].filter(([, count]) => count > 1).map(([seq]) => seq);
  const unexpected = [...seen.keys()].filter((seq) => !expected.includes(seq));
  assert.deepEqual({ lost, duplicated, unexpected }, { lost: [], duplicated: [], unexpected: [] });
}

/** What a test may change about the source startTail builds. */
export interface TailSetup {
  /** The checkpoint file; default `<dir>/checkpoint.json`, null to follow without one. */
  checkpoint?: string | null;
  collector?: Collector;
  metrics?: Metrics;
  /** Replaces the collector's emit, e.g. to hold batches like a full spool. */
  emit?: (batch: SourceBatch) => Promise<void>;
}

/** A FileSource over `dir` with small waits so rotation tests finish fast, started into a fresh Collector. */
export async function startTail(
  dir: string,
  config: Partial<FileSourceOptions["config"]> = {},
  setup: TailSetup = {},
): Promise<{ source: FileSource; collector: Collector }> {
  const collector = setup.collector ?? new Collector();
  const source = new FileSource({
    id: "test",
    baseDir: dir,
    checkpointPath: setup.checkpoint === undefined ? join(dir, "checkpoint.json") : setup.checkpoint,
    metrics: setup.metrics,
    config: {
      include: ["logs/*.log"],
      readFrom: "beginning",
      rotateWaitMs: 200,
      rescanIntervalMs: 500,
      checkpointIntervalMs: 50,
      ...config,
    },
    onMalformed: (malformed) => collector.problems.push(`${malformed.path}:${malformed.line}: ${malformed.reason}`),
    onError: (error) => collector.problems.push(error.message),
  });
  await source.start(setup.emit ?? collector.emit);
  return { source, collector };
}

/** One run of a FileSource over `dir` until `count` events arrived, then stopped: its collector, for restart tests. */
export async function tailRun(
  dir: string,
  count: number,
  config: Partial<FileSourceOptions["config"]> = {},
): Promise<Collector> {
  const { source, collector } = await startTail(dir, config);
  await collector.waitForCount(count);
  await source.stop();
  return collector;
}
