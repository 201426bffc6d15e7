import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { createGunzip } from "node:zlib";
import { Extractor, type ExtractorOptions } from "../engine/extractor.js";
import { scanInHalves, worthHalving } from "../engine/scan-in-halves.js";
import type { ScanStats } from "../engine/scan-stats.js";
import type { Input } from "./expand-inputs.js";
import { type Encoding, sniffEncoding } from "./sniff-encoding.js";

// How often a long scan reports progress (only shown when stderr is a terminal).
const PROGRESS_EVERY = 64 * 1024 * 1024;

/** Called now and then during a long scan with the bytes read so far and the total when known. */
export type ProgressHandler = (done: number, total: number | null) => void;

/**
 * A transform feeding the extractor: gunzip by magic bytes (not by name), and UTF-16 (as PowerShell's `>` writes)
 * re-encoded to UTF-8 so the byte markers match; offsets then count the re-encoded bytes.
 */
async function* decoded(chunks: AsyncIterable<Uint8Array>, encoding: Encoding): AsyncGenerator<Uint8Array> {
  if (encoding === "gzip") {
    const gunzip = createGunzip();
    const feed = (async () => {
      try {
        for await (const chunk of chunks) if (!gunzip.write(chunk)) await new Promise((r) => gunzip.once("drain", r));
        gunzip.end();
      } catch (error) {
        gunzip.destroy(error as Error);
      }
    })();
    try {
      for await (const chunk of gunzip) yield chunk as Buffer;
    } catch (error) {
      // zlib says `Z_DATA_ERROR unknown compression method`; what was decoded before it has been scanned.
      const code = (error as NodeJS.ErrnoException).code;
      if (code?.startsWith("Z_")) throw new Error(`corrupt or cut-off gzip data (${(error as Error).message})`);
      throw error;
    }
    await feed;
    return;
  }
  if (encoding === "plain") {
    yield* chunks;
    return;
  }
  const decoder = new TextDecoder(encoding, { ignoreBOM: false });
  for await (const chunk of chunks) yield Buffer.from(decoder.decode(chunk, { stream: true }), "utf8");
  yield Buffer.from(decoder.decode(), "utf8");
}

/** Sniffs the first chunk of a stream, then hands every chunk (first included) to the right decoder. */
async function scanStream(source: AsyncIterable<Uint8Array>, extractor: Extractor, onProgress?: ProgressHandler) {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  const rest: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: async function* () {
      yield first.value;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    },
  };
  let done = 0;
  let reported = 0;
  for await (const chunk of decoded(rest, sniffEncoding(first.value))) {
    extractor.scanner.push(chunk);
    done += chunk.length;
    if (onProgress && done - reported >= PROGRESS_EVERY) {
      reported = done;
      onProgress(done, null);
    }
  }
}

async function* fileChunks(fd: number, chunkBytes: number): AsyncGenerator<Uint8Array> {
  const buffer = Buffer.allocUnsafe(chunkBytes);
  for (let count = readSync(fd, buffer); count > 0; count = readSync(fd, buffer))
    yield Buffer.from(buffer.subarray(0, count));
}

/** Plain files are read straight into the scanner's buffer: one copy, by the kernel, and no stream machinery. */
export function scanPlainFile(fd: number, size: number, extractor: Extractor, onProgress?: ProgressHandler): void {
  let reported = 0;
  for (;;) {
    const region = extractor.scanner.reserve();
    const count = readSync(fd, region, 0, region.length, null);
    if (count === 0) return;
    extractor.scanner.commit(count);
    if (onProgress && extractor.scanner.bytes - reported >= PROGRESS_EVERY) {
      reported = extractor.scanner.bytes;
      onProgress(reported, size);
    }
  }
}

/** Scans one input through a fresh extractor; throws (E_READ-worthy errno errors) only when the input cannot be read. */
export async function scanInput(
  input: Input,
  options: Omit<ExtractorOptions, "path">,
  onProgress?: ProgressHandler,
): Promise<ScanStats> {
  // A one-shot read: a line cut short may be a wrapped paste, continued on the next lines (formats.md §4).
  options = { rejoinWrapped: true, ...options };
  const extractor = new Extractor({ ...options, path: input.path });
  if (input.kind === "stdin") {
    await scanStream(process.stdin, extractor, onProgress);
  } else {
    const fd = openSync(input.path, "r");
    try {
      const head = Buffer.alloc(2);
      const headBytes = readSync(fd, head, 0, 2, 0);
      const encoding = sniffEncoding(head.subarray(0, headBytes));
      const size = fstatSync(fd).size;
      if (encoding === "plain" && worthHalving(size, options)) {
        // Large sparse files on two threads when a CPU is idle: reading 1 GiB takes 0.18 s, its halves side by side
        // 0.08 + 0.10 s (bench/RESULTS.md).
        const progress = onProgress && ((done: number) => onProgress(done, size));
        const stats = await scanInHalves(fd, size, { ...options, path: input.path }, { onProgress: progress });
        if (stats) return stats;
      }
      if (encoding === "plain") {
        scanPlainFile(fd, size, extractor, onProgress);
      } else {
        await scanStream(fileChunks(fd, 1024 * 1024), extractor, onProgress);
      }
    } finally {
      closeSync(fd);
    }
  }
  extractor.scanner.finish();
  return extractor.stats;
}
