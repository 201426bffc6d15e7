import type { TelemetryEvent } from "../events.js";
import { createMatcher } from "../redact/create-matcher.js";
import type { Detector } from "../redact/detector.js";
import { forEachLeaf } from "../redact/field-path.js";
import { FindingCollector, locationOf } from "./finding-collector.js";
import type { Finding } from "./report-schema.js";

/** Findings for personal data and secrets in any attribute value, and per detector the number of matches. */
export function scanValues(
  events: readonly TelemetryEvent[],
  detectors: readonly Detector[],
): { findings: Finding[]; counts: Record<string, number> } {
  const collector = new FindingCollector();
  const counts: Record<string, number> = {};
  const matcher = createMatcher(detectors);
  for (const event of events) {
    forEachLeaf(event.attributes, (field, key, value) => {
      if (typeof value !== "string") return;
      for (const match of matcher(value, key)) {
        const { detector } = match;
        counts[detector.id] = (counts[detector.id] ?? 0) + 1;
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
    });
  }
  return { findings: collector.findings(), counts };
}
