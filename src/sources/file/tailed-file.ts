import { fstatSync, readSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { Extractor, type Malformed } from "../../engine/extractor.js";
import type { Producer, TelemetryEvent } from "../../events.js";
import { sniffEncoding } from "../sniff-encoding.js";
import { type Fingerprint, fileKey, fingerprintAt, HEAD_BYTES, TAIL_BYTES } from "./file-fingerprint.js";
import { type FilePosition, PendingAcks } from "./pending-acks.js";
import { FILE_START } from "./start-position.js";

/** The scanner's read size: small because every open file holds one such buffer (1,000 files = 128 MiB). */
const CHUNK_BYTES = 128 * 1024;
/** Where a turn reads the file's first bytes back; readTurn never yields, so one buffer serves every file. */
const HEAD_SCRATCH = Buffer.alloc(HEAD_BYTES);
/** A fingerprint that matches nothing: the content before the offset could not be read back. */
const UNKNOWN: Fingerprint = { headLength: -1, headHash: "", tailHash: "" };

/** What a TailedFile needs from its source. */
export interface TailedFileOptions {
  key: string;
  path: string;
  start: FilePosition;
  /** The file's first bytes as read when `start` was decided (empty at byte 0). */
  head: Buffer;
  producers?: readonly Producer[];
  maxLineBytes: number;
  onMalformed: (malformed: Malformed) => void;
  onAdvance: () => void;
  /** The file was found shorter than what was read, or with other first bytes: read again from byte 0. */
  onTruncate: () => void;
}

/** The outcome of one read turn. */
export interface TurnResult {
  bytes: number;
  lines: number;
  /** Everything up to the size seen at the start of the turn was read. */
  eof: boolean;
}

/**
 * One file being tailed, identified by dev:inode rather than by path (a rotated file keeps being read under its
 * new name). Holds the descriptor and scanner only while open; closing keeps the committed position, so the
 * bytes of a partial last line are simply read again after reopening.
 */
export class TailedFile {
  readonly key: string;
  path: string;
  /** The path no longer leads here (rotated away, deleted or excluded): read to the end, then let go. */
  detached = false;
  /** When the path stopped leading here (Date.now()). */
  detachedAt = 0;
  /** Set while a detached file waits out its rotate wait. */
  releaseTimer: NodeJS.Timeout | null = null;
  handle: FileHandle | null = null;
  lastActive = Date.now();
  /** Size and mtime at the last turn: a rescan reads the file again only when they changed. */
  seenSize = -1;
  seenMtimeNs = -1n;
  readonly acks: PendingAcks;
  private extractor: Extractor | null = null;
  private resume: { offset: number; line: number };
  private readPos: number;
  /** The file's first bytes as read, compared on every turn to notice a truncate-and-rewrite. */
  private head: Buffer;
  /** The last bytes read (up to TAIL_BYTES, ending at readPos): the fingerprint of a cut at readPos needs no read. */
  private tail = Buffer.alloc(0);
  private events: TelemetryEvent[] = [];
  private cutOffset: number;

  constructor(private readonly options: TailedFileOptions) {
    this.key = options.key;
    this.path = options.path;
    this.resume = { offset: options.start.offset, line: options.start.line };
    this.readPos = options.start.offset;
    this.cutOffset = options.start.offset;
    this.head = options.head;
    this.acks = new PendingAcks(options.start, options.onAdvance);
  }

  /** Opens the file at its path; false when the path now leads to another file or nowhere. */
  async open(): Promise<boolean> {
    if (this.handle) return true;
    let handle: FileHandle;
    try {
      handle = await open(this.path, "r");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw error;
    }
    if (fileKey(await handle.stat({ bigint: true })) !== this.key) {
      await handle.close();
      return false;
    }
    this.handle = handle;
    return true;
  }

  /** Adopts a descriptor the caller already opened and checked. */
  adopt(handle: FileHandle): void {
    this.handle = handle;
  }

  async close(): Promise<void> {
    if (this.extractor) {
      this.resume = { offset: this.extractor.scanner.committedOffset, line: this.extractor.scanner.committedLine };
      this.readPos = this.resume.offset;
      this.tail = Buffer.alloc(0);
      this.extractor = null;
    }
    const handle = this.handle;
    this.handle = null;
    await handle?.close();
  }

  /**
   * Reads up to `budget` bytes from where the last turn stopped. Starts over at byte 0 when the file is now
   * shorter than what was read (truncation, copytruncate) or its first bytes changed (truncated and rewritten).
   */
  readTurn(budget: number): TurnResult {
    // Synchronous on purpose: only regular files are tailed, and at 400 turns/s the promise and thread-pool round
    // trips of async fs calls cost more CPU than page-cache reads themselves (bench/RESULTS.md). The price: a slow
    // or hung network filesystem stalls the whole daemon, not one thread-pool thread. The read loop yields to the
    // event loop after every turn.
    const fd = (this.handle as FileHandle).fd;
    const stats = fstatSync(fd, { bigint: true });
    const size = Number(stats.size);
    this.seenSize = size;
    this.seenMtimeNs = stats.mtimeNs;
    this.lastActive = Date.now();
    if (size < this.readPos || !this.headUnchanged(fd)) this.restart();
    const extractor = this.ensureExtractor();
    let bytes = 0;
    const linesBefore = extractor.scanner.lines;
    // Reading only up to the size just seen spares the read that would return 0 at the end; anything written
    // since then comes with its own watch event.
    while (bytes < budget && this.readPos < size) {
      const region = extractor.scanner.reserve();
      const want = Math.min(region.length, budget - bytes, size - this.readPos);
      const bytesRead = readSync(fd, region, 0, want, this.readPos);
      if (bytesRead === 0) break;
      if (this.readPos === 0) this.checkEncoding(region.subarray(0, bytesRead));
      this.remember(region.subarray(0, bytesRead));
      this.readPos += bytesRead;
      bytes += bytesRead;
      extractor.scanner.commit(bytesRead);
    }
    return { bytes, lines: extractor.scanner.lines - linesBefore, eof: this.readPos >= size };
  }

  /** Keeps the head and tail bytes of what was just read at readPos, before the scanner may move them. */
  private remember(bytes: Buffer): void {
    const headEnd = Math.min(HEAD_BYTES, this.readPos + bytes.length);
    if (this.readPos <= this.head.length && this.head.length < headEnd) {
      this.head = Buffer.concat([this.head, bytes.subarray(this.head.length - this.readPos, headEnd - this.readPos)]);
    }
    const keep = Math.min(TAIL_BYTES, bytes.length);
    const carry = Math.min(TAIL_BYTES - keep, this.tail.length);
    this.tail = Buffer.concat([this.tail.subarray(this.tail.length - carry), bytes.subarray(bytes.length - keep)]);
  }

  /** End of a file that will not grow again: a last line without LF is still a line. */
  finish(): void {
    this.ensureExtractor().scanner.finish();
  }

  /**
   * The events read since the last cut and the position they lead to; `ack` moves the checkpoint there once
   * every earlier batch of this file was acked too. Null when nothing was read since the last cut.
   */
  async cut(): Promise<{ events: TelemetryEvent[]; ack: () => void } | null> {
    const scanner = this.extractor?.scanner;
    if (!scanner || (scanner.committedOffset === this.cutOffset && this.events.length === 0)) return null;
    const offset = scanner.committedOffset;
    const known = { head: this.head, tail: this.tail, tailEnd: this.readPos };
    const fingerprint = (this.handle && (await fingerprintAt(this.handle, offset, known))) ?? UNKNOWN;
    const events = this.events;
    this.events = [];
    this.cutOffset = offset;
    return { events, ack: this.acks.add({ offset, line: scanner.committedLine, fingerprint }) };
  }

  get lag(): number {
    return Math.max(0, this.seenSize - this.readPos);
  }

  private headUnchanged(fd: number): boolean {
    if (this.head.length === 0) return true;
    const now = HEAD_SCRATCH.subarray(0, this.head.length);
    return readSync(fd, now, 0, now.length, 0) === now.length && now.equals(this.head);
  }

  private restart(): void {
    this.options.onTruncate();
    // Batches cut from the old content keep their place in the ack order: the checkpoint reaches byte 0 after them.
    this.extractor = null;
    this.resume = { offset: 0, line: 1 };
    this.readPos = 0;
    this.cutOffset = 0;
    this.head = Buffer.alloc(0);
    this.tail = Buffer.alloc(0);
    this.acks.reached(FILE_START);
  }

  /**
   * The tailer reads UTF-8 (offsets in checkpoints are the file's own bytes); a UTF-16 file would yield no event
   * and no error, so it is reported, once per read from its start, with what to do instead.
   */
  private checkEncoding(head: Buffer): void {
    const encoding = sniffEncoding(head);
    if (encoding !== "utf-16le" && encoding !== "utf-16be") return;
    this.options.onMalformed({
      path: this.path,
      line: 1,
      offset: 0,
      producer: null,
      reason: `the file is ${encoding.toUpperCase()} (a BOM at its start, as PowerShell's > writes) and the tailer reads UTF-8: convert it (iconv -f UTF-16 -t UTF-8) or read it with teletap grep`,
    });
  }

  private ensureExtractor(): Extractor {
    this.extractor ??= new Extractor({
      path: this.path,
      producers: this.options.producers,
      maxLineBytes: this.options.maxLineBytes,
      chunkBytes: CHUNK_BYTES,
      startOffset: this.resume.offset,
      startLine: this.resume.line,
      onEvent: (event) => this.events.push(event),
      onMalformed: this.options.onMalformed,
    });
    return this.extractor;
  }
}
