import { createHash } from "node:crypto";
import type { TelemetryEvent } from "../events.js";
import { createMatcher } from "./create-matcher.js";
import type { Detector } from "./detector.js";
import { DETECTORS } from "./detectors/index.js";
import { type Match, replaceMatches } from "./find-matches.js";
import type { RedactConfig } from "./redact-config.js";

/** What one call redacted: matches replaced, per detector id (only ids that fired). */
export type RedactCounts = Record<string, number>;

/** Returns a redacted copy of the event; the input is never modified. */
export type Redactor = (event: TelemetryEvent) => { event: TelemetryEvent; counts: RedactCounts };

// The event's identity: downstream deduplication and ordering rely on them unchanged.
const UNTOUCHED = new Set(["id", "producer", "time"]);

/** The detectors a configuration leaves on, in priority order. */
export function activeDetectors(config: Pick<RedactConfig, "rules">): Detector[] {
  const rules: Record<string, boolean | undefined> = config.rules;
  return DETECTORS.filter((detector) => rules[detector.id] !== false);
}

/**
 * The redact step: every string in the event (attributes, the derived fields, the log prefix and the source path,
 * which can name a home directory) except `id`, `producer` and `time` is scanned by the active detectors and each
 * match is masked or hashed.
 */
export function createRedactor(config: RedactConfig): Redactor {
  const detectors = config.enabled ? activeDetectors(config) : [];
  const replace = (match: Match) =>
    config.mode === "hash"
      ? `[${match.detector.id}:${createHash("sha256").update(config.salt).update(match.found).digest("hex").slice(0, 12)}]`
      : match.detector.mask(match.found);
  const matcher = createMatcher(detectors);
  return (event) => {
    const counts: RedactCounts = {};
    if (detectors.length === 0) return { event, counts };
    // Copy on write: a subtree without a match is returned as is, so a clean event costs no allocation.
    const visit = (value: unknown, key: string): unknown => {
      if (typeof value === "string") {
        const matches = matcher(value, key);
        if (matches.length === 0) return value;
        for (const match of matches) counts[match.detector.id] = (counts[match.detector.id] ?? 0) + 1;
        return replaceMatches(value, matches, replace);
      }
      if (Array.isArray(value)) {
        let copy: unknown[] | null = null;
        value.forEach((item, i) => {
          const out = visit(item, key);
          if (out === item) return;
          copy ??= [...value];
          copy[i] = out;
        });
        return copy ?? value;
      }
      if (value !== null && typeof value === "object") {
        let copy: Record<string, unknown> | null = null;
        for (const [name, child] of Object.entries(value)) {
          const out = visit(child, name);
          if (out === child) continue;
          copy ??= { ...value };
          copy[name] = out;
        }
        return copy ?? value;
      }
      return value;
    };
    let copy: Record<string, unknown> | null = null;
    for (const [name, child] of Object.entries(event)) {
      if (UNTOUCHED.has(name)) continue;
      const out = visit(child, name);
      if (out !== child) {
        copy ??= { ...event };
        copy[name] = out;
      }
    }
    return { event: (copy as TelemetryEvent | null) ?? event, counts };
  };
}
