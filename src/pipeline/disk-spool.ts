import { mkdir, readdir, readFile, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { TelemetryEvent } from "../events.js";
import { ndjsonBody } from "../sinks/ndjson-line.js";
import { writeDurably } from "../write-durably.js";

/**
 * One spooled batch: a file `<seq>-<events>.ndjson`, or `<first>-<last>-<events>.ndjson` for batches `first..last`
 * merged by `compact`, so opening the spool needs no read of the contents.
 */
interface Segment {
  first: number;
  last: number;
  events: number;
  bytes: number;
  path: string;
}

const SEGMENT = /^(\d{12})(?:-(\d{12}))?-(\d+)\.ndjson$/;
const seqName = (seq: number) => String(seq).padStart(12, "0");

/** The most a merged batch may hold: the sink's own batch limits, so the spool never sends a larger request. */
export interface CompactionBound {
  maxEvents: number;
  maxBytes: number;
}

/** What one `compact` did. */
export interface SpoolCompaction {
  /** Segment files merged away, and the larger ones that replaced them. */
  merged: number;
  into: number;
  /** Segment files in the spool afterwards. */
  files: number;
}

/**
 * A sink's bounded disk spool under `<dataDir>/spool/<sink>`: batches the sink could not take yet, oldest first.
 * Each batch is written to a temp file, fsynced and renamed, so a batch is either wholly in the spool or not at all,
 * and what is there survives a crash or a restart. Operations run one at a time, so a compaction never merges a
 * batch while it is appended or shifted.
 */
export class DiskSpool {
  private segments: Segment[] = [];
  private totalBytes = 0;
  private totalEvents = 0;
  private nextSeq = 0;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {}

  /** Opens (creating) the spool and picks up what an earlier run left in it. */
  static async open(dir: string, maxBytes: number): Promise<DiskSpool> {
    const spool = new DiskSpool(dir, maxBytes);
    await mkdir(dir, { recursive: true });
    const found: Segment[] = [];
    for (const name of await readdir(dir)) {
      const match = SEGMENT.exec(name);
      if (!match) {
        // A temp file left by a crash mid-write was never renamed: that batch was never acknowledged, or that
        // merge never replaced its batches.
        if (name.endsWith(".tmp")) await unlink(join(dir, name));
        continue;
      }
      const path = join(dir, name);
      const { size } = await stat(path);
      const first = Number(match[1]);
      found.push({ first, last: Number(match[2] ?? first), events: Number(match[3]), bytes: size, path });
    }
    // Oldest first, and a merged segment before the batches it holds.
    found.sort((a, b) => a.first - b.first || b.last - a.last);
    for (const segment of found) {
      const previous = spool.segments.at(-1);
      if (previous && segment.last <= previous.last) {
        // A compaction renamed its merged segment in and crashed before deleting this batch, which it holds.
        await unlink(segment.path);
        continue;
      }
      spool.push(segment);
    }
    spool.nextSeq = (spool.segments.at(-1)?.last ?? -1) + 1;
    return spool;
  }

  /** Runs spool operations one after the other: each sees the segments the previous one left. */
  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.queue.then(operation);
    this.queue = run.catch(() => {});
    return run;
  }

  private push(segment: Segment): void {
    this.segments.push(segment);
    this.totalBytes += segment.bytes;
    this.totalEvents += segment.events;
  }

  get events(): number {
    return this.totalEvents;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get isEmpty(): boolean {
    return this.segments.length === 0;
  }

  /** Whether `bytes` more fit; an empty spool takes any one batch so that an oversized batch cannot wedge a sink. */
  fits(bytes: number): boolean {
    return this.segments.length === 0 || this.totalBytes + bytes <= this.maxBytes;
  }

  /** Segment files in the spool. */
  get files(): number {
    return this.segments.length;
  }

  /** Writes a batch durably; resolves once it is on disk. The caller checks `fits` first. */
  append(events: readonly TelemetryEvent[]): Promise<void> {
    return this.exclusive(async () => {
      const body = ndjsonBody(events);
      const seq = this.nextSeq++;
      const path = join(this.dir, `${seqName(seq)}-${events.length}.ndjson`);
      await writeDurably(path, body);
      this.push({ first: seq, last: seq, events: events.length, bytes: body.length, path });
    });
  }

  /** The oldest batch, or undefined when the spool is empty. */
  peek(): Promise<TelemetryEvent[] | undefined> {
    return this.exclusive(async () => {
      const head = this.segments[0];
      if (!head) return undefined;
      const text = await readFile(head.path, "utf8");
      return text
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as TelemetryEvent);
    });
  }

  /** Removes the oldest batch once it was delivered or dead-lettered. */
  shift(): Promise<void> {
    return this.exclusive(async () => {
      const head = this.segments.shift();
      if (!head) return;
      this.totalBytes -= head.bytes;
      this.totalEvents -= head.events;
      await unlink(head.path);
    });
  }

  /**
   * Merges runs of consecutive batches into batches of at most `bound`, oldest first and in order, so that a sink
   * down for a day does not leave tens of thousands of tiny files. The oldest batch is never merged: the sink may be
   * sending it, and `shift` removes it once sent. Each merge is written to a temp file, fsynced and renamed in
   * before its batches are deleted; `open` deletes batches a merged segment holds, should a crash come between.
   * Stops early, between two merges, when `signal` is aborted.
   */
  async compact(bound: CompactionBound, signal?: AbortSignal): Promise<SpoolCompaction> {
    const done: SpoolCompaction = { merged: 0, into: 0, files: 0 };
    while (!signal?.aborted) {
      const merged = await this.exclusive(() => this.mergeNextRun(bound));
      if (merged === 0) break;
      done.merged += merged;
      done.into++;
    }
    done.files = this.segments.length;
    return done;
  }

  /** Merges the first run of two or more batches (after the oldest) that fits `bound`; the batches merged, or 0. */
  private async mergeNextRun(bound: CompactionBound): Promise<number> {
    for (let start = 1; start < this.segments.length - 1; start++) {
      let end = start;
      let events = this.segments[start]?.events ?? 0;
      let bytes = this.segments[start]?.bytes ?? 0;
      for (let next = this.segments[end + 1]; next; next = this.segments[end + 1]) {
        if (events + next.events > bound.maxEvents || bytes + next.bytes > bound.maxBytes) break;
        events += next.events;
        bytes += next.bytes;
        end++;
      }
      if (end > start) {
        await this.merge(start, end);
        return end - start + 1;
      }
    }
    return 0;
  }

  private async merge(start: number, end: number): Promise<void> {
    const run = this.segments.slice(start, end + 1);
    const first = run[0] as Segment;
    const last = run.at(-1) as Segment;
    const contents = await Promise.all(run.map((segment) => readFile(segment.path)));
    const events = run.reduce((sum, segment) => sum + segment.events, 0);
    const path = join(this.dir, `${seqName(first.first)}-${seqName(last.last)}-${events}.ndjson`);
    await writeDurably(path, Buffer.concat(contents));
    const bytes = run.reduce((sum, segment) => sum + segment.bytes, 0);
    this.segments.splice(start, run.length, { first: first.first, last: last.last, events, bytes, path });
    for (const segment of run) await unlink(segment.path);
  }
}
