import { createHash } from "node:crypto";
import type { BigIntStats } from "node:fs";
import type { FileHandle } from "node:fs/promises";

/** How many leading bytes identify a file's content; a shorter file is identified by what it has. */
export const HEAD_BYTES = 1024;
/** How many bytes just before an offset must still match on resume, to catch a rewrite sharing the head. */
export const TAIL_BYTES = 256;

/**
 * What a file looked like up to an offset: a hash of its first min(offset, 1 KiB) bytes and of the bytes just
 * before the offset. Together with dev + inode it tells a file we read from inode reuse and rewrites.
 */
export interface Fingerprint {
  headLength: number;
  headHash: string;
  tailHash: string;
}

/** dev + inode as one string; bigint stats because inode numbers may exceed 2^53. */
export function fileKey(stats: BigIntStats): string {
  return `${stats.dev}:${stats.ino}`;
}

function hash(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex").slice(0, 32);
}

async function readExactly(handle: FileHandle, position: number, length: number): Promise<Buffer | null> {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await handle.read(buf, got, length - got, position + got);
    if (bytesRead === 0) return null;
    got += bytesRead;
  }
  return buf;
}

/** Bytes of the file the caller still holds, so that a fingerprint needs no read: the common case. */
export interface KnownBytes {
  /** The file's first bytes. */
  head: Buffer;
  /** The bytes just before `tailEnd`. */
  tail: Buffer;
  tailEnd: number;
}

/** The file's first min(offset, 1 KiB) bytes; null when it is now shorter than that. */
export function readHead(handle: FileHandle, offset: number): Promise<Buffer | null> {
  return readExactly(handle, 0, Math.min(offset, HEAD_BYTES));
}

/**
 * The fingerprint of the file's content before `offset`, taken from `known` where it covers the ranges and read
 * from the file otherwise; null when the file is now shorter than `offset`.
 */
export async function fingerprintAt(
  handle: FileHandle,
  offset: number,
  known?: KnownBytes,
): Promise<Fingerprint | null> {
  const headLength = Math.min(offset, HEAD_BYTES);
  const tailLength = Math.min(offset, TAIL_BYTES);
  let headHash: string;
  if (known && known.head.length >= headLength) {
    headHash = knownHeadHash(known.head, headLength);
  } else {
    const head = await readExactly(handle, 0, headLength);
    if (head === null) return null;
    headHash = hash(head);
  }
  const tail =
    known && known.tailEnd === offset && known.tail.length >= tailLength
      ? known.tail.subarray(known.tail.length - tailLength)
      : await readExactly(handle, offset - tailLength, tailLength);
  return tail && { headLength, headHash, tailHash: hash(tail) };
}

// A tailed file keeps one head buffer once it holds 1 KiB, and every cut fingerprints it again: hash it once.
const headHashes = new WeakMap<Buffer, { length: number; hash: string }>();

function knownHeadHash(head: Buffer, length: number): string {
  const cached = headHashes.get(head);
  if (cached?.length === length) return cached.hash;
  const headHash = hash(head.subarray(0, length));
  headHashes.set(head, { length, hash: headHash });
  return headHash;
}

/** Whether two fingerprints describe the same content. */
export function sameFingerprint(a: Fingerprint, b: Fingerprint): boolean {
  return a.headLength === b.headLength && a.headHash === b.headHash && a.tailHash === b.tailHash;
}
