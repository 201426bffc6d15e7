import { readSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { Worker } from "node:worker_threads";
import type { Producer } from "../events.js";
import { PARSE_ORDER, PARSERS } from "../parsers/registry.js";
import { DEFAULT_MAX_LINE_BYTES, Extractor, type ExtractorOptions } from "./extractor.js";
import { addStats, type ScanStats } from "./scan-stats.js";
import type { ScanWorkerInput, ScanWorkerMessage } from "./scan-worker.js";

// Below this a worker's start-up (about 40 ms: a thread, an isolate, the engine's modules) costs more than half
// the scan saves; the engine takes 0.53 s on a 1 GiB sparse log on one thread (bench/RESULTS.md).
export const HALVES_MIN_BYTES = 256 * 1024 * 1024;
// How far past the middle the split looks for a line end before giving up and scanning on one thread.
const SPLIT_WINDOW = 1024 * 1024;
// The worker module beside this one, with this one's extension: .js once built, .ts under tsx (tests).
const WORKER_URL = new URL(`./scan-worker${import.meta.url.slice(import.meta.url.lastIndexOf("."))}`, import.meta.url);

// Marker hits per MiB above which the halves lose: the worker's events must be cloned over to this thread, and the
// cap on how far it runs ahead idles it while this thread works through a dense first half (256 MiB of ticloud
// lines, about 1,900 per MiB: 5.2 s on two threads against 4.3 s on one; the sparse log has 7 per MiB).
const MAX_HITS_PER_MIB = 64;

function markerHits(window: Buffer, producers: readonly Producer[] | undefined): number {
  const chosen = new Set(producers ?? PARSE_ORDER);
  let hits = 0;
  for (const producer of PARSE_ORDER) {
    if (!chosen.has(producer)) continue;
    for (const marker of PARSERS[producer].markers) {
      for (let at = window.indexOf(marker); at >= 0; at = window.indexOf(marker, at + marker.length)) hits++;
    }
  }
  return hits;
}

/**
 * The offset just past the first LF at or after the middle of fd; null when none is near, or when the stretch
 * there is dense with markers (then one thread is faster).
 */
export function splitOffset(
  fd: number,
  size: number,
  producers?: readonly Producer[],
  maxHitsPerMiB = MAX_HITS_PER_MIB,
): number | null {
  const window = Buffer.allocUnsafe(Math.min(SPLIT_WINDOW, size));
  const middle = Math.floor(size / 2);
  const count = readSync(fd, window, 0, window.length, middle);
  const read = window.subarray(0, count);
  if (markerHits(read, producers) > (maxHitsPerMiB * count) / (1024 * 1024)) return null;
  const lf = read.indexOf(10);
  return lf < 0 || middle + lf + 1 >= size ? null : middle + lf + 1;
}

function startWorker(workerData: ScanWorkerInput): Worker {
  if (!WORKER_URL.pathname.endsWith(".ts")) return new Worker(WORKER_URL, { workerData });
  // Node 20 does not run --import hooks in workers: under tsx (the tests) register it there before the import.
  const boot = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

/** Whether a two-thread scan may pay for a regular file of `size` bytes (scanInHalves still checks for a free core). */
export function worthHalving(size: number, options: Pick<ExtractorOptions, "startOffset" | "startLine">): boolean {
  return size >= HALVES_MIN_BYTES && availableParallelism() > 1 && !options.startOffset && !options.startLine;
}

// The worker is started only if, over the first SAMPLE_MS of the scan, the other CPUs were idle at least this share
// of one CPU: two threads cost 0.3 s more CPU on the sparse log, and with both CPUs busy (load average 4 on 2) they
// took 1.1-1.8 s where one thread took 0.8-1.2 s.
const MIN_IDLE_SHARE = 0.5;
// Long enough for a few of the kernel's 10 ms CPU-time ticks.
const SAMPLE_MS = 50;

function idleMs(): number {
  return cpus().reduce((sum, cpu) => sum + cpu.times.idle, 0);
}

export interface HalvesOptions {
  /** Bytes read so far by both threads. */
  onProgress?: (done: number) => void;
  /** Marker density at the middle above which no split is made (tests lift it to split small dense files). */
  maxHitsPerMiB?: number;
  /** Idle share of one CPU needed to start the worker (tests set 0 to always start it). */
  minIdleShare?: number;
}

/**
 * Scans a regular file on two threads when a CPU is free: this one takes [0, split), a worker [split, EOF), where
 * split is a line start near the middle. Events and malformed lines reach the callbacks exactly as a one-thread scan
 * gives them: in file order, the second half's line numbers shifted by the first half's line count. When the other
 * CPUs stay busy over the first SAMPLE_MS, this thread scans on to the end alone. Null when no split is near the
 * middle or markers are dense there (the caller then scans on one thread).
 */
export async function scanInHalves(
  fd: number,
  size: number,
  options: ExtractorOptions,
  halves: HalvesOptions = {},
): Promise<ScanStats | null> {
  const { onProgress, maxHitsPerMiB, minIdleShare = MIN_IDLE_SHARE } = halves;
  const split = splitOffset(fd, size, options.producers, maxHitsPerMiB);
  if (split === null) return null;
  const flow = new Int32Array(new SharedArrayBuffer(8));
  const first = new Extractor({ ...options, maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES });
  let worker: WorkerInbox | null = null;
  try {
    const started = performance.now();
    const idleAtStart = idleMs();
    let end = split;
    let decided = minIdleShare <= 0;
    if (decided) worker = new WorkerInbox(fd, split, options, flow);
    for (let position = 0; position < end; ) {
      if (!decided && performance.now() - started >= SAMPLE_MS) {
        decided = true;
        const idle = idleMs() - idleAtStart;
        if (idle >= minIdleShare * (performance.now() - started)) worker = new WorkerInbox(fd, split, options, flow);
        else end = Number.POSITIVE_INFINITY;
      }
      const region = first.scanner.reserve();
      const count = readSync(fd, region, 0, Math.min(region.length, end - position), position);
      if (count === 0) break;
      position += count;
      first.scanner.commit(count);
      onProgress?.(position + Atomics.load(flow, 1) * 1024);
    }
    // Done before the sample ended: the worker's half still needs scanning, here.
    if (!decided) {
      for (let position = split; ; ) {
        const region = first.scanner.reserve();
        const count = readSync(fd, region, 0, region.length, position);
        if (count === 0) break;
        position += count;
        first.scanner.commit(count);
      }
    }
    first.scanner.finish();
    const stats = first.stats;
    if (worker) addStats(stats, await worker.deliver(options, first.scanner.lines, flow));
    return stats;
  } finally {
    await worker?.terminate();
  }
}

/** The worker for the second half, and the messages it sent while this thread scanned the first. */
class WorkerInbox {
  private readonly worker: Worker;
  private readonly inbox: ScanWorkerMessage[] = [];
  private wake: (() => void) | null = null;
  private failure: Error | null = null;

  constructor(fd: number, from: number, options: ExtractorOptions, flow: Int32Array) {
    this.worker = startWorker({
      fd,
      from,
      path: options.path,
      producers: options.producers,
      maxLineBytes: options.maxLineBytes,
      chunkBytes: options.chunkBytes,
      rejoinWrapped: options.rejoinWrapped,
      flow: flow.buffer as SharedArrayBuffer,
    });
    this.worker.on("message", (message: ScanWorkerMessage) => {
      this.inbox.push(message);
      this.wake?.();
    });
    this.worker.on("error", (error) => {
      this.failure = error;
      this.wake?.();
    });
    // Messages posted before the worker ended arrive before "exit": one with no figures yet stopped early.
    this.worker.on("exit", (code) => {
      this.failure ??= new Error(`scan worker stopped (exit code ${code}) before the end of its half`);
      this.wake?.();
    });
  }

  /** Hands the worker's events and malformed lines on in order, lines shifted by `shift`; returns its figures. */
  async deliver(options: ExtractorOptions, shift: number, flow: Int32Array): Promise<ScanStats> {
    for (;;) {
      const message = this.inbox.shift();
      if (message === undefined) {
        if (this.failure) throw this.failure;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = null;
        continue;
      }
      if (message.kind === "done") return message.stats;
      // Structured clone turns the Buffer into a plain Uint8Array.
      const raw = Buffer.from(message.raw.buffer, message.raw.byteOffset, message.raw.length);
      let start = 0;
      for (const item of message.items) {
        if ("malformed" in item) {
          options.onMalformed({ ...item.malformed, line: item.malformed.line + shift });
          continue;
        }
        // A new object: the events of one line share their source, and the clone keeps that sharing.
        item.event.source = { ...item.event.source, line: item.event.source.line + shift };
        options.onEvent(item.event, raw.subarray(start, item.end));
        start = item.end;
      }
      Atomics.sub(flow, 0, message.weight);
      Atomics.notify(flow, 0);
    }
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }
}
