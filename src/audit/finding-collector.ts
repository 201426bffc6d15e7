import type { Producer, TelemetryEvent } from "../events.js";
import type { Severity } from "../redact/detector.js";
import type { Finding, FindingLocation } from "./report-schema.js";

const MAX_LOCATIONS = 10;

/** Where an event was read, as a finding shows it. */
export function locationOf(event: Pick<TelemetryEvent, "source">): FindingLocation {
  return { path: event.source.path, line: event.source.line };
}

/** One sighting of something a rule reports, before grouping. */
export interface Occurrence {
  rule: string;
  severity: Severity;
  producer: Producer | null;
  field: string | null;
  value: string | null;
  message: string;
  location: FindingLocation | null;
}

/** Groups occurrences of the same rule, producer, field and redacted value into one finding with a count. */
export class FindingCollector {
  private readonly groups = new Map<string, Finding>();

  add(occurrence: Occurrence): void {
    const key = JSON.stringify([occurrence.rule, occurrence.producer, occurrence.field, occurrence.value]);
    const found = this.groups.get(key);
    if (!found) {
      const { location } = occurrence;
      this.groups.set(key, { ...occurrence, count: 1, locations: location ? [location] : [] });
      return;
    }
    found.count++;
    if (occurrence.location && found.locations.length < MAX_LOCATIONS) found.locations.push(occurrence.location);
  }

  findings(): Finding[] {
    return [...this.groups.values()];
  }
}

const RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2 };

/** Highest severity first, then by rule, producer and field, so reports diff cleanly from run to run. */
export function sortFindings(findings: Finding[]): Finding[] {
  const text = (value: string | null) => value ?? "";
  return findings.sort(
    (a, b) =>
      RANK[a.severity] - RANK[b.severity] ||
      a.rule.localeCompare(b.rule) ||
      text(a.producer).localeCompare(text(b.producer)) ||
      text(a.field).localeCompare(text(b.field)) ||
      text(a.value).localeCompare(text(b.value)),
  );
}
