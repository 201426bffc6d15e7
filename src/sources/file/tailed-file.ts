import { fstatSync, readSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { Extractor, type Malformed } from "../../engine/extractor.js";
import type { Producer, TelemetryEvent } from "../../events.js";
import { type Fingerprint, fileKey, fingerprintAt, HEAD_BYTES, TAIL_BYTES } from "./file-fingerprint.js";
import { type FilePosition, PendingAcks } from "./pending-acks.js";
import { FILE_START } from "./start-position.js";
import { Utf16Transcoder, utf16Of } from "./utf16-transcoder.js";

/** The scanner's read size: small because every open file holds one such buffer (1,000 files = 128 MiB). */
const CHUNK_BYTES = 128 * 1024;
/** Where a turn reads the file's first bytes back; readTurn never yields, so one buffer serves every file. */
const HEAD_SCRATCH = Buffer.alloc(HEAD_BYTES);
/** Where a UTF-16 file's bytes are read before their UTF-8 goes to the scanner; shared like HEAD_SCRATCH. */
const RAW_SCRATCH = Buffer.alloc(CHUNK_BYTES);
/** A fingerprint that matches nothing: the content before the offset could not be read back. */
const UNKNOWN: Fingerprint = { headLength: -1, headHash: "", tailHash: "" };

/** What a TailedFile needs from its source. */
export interface TailedFileOptions {
  key: string;
  path: string;
  start: FilePosition;
  /** The file's first bytes as read when `start` was decided (empty at byte 0). */
  head: Buffer;
  /** For a UTF-16 file started past byte 0, the scanner's offset there (StartPoint.text). */
  startText?: number;
  producers?: readonly Producer[];
  maxLineBytes: number;
  onMalformed: (malformed: Malformed) => void;
  onAdvance: () => void;
  /** The file was found shorter than what was read, or with other first bytes: read again from byte 0. */
  onTruncate: () => void;
}

/**
 * A resume point: the file offset (what checkpoints hold), the line number there, and the offset the scanner and
 * events count in, which differs only for a UTF-16 file (its UTF-8 re-encoding, as grep counts) and is null until
 * counted.
 */
interface Resume {
  offset: number;
  line: number;
  text: number | null;
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
  /** Set beside the extractor for a UTF-16 file (BOM at byte 0), null for the bytes-as-they-are path. */
  private transcoder: Utf16Transcoder | null = null;
  private resume: Resume;
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
    const { offset, line } = options.start;
    this.resume = { offset, line, text: offset === 0 ? 0 : (options.startText ?? null) };
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
      this.resume = this.committed(this.extractor);
      this.readPos = this.resume.offset;
      this.tail = Buffer.alloc(0);
      this.extractor = null;
      this.transcoder = null;
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
    const extractor = this.ensureExtractor(fd);
    if (!extractor) return { bytes: 0, lines: 0, eof: true };
    const linesBefore = extractor.scanner.lines;
    if (this.transcoder) {
      const bytes = this.readTranscoded(fd, size, budget, extractor, this.transcoder);
      return { bytes, lines: extractor.scanner.lines - linesBefore, eof: this.readPos >= size };
    }
    let bytes = 0;
    // Reading only up to the size just seen spares the read that would return 0 at the end; anything written
    // since then comes with its own watch event.
    while (bytes < budget && this.readPos < size) {
      const region = extractor.scanner.reserve();
      const want = Math.min(region.length, budget - bytes, size - this.readPos);
      const bytesRead = readSync(fd, region, 0, want, this.readPos);
      if (bytesRead === 0) break;
      this.remember(region.subarray(0, bytesRead));
      this.readPos += bytesRead;
      bytes += bytesRead;
      extractor.scanner.commit(bytesRead);
    }
    return { bytes, lines: extractor.scanner.lines - linesBefore, eof: this.readPos >= size };
  }

  /** readTurn's loop for a UTF-16 file: the file's bytes go through the transcoder, one more copy. */
  private readTranscoded(
    fd: number,
    size: number,
    budget: number,
    extractor: Extractor,
    transcoder: Utf16Transcoder,
  ): number {
    let bytes = 0;
    while (bytes < budget && this.readPos < size) {
      const want = Math.min(RAW_SCRATCH.length, budget - bytes, size - this.readPos);
      const bytesRead = readSync(fd, RAW_SCRATCH, 0, want, this.readPos);
      if (bytesRead === 0) break;
      const raw = RAW_SCRATCH.subarray(0, bytesRead);
      this.remember(raw);
      this.readPos += bytesRead;
      bytes += bytesRead;
      extractor.scanner.push(transcoder.decode(raw));
    }
    return bytes;
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
    const extractor = this.ensureExtractor((this.handle as FileHandle).fd);
    if (!extractor) return;
    if (this.transcoder) extractor.scanner.push(this.transcoder.end());
    extractor.scanner.finish();
  }

  /**
   * The events read since the last cut and the position they lead to; `ack` moves the checkpoint there once
   * every earlier batch of this file was acked too. Null when nothing was read since the last cut.
   */
  async cut(): Promise<{ events: TelemetryEvent[]; ack: () => void } | null> {
    if (!this.extractor) return null;
    const { offset, line } = this.committed(this.extractor);
    if (offset === this.cutOffset && this.events.length === 0) return null;
    const known = { head: this.head, tail: this.tail, tailEnd: this.readPos };
    const fingerprint = (this.handle && (await fingerprintAt(this.handle, offset, known))) ?? UNKNOWN;
    const events = this.events;
    this.events = [];
    this.cutOffset = offset;
    return { events, ack: this.acks.add({ offset, line, fingerprint }) };
  }

  /** Where every line handed out so far ends: a safe resume point. */
  private committed(extractor: Extractor): Resume {
    const { committedOffset: text, committedLine: line } = extractor.scanner;
    return { offset: this.transcoder ? this.transcoder.rawOffset(text) : text, line, text };
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
    this.transcoder = null;
    this.resume = { offset: 0, line: 1, text: 0 };
    this.readPos = 0;
    this.cutOffset = 0;
    this.head = Buffer.alloc(0);
    this.tail = Buffer.alloc(0);
    this.acks.reached(FILE_START);
  }

  /**
   * The scanner for reading on from `resume`, fed the file's bytes as they are or, for a file that starts with a
   * UTF-16 BOM, their UTF-8 re-encoding. Null while that cannot be told yet: `>` creates the file empty before
   * writing, and a lone 0xFF or 0xFE may be half a BOM (valid UTF-8 never holds either byte).
   */
  private ensureExtractor(fd: number): Extractor | null {
    if (this.extractor) return this.extractor;
    const head = this.head.length >= 2 ? this.head : HEAD_SCRATCH.subarray(0, readSync(fd, HEAD_SCRATCH, 0, 2, 0));
    const utf16 = utf16Of(head);
    if (head.length === 0 || (head.length === 1 && (head[0] === 0xff || head[0] === 0xfe))) return null;
    let text = this.resume.offset;
    if (utf16) {
      // resumePoint and endPoint count it for every UTF-16 start past byte 0; a guess would misplace checkpoints.
      if (this.resume.text === null)
        throw new Error(`${this.path}: UTF-16 start at ${this.resume.offset} without its text offset`);
      text = this.resume.text;
      this.transcoder = new Utf16Transcoder(utf16, { raw: this.resume.offset, text });
    }
    this.extractor = new Extractor({
      path: this.path,
      producers: this.options.producers,
      maxLineBytes: this.options.maxLineBytes,
      chunkBytes: CHUNK_BYTES,
      startOffset: text,
      startLine: this.resume.line,
      onEvent: (event) => this.events.push(event),
      onMalformed: this.options.onMalformed,
    });
    return this.extractor;
  }
}
