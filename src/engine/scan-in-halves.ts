import { readSync } from "node:fs";
import { availableParallelism } from "node:os";
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

/** Whether scanInHalves is worth it for a regular file of `size` bytes on this machine. */
export function worthHalving(size: number, options: Pick<ExtractorOptions, "startOffset" | "startLine">): boolean {
  return size >= HALVES_MIN_BYTES && availableParallelism() > 1 && !options.startOffset && !options.startLine;
}

export interface HalvesOptions {
  /** Bytes read so far by both threads. */
  onProgress?: (done: number) => void;
  /** Marker density at the middle above which no split is made (tests lift it to split small dense files). */
  maxHitsPerMiB?: number;
}

/**
 * Scans a regular file on two threads: this one takes [0, split), a worker [split, EOF), where split is a line start
 * near the middle. Events and malformed lines reach the callbacks exactly as a one-thread scan would give them: in
 * file order, the second half's line numbers shifted by the first half's line count. Null when no split is near the
 * middle or markers are dense there (the caller then scans on one thread).
 */
export async function scanInHalves(
  fd: number,
  size: number,
  options: ExtractorOptions,
  halves: HalvesOptions = {},
): Promise<ScanStats | null> {
  const { onProgress, maxHitsPerMiB } = halves;
  const split = splitOffset(fd, size, options.producers, maxHitsPerMiB);
  if (split === null) return null;
  const flow = new Int32Array(new SharedArrayBuffer(8));
  const input: ScanWorkerInput = {
    fd,
    from: split,
    path: options.path,
    producers: options.producers,
    maxLineBytes: options.maxLineBytes,
    chunkBytes: options.chunkBytes,
    flow: flow.buffer as SharedArrayBuffer,
  };
  const worker = startWorker(input);
  const inbox: ScanWorkerMessage[] = [];
  const state: { wake: (() => void) | null; failure: Error | null } = { wake: null, failure: null };
  worker.on("message", (message: ScanWorkerMessage) => {
    inbox.push(message);
    state.wake?.();
  });
  worker.on("error", (error) => {
    state.failure = error;
    state.wake?.();
  });
  // Messages posted before the worker ended arrive before "exit": one with no figures yet stopped early.
  worker.on("exit", (code) => {
    state.failure ??= new Error(`scan worker stopped (exit code ${code}) before the end of its half`);
    state.wake?.();
  });
  try {
    const first = new Extractor({ ...options, maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES });
    for (let position = 0; position < split; ) {
      const region = first.scanner.reserve();
      const count = readSync(fd, region, 0, Math.min(region.length, split - position), position);
      if (count === 0) break;
      position += count;
      first.scanner.commit(count);
      onProgress?.(position + Atomics.load(flow, 1) * 1024);
    }
    first.scanner.finish();
    const stats = first.stats;
    const shift = first.scanner.lines;
    for (;;) {
      const message = inbox.shift();
      if (message === undefined) {
        if (state.failure) throw state.failure;
        await new Promise<void>((resolve) => {
          state.wake = resolve;
        });
        state.wake = null;
        continue;
      }
      if (message.kind === "done") {
        addStats(stats, message.stats);
        return stats;
      }
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
  } finally {
    await worker.terminate();
  }
}
