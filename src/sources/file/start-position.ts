import type { FileHandle } from "node:fs/promises";
import { countNewlines } from "../../engine/count-newlines.js";
import type { FileCheckpoint } from "./checkpoint-store.js";
import { fingerprintAt, sameFingerprint } from "./file-fingerprint.js";
import type { FilePosition } from "./pending-acks.js";

/** Byte 0 needs no fingerprint: nothing before it can have changed. */
export const FILE_START: FilePosition = {
  offset: 0,
  line: 1,
  fingerprint: { headLength: 0, headHash: "", tailHash: "" },
};

const COUNT_CHUNK = 1024 * 1024;

/**
 * Where to resume a file that has a checkpoint: its saved offset when the content before it is unchanged,
 * otherwise byte 0 (the inode was reused, or the file was truncated and rewritten).
 */
export async function resumePosition(handle: FileHandle, saved: FileCheckpoint): Promise<FilePosition> {
  if (saved.offset === 0) return FILE_START;
  const fingerprint = await fingerprintAt(handle, saved.offset);
  if (fingerprint === null || !sameFingerprint(fingerprint, saved)) return FILE_START;
  return { offset: saved.offset, line: saved.line, fingerprint };
}

/**
 * The end of what is already in the file, for `readFrom: "end"`: just after its last LF, so a line being
 * written right now is still read whole. Counts the lines before it once, so events carry true line numbers.
 */
export async function endPosition(handle: FileHandle): Promise<FilePosition> {
  const buf = Buffer.allocUnsafe(COUNT_CHUNK);
  let offset = 0;
  let lines = 0;
  let lastLineEnd = 0;
  for (;;) {
    const { bytesRead } = await handle.read(buf, 0, buf.length, offset);
    if (bytesRead === 0) break;
    lines += countNewlines(buf, 0, bytesRead);
    const last = buf.subarray(0, bytesRead).lastIndexOf(10);
    if (last >= 0) lastLineEnd = offset + last + 1;
    offset += bytesRead;
  }
  const fingerprint = await fingerprintAt(handle, lastLineEnd);
  if (lastLineEnd === 0 || fingerprint === null) return FILE_START;
  return { offset: lastLineEnd, line: lines + 1, fingerprint };
}
