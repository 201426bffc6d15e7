import { DETECTORS } from "../redact/detectors/index.js";
import { findMatches, replaceMatches } from "../redact/find-matches.js";

const MAX_EXAMPLE = 80;

/** A value as reports may show it: JSON text, every detector's match masked, cut to 80 characters. */
export function redactExample(value: unknown, key: string): string {
  const text =
    typeof value === "string"
      ? replaceMatches(value, findMatches(value, key, DETECTORS), (m) => m.detector.mask(m.found))
      : value;
  const json = JSON.stringify(text) ?? "null";
  return json.length > MAX_EXAMPLE ? `${json.slice(0, MAX_EXAMPLE - 1)}…` : json;
}
