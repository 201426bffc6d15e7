import { MarkerKernel, minimalMarkers } from "./marker-kernel.js";

/**
 * Called for each complete line holding a marker; `buf[start, end)` excludes the LF and is valid only during the call.
 * Returning true asks for the lines after it (`onFollowing`), e.g. to re-join a line a terminal wrapped.
 */
export type CandidateHandler = (
  buf: Buffer,
  start: number,
  end: number,
  line: number,
  offset: number,
) => boolean | undefined;
/** A line after a candidate that asked for more; return true to be given the next one too. */
export type FollowingHandler = (buf: Buffer, start: number, end: number, line: number, offset: number) => boolean;
/** Called for a line longer than the limit: it is skipped unread, never buffered whole. */
export type OverlongHandler = (line: number, offset: number) => void;

export interface LineScannerOptions {
  markers: readonly string[];
  onCandidate: CandidateHandler;
  onOverlong: OverlongHandler;
  onFollowing?: FollowingHandler;
  /** The lines asked for ran out: input ended, or the next line holds a marker of its own (it is then a candidate). */
  onFollowingEnd?: () => void;
  maxLineBytes: number;
  /** Bytes asked of each read; 4 MiB measured best for page-cached files (docs/toolchain.md). */
  chunkBytes?: number;
  /** Where the bytes start in the file, for a reader resuming from a checkpoint. */
  startOffset?: number;
  startLine?: number;
}

const DEFAULT_CHUNK = 4 * 1024 * 1024;

/**
 * Bytes in, candidate lines out. Searches the raw bytes for the producers' markers and decodes nothing else: a
 * line is only located (LF before and after the hit) when a marker occurs in it. Reads can go straight into the
 * scanner's own buffer (`reserve` + `commit`), so a file is copied once, by the kernel. That buffer is the memory of
 * a WebAssembly SIMD kernel that finds markers and counts LFs in one pass: the engine takes 0.53 s on a 1 GiB sparse
 * log against 2.14 s with Buffer.indexOf per marker + an indexOf(10) loop for line numbers (bench/RESULTS.md).
 */
export class LineScanner {
  private buf: Buffer;
  private readonly kernel: MarkerKernel;
  private readonly chunkBytes: number;
  private readonly maxLineBytes: number;
  /** buf[0, start) is done; buf[start, end) is the incomplete last line. */
  private start = 0;
  private end = 0;
  /** File offset of buf[0]. */
  private base: number;
  /** Line number of the line that starts at buf[start]. */
  private line: number;
  private skipping = false;
  /** File offset of the overlong line being skipped: resuming there re-skips it whole. */
  private skippingFrom = 0;
  /** While the handler takes following lines: where the candidate that asked for them starts, to resume there. */
  private following: { offset: number; line: number } | null = null;
  private readonly markerBytes: Buffer[];
  /** Complete lines seen, overlong ones included. */
  lines = 0;
  bytes = 0;

  constructor(private readonly options: LineScannerOptions) {
    this.chunkBytes = Math.max(1, Math.min(options.chunkBytes ?? DEFAULT_CHUNK, options.maxLineBytes));
    // The buffer holds a line being assembled plus a chunk, in WebAssembly memory (under 2 GiB): longer lines are
    // skipped whatever the limit asked.
    this.maxLineBytes = Math.min(options.maxLineBytes, MarkerKernel.MAX_BYTES - 2 * this.chunkBytes - 1);
    this.kernel = new MarkerKernel(options.markers, this.chunkBytes + 1);
    this.buf = this.kernel.bytes;
    this.markerBytes = minimalMarkers(options.markers);
    this.base = options.startOffset ?? 0;
    this.line = options.startLine ?? 1;
  }

  /** File offset up to which every line is complete and handed out: a safe resume point. */
  get committedOffset(): number {
    if (this.following) return this.following.offset;
    return this.skipping ? this.skippingFrom : this.base + this.start;
  }

  /** Line number at committedOffset. */
  get committedLine(): number {
    return this.following?.line ?? this.line;
  }

  /** A region of at most chunkBytes to read into; pass the count read to commit(). */
  reserve(): Buffer {
    if (this.start > 0) {
      this.buf.copyWithin(0, this.start, this.end);
      this.base += this.start;
      this.end -= this.start;
      this.start = 0;
    }
    // One spare byte: finish() appends an LF after the last line.
    if (this.buf.length - this.end < this.chunkBytes + 1) {
      this.kernel.ensure(
        Math.min(MarkerKernel.MAX_BYTES, Math.max(this.buf.length * 2, this.end + this.chunkBytes + 1)),
      );
      this.buf = this.kernel.bytes;
    }
    return this.buf.subarray(this.end, this.end + this.chunkBytes);
  }

