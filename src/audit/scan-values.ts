import type { TelemetryEvent } from "../events.js";
import type { Detector } from "../redact/detector.js";
import { fieldPattern, leaves } from "../redact/field-path.js";
import { findMatches } from "../redact/find-matches.js";
import { FindingCollector, locationOf } from "./finding-collector.js";
import type { Finding } from "./report-schema.js";

/** Findings for personal data and secrets in any attribute value, and per detector the number of matches. */
export function scanValues(
  events: readonly TelemetryEvent[],
  detectors: readonly Detector[],
): { findings: Finding[]; counts: Record<string, number> } {
  const collector = new FindingCollector();
  const counts: Record<string, number> = {};
  for (const event of events) {
    for (const leaf of leaves(event.attributes)) {
      if (typeof leaf.value !== "string") continue;
      for (const match of findMatches(leaf.value, leaf.key, detectors)) {
        const { detector } = match;
        counts[detector.id] = (counts[detector.id] ?? 0) + 1;
        const field = fieldPattern(leaf.path);
        collector.add({
          rule: detector.id,
          severity: detector.severity,
          producer: event.producer,
          field,
          value: detector.mask(match.found),
          message: `${detector.description} in ${event.producer} field ${field}`,
          location: locationOf(event),
        });
      }
    }
  }
  return { findings: collector.findings(), counts };
}
