import type { FileHandle } from "node:fs/promises";
import { TextDecoder } from "node:util";
import { countNewlines } from "../../engine/count-newlines.js";
import type { SavedCheckpoint } from "./checkpoint-store.js";
import { fingerprintAt, readHead, sameFingerprint } from "./file-fingerprint.js";
import type { FilePosition } from "./pending-acks.js";
import { type Utf16, Utf16Transcoder, utf16Of } from "./utf16-transcoder.js";

/** Byte 0 needs no fingerprint: nothing before it can have changed. */
export const FILE_START: FilePosition = {
  offset: 0,
  line: 1,
  fingerprint: { headLength: 0, headHash: "", tailHash: "" },
};

/**
 * Where a newly tracked file starts, with the first bytes that were read to decide it. The tailer compares the
 * file against exactly these bytes later: read again after the decision, they could already be a rewrite's.
 */
export interface StartPoint {
  position: FilePosition;
  head: Buffer;
  /**
   * For a UTF-16 file, how many UTF-8 bytes its content before the position decodes to (the scanner's offset
   * there), counted here, asynchronously, rather than by the synchronous read turn.
   */
  text?: number;
}

/** The start of the file: nothing read yet, nothing to compare. */
export const FROM_FILE_START: StartPoint = { position: FILE_START, head: Buffer.alloc(0) };

const COUNT_CHUNK = 1024 * 1024;

/** The fingerprint at `offset` taken with the head read once, for the position and the later comparisons. */
async function pointAt(handle: FileHandle, offset: number, line: number): Promise<StartPoint | null> {
  const head = await readHead(handle, offset);
  if (head === null) return null;
  const fingerprint = await fingerprintAt(handle, offset, { head, tail: Buffer.alloc(0), tailEnd: -1 });
  return fingerprint === null ? null : { position: { offset, line, fingerprint }, head };
}

/**
 * Where to resume a file that has a checkpoint: its saved offset when the content before it is unchanged,
 * otherwise byte 0 (the inode was reused, or the file was truncated and rewritten). A UTF-16 file is read from
 * byte 0 too when a version 1 checkpoint holds it: that tailer read it as bytes and sent nothing from it.
 */
export async function resumePoint(handle: FileHandle, saved: SavedCheckpoint): Promise<StartPoint> {
  if (saved.offset === 0) return FROM_FILE_START;
  const point = await pointAt(handle, saved.offset, saved.line);
  if (!point || !sameFingerprint(point.position.fingerprint, saved)) return FROM_FILE_START;
  const utf16 = utf16Of(point.head);
  if (!utf16) return point;
  if (saved.version < 2) return FROM_FILE_START;
  return { ...point, text: await utf16TextOffset(handle, utf16, saved.offset) };
}

/**
 * The end of what is already in the file, for `readFrom: "end"`: just after its last LF (an LF code unit in a
 * UTF-16 file), so a line being written right now is still read whole. Counts the lines before it once, so events
 * carry true line numbers.
 */
export async function endPoint(handle: FileHandle): Promise<StartPoint> {
  const buf = Buffer.allocUnsafe(COUNT_CHUNK);
  let offset = 0;
  let lines = 0;
  let lastLineEnd = 0;
  let transcoder: Utf16Transcoder | null = null;
  for (;;) {
    const { bytesRead } = await handle.read(buf, 0, buf.length, offset);
    if (bytesRead === 0) break;
    const bytes = buf.subarray(0, bytesRead);
    const utf16 = offset === 0 ? utf16Of(bytes) : null;
    if (utf16) transcoder = new Utf16Transcoder(utf16, { raw: 0, text: 0 });
    if (transcoder) {
      const text = transcoder.decode(bytes);
      lines += countNewlines(text, 0, text.length);
      lastLineEnd = transcoder.lineStart.raw;
    } else {
      lines += countNewlines(bytes, 0, bytesRead);
      const last = bytes.lastIndexOf(10);
      if (last >= 0) lastLineEnd = offset + last + 1;
    }
    offset += bytesRead;
  }
  if (lastLineEnd === 0) return FROM_FILE_START;
  const point = await pointAt(handle, lastLineEnd, lines + 1);
  if (!point) return FROM_FILE_START;
  return transcoder ? { ...point, text: transcoder.lineStart.text } : point;
}

/** How many UTF-8 bytes the file's UTF-16 before `raw` (a line start) decodes to: the scanner offset there. */
async function utf16TextOffset(handle: FileHandle, encoding: Utf16, raw: number): Promise<number> {
  const decoder = new TextDecoder(encoding);
  const buf = Buffer.allocUnsafe(Math.min(raw, COUNT_CHUNK));
  let text = 0;
  for (let at = 0; at < raw; ) {
    const { bytesRead: count } = await handle.read(buf, 0, Math.min(buf.length, raw - at), at);
    if (count === 0) break;
    text += Buffer.byteLength(decoder.decode(buf.subarray(0, count), { stream: true }));
    at += count;
  }
  return text + Buffer.byteLength(decoder.decode());
}
