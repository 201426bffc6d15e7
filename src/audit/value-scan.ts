import type { TelemetryEvent } from "../events.js";
import { forEachLeaf } from "../field-path.js";
import { createMatcher, type Matcher } from "../redact/create-matcher.js";
import type { Detector } from "../redact/detector.js";
import { FindingCollector, locationOf } from "./finding-collector.js";
import type { Finding } from "./report-schema.js";

/** Findings for personal data and secrets in any attribute value, and per detector the number of matches. */
export class ValueScan {
  private readonly collector = new FindingCollector();
  private readonly matcher: Matcher;
  readonly counts: Record<string, number> = {};

  constructor(detectors: readonly Detector[]) {
    this.matcher = createMatcher(detectors);
  }

  add(event: TelemetryEvent): void {
    forEachLeaf(event.attributes, (field, key, value) => {
      if (typeof value !== "string") return;
      for (const match of this.matcher(value, key)) {
        const { detector } = match;
        this.counts[detector.id] = (this.counts[detector.id] ?? 0) + 1;
        this.collector.add({
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

  findings(): Finding[] {
    return this.collector.findings();
  }
}