  commit(count: number): void {
    if (count <= 0) return;
    const from = this.end;
    this.end += count;
    this.bytes += count;
    if (this.skipping) {
      const nl = this.buf.subarray(from, this.end).indexOf(10);
      if (nl < 0) {
        this.start = this.end;
        return;
      }
      this.skipping = false;
      this.start = from + nl + 1;
      this.line++;
      this.lines++;
      if (this.start === this.end) return;
    }
    const last = this.buf.subarray(from, this.end).lastIndexOf(10);
    if (last < 0) {
      this.checkIncomplete();
      return;
    }
    const regionEnd = from + last + 1;
    // Only a line carried over from earlier reads can exceed the limit within a region (chunks are no larger).
    if (from > this.start) {
      const firstEnd = this.buf.indexOf(10, from);
      if (firstEnd - this.start > this.maxLineBytes) {
        this.endFollowing();
        this.options.onOverlong(this.line, this.base + this.start);
        this.start = firstEnd + 1;
        this.line++;
        this.lines++;
      }
    }
    if (this.start < regionEnd) this.lines += this.handleLines(this.start, regionEnd);
    this.start = regionEnd;
    this.checkIncomplete();
  }

  /** Copies a chunk in, for streams (gunzip, stdin) whose buffers the scanner does not own. */
  push(chunk: Uint8Array): void {
    for (let at = 0; at < chunk.length; ) {
      const region = this.reserve();
      const count = Math.min(region.length, chunk.length - at);
      region.set(chunk.subarray(at, at + count));
      this.commit(count);
      at += count;
    }
  }

  /** End of input: a last line without LF (a process killed mid-write) is still a line. */
  finish(): void {
    if (this.skipping) {
      this.skipping = false;
      this.lines++;
      this.line++;
    } else if (this.end > this.start) {
      this.reserve()[0] = 10;
      this.lines += this.handleLines(this.start, this.end + 1);
    }
    this.start = this.end;
    this.endFollowing();
  }

  private endFollowing(): void {
    if (!this.following) return;
    this.following = null;
    this.options.onFollowingEnd?.();
  }

  /** Hands the line at buf[at] to onFollowing unless it holds a marker; returns where the next line starts. */
  private follow(at: number): number {
    const lineEnd = this.buf.indexOf(10, at);
    const line = this.buf.subarray(at, lineEnd);
    if (this.markerBytes.some((marker) => line.includes(marker))) {
      this.endFollowing();
      return at;
    }
    const more = this.options.onFollowing?.(this.buf, at, lineEnd, this.line, this.base + at) ?? false;
    this.line++;
    if (!more) this.endFollowing();
    return lineEnd + 1;
  }

  private checkIncomplete(): void {
    if (this.end - this.start > this.maxLineBytes) {
      this.endFollowing();
      this.skippingFrom = this.base + this.start;
      this.options.onOverlong(this.line, this.skippingFrom);
      this.skipping = true;
      this.start = this.end;
    }
  }

  /** Emits the candidates in buf[from, to), whole lines the last ending in LF; returns how many lines it held. */
  private handleLines(from: number, to: number): number {
    const kernel = this.kernel;
    let total = 0;
    for (let at = from; ; ) {
      if (this.following) {
        if (at >= to) return total;
        const next = this.follow(at);
        if (next > at) total++;
        at = next;
        continue;
      }
      const hit = kernel.find(at, to);
      total += kernel.newlines;
      this.line += kernel.newlines;
      if (hit < 0) return total;
      const lineStart = hit === at ? at : Math.max(at, this.buf.lastIndexOf(10, hit - 1) + 1);
      const lineEnd = this.buf.indexOf(10, hit);
      if (lineEnd - lineStart > this.maxLineBytes) {
        this.options.onOverlong(this.line, this.base + lineStart);
      } else if (this.options.onCandidate(this.buf, lineStart, lineEnd, this.line, this.base + lineStart) === true) {
        this.following = { offset: this.base + lineStart, line: this.line };
      }
      total++;
      this.line++;
      at = lineEnd + 1;
    }
  }
}
