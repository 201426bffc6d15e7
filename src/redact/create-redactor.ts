import { createHash } from "node:crypto";
import type { TelemetryEvent } from "../events.js";
import type { Detector } from "./detector.js";
import { DETECTORS } from "./detectors/index.js";
import { findMatches, type Match, replaceMatches } from "./find-matches.js";
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
  return (event) => {
    const counts: RedactCounts = {};
    if (detectors.length === 0) return { event, counts };
    const visit = (value: unknown, key: string): unknown => {
      if (typeof value === "string") {
        const matches = findMatches(value, key, detectors);
        if (matches.length === 0) return value;
        for (const match of matches) counts[match.detector.id] = (counts[match.detector.id] ?? 0) + 1;
        return replaceMatches(value, matches, replace);
      }
      if (Array.isArray(value)) return value.map((item) => visit(item, key));
      if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([name, child]) => [name, visit(child, name)]));
      }
      return value;
    };
    const redacted = Object.fromEntries(
      Object.entries(event).map(([name, value]) => [name, UNTOUCHED.has(name) ? value : visit(value, name)]),
    ) as TelemetryEvent;
    return { event: redacted, counts };
  };
}
