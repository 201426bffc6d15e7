import type { Detector } from "./detector.js";

/** One piece of a string value that a detector flagged. */
export interface Match {
  detector: Detector;
  start: number;
  end: number;
  found: string;
}

/**
 * Runs the detectors over one string value; a span overlapping one already taken by an earlier (more specific)
 * detector is dropped. The matches come back in text order.
 */
export function findMatches(text: string, key: string, detectors: readonly Detector[]): Match[] {
  const taken: Match[] = [];
  for (const detector of detectors) {
    for (const span of detector.find(text, key)) {
      if (taken.some((other) => span.start < other.end && other.start < span.end)) continue;
      taken.push({ detector, start: span.start, end: span.end, found: text.slice(span.start, span.end) });
    }
  }
  return taken.sort((a, b) => a.start - b.start);
}

/** The value with each match replaced by `replace(match)`. */
export function replaceMatches(text: string, matches: readonly Match[], replace: (match: Match) => string): string {
  let out = "";
  let at = 0;
  for (const match of matches) {
    out += text.slice(at, match.start) + replace(match);
    at = match.end;
  }
  return out + text.slice(at);
}
