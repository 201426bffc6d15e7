import { createMatcher } from "../redact/create-matcher.js";
import { DETECTORS } from "../redact/detectors/index.js";
import { replaceMatches } from "../redact/find-matches.js";

const MAX_EXAMPLE = 80;
const matcher = createMatcher(DETECTORS);
/** Characters kept before the first masked part when a long value is cut around it. */
const CONTEXT = 24;

/**
 * A value as reports may show it: JSON text with every detector's match masked, cut to 80 characters. A long value
 * is cut around its first masked part, so the example shows what made the finding.
 */
export function redactExample(value: unknown, key: string): string {
  if (typeof value !== "string") return cut(JSON.stringify(value) ?? "null", 0);
  const matches = matcher(value, key);
  const first = matches[0];
  const masked = replaceMatches(value, matches, (m) => m.detector.mask(m.found));
  const json = JSON.stringify(masked);
  const at = first ? JSON.stringify(masked.slice(0, first.start)).length - 1 : 0;
  return cut(json, at);
}

/** Text with every detector's match masked: for values reports show outside the inventory (commands). */
export function maskText(text: string, key: string): string {
  return replaceMatches(text, matcher(text, key), (m) => m.detector.mask(m.found));
}

function cut(json: string, focus: number): string {
  if (json.length <= MAX_EXAMPLE) return json;
  const start = focus + 20 > MAX_EXAMPLE ? Math.max(0, Math.min(focus - CONTEXT, json.length - MAX_EXAMPLE + 1)) : 0;
  const end = Math.min(json.length, start + MAX_EXAMPLE - (start > 0 ? 1 : 0));
  const piece = json.slice(start, end < json.length ? end - 1 : end);
  return `${start > 0 ? "…" : ""}${piece}${end < json.length ? "…" : ""}`;
}
