import { type Detector, keepStart, regexSpans } from "../detector.js";

// A long run of token characters, e.g. a generated secret such as Zk3pQ9vX2mL7rT5wB8nY4cF6hJ1sD0aG.
const TOKEN = /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/=_-]{24,}(?![A-Za-z0-9+/=_-])/g;
/**
 * Bits per character above which a mixed-case alphanumeric run looks random: 32 random base62 characters score
 * about 4.6, English-like identifiers (ServerlessService_GetCluster) stay below 4. Hex digests (md5-hashed hosts,
 * 40-hex git hashes, UUIDs) are one case only, so the mixed-case test leaves them out.
 */
const MIN_BITS_PER_CHAR = 4.2;

function bitsPerChar(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

function looksRandom(found: string): boolean {
  return /[a-z]/.test(found) && /[A-Z]/.test(found) && /\d/.test(found) && bitsPerChar(found) >= MIN_BITS_PER_CHAR;
}

export const highEntropy: Detector = {
  id: "high-entropy",
  severity: "medium",
  description: "a long high-entropy string (mixed case and digits): likely a generated secret or token",
  find: (text) => (text.length >= 24 ? regexSpans(TOKEN, text, 0, looksRandom) : []),
  mask: (found) => keepStart(found, 4),
};
