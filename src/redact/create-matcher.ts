import type { Detector } from "./detector.js";
import { findMatches, type Match } from "./find-matches.js";

/** Values up to this long are remembered with their matches; at this many entries the memory starts over. */
const CACHE_MAX_CHARS = 256;
const CACHE_ENTRIES = 10_000;
const NONE: readonly Match[] = [];

/** `findMatches` with a fixed detector list and a memory of short values. */
export type Matcher = (text: string, key: string) => readonly Match[];

/**
 * Most values repeat from event to event (os, versions, commands, CPU flags, topologies), so the matches of short
 * values are remembered: the daemon's redact step and the audit's scan then decode each distinct value once.
 */
export function createMatcher(detectors: readonly Detector[]): Matcher {
  const cache = new Map<string, readonly Match[]>();
  return (text, key) => {
    if (text.length > CACHE_MAX_CHARS) return findMatches(text, key, detectors);
    const cacheKey = `${key}\u0000${text}`;
    const known = cache.get(cacheKey);
    if (known) return known;
    const found = findMatches(text, key, detectors);
    if (cache.size >= CACHE_ENTRIES) cache.clear();
    const matches = found.length === 0 ? NONE : found;
    cache.set(cacheKey, matches);
    return matches;
  };
}
