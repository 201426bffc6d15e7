import { MarkerKernel } from "./marker-kernel.js";

// Below this an indexOf(10) loop beats copying into the kernel's memory (a few lines' worth).
const SMALL = 4096;
// Copied a piece at a time so the kernel's memory stays small and in cache.
const PIECE = 256 * 1024;
let counter: MarkerKernel | null = null;

/**
 * Number of LF bytes in buf[start, end). Large ranges are copied into a WebAssembly SIMD counter: 1 GiB of log
 * (7 million lines, in cache) in 0.09 s instead of 0.18 s for a Buffer.indexOf(10) loop.
 */
export function countNewlines(buf: Uint8Array, start: number, end: number): number {
  if (end - start < SMALL) {
    let count = 0;
    for (let at = buf.indexOf(10, start); at !== -1 && at < end; at = buf.indexOf(10, at + 1)) count++;
    return count;
  }
  counter ??= new MarkerKernel([], PIECE);
  let count = 0;
  for (let at = start; at < end; at += PIECE) {
    const size = Math.min(PIECE, end - at);
    counter.bytes.set(buf.subarray(at, at + size));
    count += counter.count(0, size);
  }
  return count;
}
