import { PRODUCERS, type Producer, type TelemetryEvent } from "../events.js";
import { DEFAULT_NOTE, eventEnablement } from "./enablement.js";
import type { TelemetryStatus } from "./report-schema.js";

function verdict(count: number, tally: Record<"explicit" | "old-default" | "unknown", number>) {
  if (count === 0) return "not-observed" as const;
  if (tally.explicit === count) return "enabled-explicitly" as const;
  if (tally["old-default"] === count) return "enabled-by-old-default" as const;
  if (tally.unknown === count) return "unknown" as const;
  return "mixed" as const;
}

/** Per producer: whether telemetry was seen, when, from which installations and versions, and why it was on. */
export function telemetryStatus(
  events: readonly TelemetryEvent[],
  policy: Partial<Record<Producer, "allowed" | "forbidden">>,
): TelemetryStatus[] {
  return PRODUCERS.map((producer) => {
    const mine = events.filter((event) => event.producer === producer);
    const times = mine.map((event) => event.time).sort();
    const tally = { explicit: 0, "old-default": 0, unknown: 0 };
    for (const event of mine) tally[eventEnablement(event)]++;
    const distinct = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => v !== null))].sort();
    return {
      producer,
      observed: mine.length > 0,
      count: mine.length,
      firstSeen: times[0] ?? null,
      lastSeen: times[times.length - 1] ?? null,
      telemetryIds: distinct(mine.map((event) => event.telemetryId)),
      versions: distinct(mine.map((event) => event.version)),
      explicit: tally.explicit,
      oldDefault: tally["old-default"],
      unknownVersion: tally.unknown,
      enablement: verdict(mine.length, tally),
      policy: policy[producer] ?? "unset",
      note: DEFAULT_NOTE[producer],
    };
  });
}
