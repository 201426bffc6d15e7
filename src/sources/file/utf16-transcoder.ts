import { TextDecoder } from "node:util";
import { sniffEncoding } from "../sniff-encoding.js";

/** The encodings a BOM announces and the transcoder reads. */
export type Utf16 = "utf-16le" | "utf-16be";

/** A position at the start of a line, in the file's own bytes and in the UTF-8 the scanner is fed. */
export interface LineStart {
  raw: number;
  text: number;
}

/** The UTF-16 flavour a file's first bytes announce with a BOM (PowerShell's `>`), or null. */
export function utf16Of(head: Uint8Array): Utf16 | null {
  const encoding = sniffEncoding(head);
  return encoding === "utf-16le" || encoding === "utf-16be" ? encoding : null;
}

/**
 * A UTF-16 file's bytes in, UTF-8 out, decoded exactly as `teletap grep` decodes it (BOM dropped, an odd byte or
 * a lone surrogate at the end of a read kept for the next one), so events carry the same offsets. The scanner only
 * commits at line starts, and always at the last one fed, so remembering that one in both encodings is enough to
 * turn its committed offset back into the file offset a checkpoint needs.
 */
export class Utf16Transcoder {
  private readonly decoder: TextDecoder;
  /** An LF code unit's two bytes. */
  private readonly lf: Buffer;
  /** File offset of the next byte to decode. */
  private raw: number;
  /** UTF-8 bytes produced so far, counted from the scanner's start offset. */
  private text: number;
  /** The last byte decoded: the first half of a code unit when `raw` is odd. */
  private lastByte = -1;
  private last: LineStart;

  constructor(encoding: Utf16, start: LineStart) {
    // Only a stream from byte 0 begins with the BOM; elsewhere a U+FEFF is text, as grep's one decoder sees it.
    this.decoder = new TextDecoder(encoding, { ignoreBOM: start.raw > 0 });
    this.lf = Buffer.from(encoding === "utf-16le" ? [0x0a, 0x00] : [0x00, 0x0a]);
    this.raw = start.raw;
    this.text = start.text;
    this.last = start;
  }

  /** The start of the line after the last LF decoded (where decoding began, before any). */
  get lineStart(): LineStart {
    return this.last;
  }

  /** The UTF-8 of `bytes`, the file's bytes from the end of the previous call on; valid beyond the call. */
  decode(bytes: Buffer): Buffer {
    const out = Buffer.from(this.decoder.decode(bytes, { stream: true }), "utf8");
    // The decoder never holds back an LF, so the last LF out is the last complete LF code unit in.
    const lineEnd = this.lastLineEnd(bytes);
    if (lineEnd >= 0) this.last = { raw: lineEnd, text: this.text + out.lastIndexOf(10) + 1 };
    this.raw += bytes.length;
    this.text += out.length;
    this.lastByte = bytes[bytes.length - 1] ?? this.lastByte;
    return out;
  }

  /** End of a file that will not grow again: what was held back, as U+FFFD; the end is then a line start. */
  end(): Buffer {
    const out = Buffer.from(this.decoder.decode(), "utf8");
    this.text += out.length;
    this.last = { raw: this.raw, text: this.text };
    return out;
  }

  /** The file offset of the scanner's committed offset `text`. */
  rawOffset(text: number): number {
    // A mismatch would put a checkpoint in the wrong place, losing or repeating lines: fail loudly instead.
    if (text !== this.last.text) {
      throw new Error(`UTF-16 position ${text} is not the last line start (${this.last.text})`);
    }
    return this.last.raw;
  }

  /** File offset just after the last LF code unit that `bytes` completes, or -1. */
  private lastLineEnd(bytes: Buffer): number {
    // Code units start at even file offsets (the BOM is one); a match at an odd one is two halves of other units.
    for (let at = bytes.lastIndexOf(this.lf); at >= 0; at = at > 0 ? bytes.lastIndexOf(this.lf, at - 1) : -1) {
      if ((this.raw + at) % 2 === 0) return this.raw + at + 2;
    }
    const straddles = this.raw % 2 === 1 && this.lastByte === this.lf[0] && bytes[0] === this.lf[1];
    return straddles ? this.raw + 1 : -1;
  }
}
