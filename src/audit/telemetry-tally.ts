import { PRODUCERS, type Producer, type TelemetryEvent } from "../events.js";
import { DEFAULT_NOTE, type EventEnablement, eventEnablement } from "./event-enablement.js";
import type { TelemetryStatus } from "./report-schema.js";
import type { AuditPolicy } from "./rule.js";

interface Seen {
  count: number;
  firstSeen: string | null;
  lastSeen: string | null;
  telemetryIds: Set<string>;
  versions: Set<string>;
  tally: Record<EventEnablement, number>;
}

function verdict(count: number, tally: Record<EventEnablement, number>) {
  if (count === 0) return "not-observed" as const;
  if (tally.explicit === count) return "enabled-explicitly" as const;
  if (tally["old-default"] === count) return "enabled-by-old-default" as const;
  if (tally.unknown === count) return "unknown" as const;
  return "mixed" as const;
}

/** Per producer: whether telemetry was seen, when, from which installations and versions, and why it was on. */
export class TelemetryTally {
  private readonly seen = new Map<Producer, Seen>(
    PRODUCERS.map((producer) => [
      producer,
      {
        count: 0,
        firstSeen: null,
        lastSeen: null,
        telemetryIds: new Set(),
        versions: new Set(),
        tally: { explicit: 0, "old-default": 0, unknown: 0 },
      },
    ]),
  );

  add(event: TelemetryEvent): void {
    const seen = this.seen.get(event.producer);
    if (!seen) return;
    seen.count++;
    // ISO-8601 UTC times with milliseconds compare as text.
    if (seen.firstSeen === null || event.time < seen.firstSeen) seen.firstSeen = event.time;
    if (seen.lastSeen === null || event.time > seen.lastSeen) seen.lastSeen = event.time;
    if (event.telemetryId !== null) seen.telemetryIds.add(event.telemetryId);
    if (event.version !== null) seen.versions.add(event.version);
    seen.tally[eventEnablement(event)]++;
  }

  result(policy: AuditPolicy): TelemetryStatus[] {
    return PRODUCERS.map((producer) => {
      const seen = this.seen.get(producer) as Seen;
      return {
        producer,
        observed: seen.count > 0,
        count: seen.count,
        firstSeen: seen.firstSeen,
        lastSeen: seen.lastSeen,
        telemetryIds: [...seen.telemetryIds].sort(),
        versions: [...seen.versions].sort(),
        explicit: seen.tally.explicit,
        oldDefault: seen.tally["old-default"],
        unknownVersion: seen.tally.unknown,
        enablement: verdict(seen.count, seen.tally),
        policy: policy[producer] ?? "unset",
        note: DEFAULT_NOTE[producer],
      };
    });
  }
}
