import type { Producer } from "../../events.js";
import { eventEnablement } from "../event-enablement.js";
import { locationOf } from "../finding-collector.js";
import type { FindingLocation } from "../report-schema.js";
import type { Rule } from "../rule.js";

const MAX_LOCATIONS = 10;

export const telemetryOldDefault: Rule = {
  id: "telemetry-old-default",
  severity: "low",
  description:
    "telemetry came from a version that sent it by default (TiUP before v1.11.3, TiSpark before v3.0.3/3.1.3/3.2.1): nobody may have chosen it",
  start: () => {
    const old = new Map<Producer, { count: number; versions: Set<string>; locations: FindingLocation[] }>();
    return {
      event: (event) => {
        if (eventEnablement(event) !== "old-default") return;
        const seen = old.get(event.producer) ?? { count: 0, versions: new Set(), locations: [] };
        seen.count++;
        // A TiUP report without a version block is the v1.0.1-v1.4.2 schema.
        seen.versions.add(event.version ?? (event.producer === "tiup" ? "before 1.4.3" : "unknown"));
        if (seen.locations.length < MAX_LOCATIONS) seen.locations.push(locationOf(event));
        old.set(event.producer, seen);
      },
      finish: ({ telemetry }) =>
        telemetry.flatMap((status) => {
          const seen = old.get(status.producer);
          if (!seen) return [];
          const versions = [...seen.versions].sort().join(", ");
          return {
            rule: "telemetry-old-default",
            severity: "low" as const,
            producer: status.producer,
            field: null,
            value: versions,
            message: `${seen.count} ${status.producer} event(s) from version(s) ${versions}, which sent telemetry unless it was turned off (${status.note})`,
            count: seen.count,
            location: seen.locations[0] ?? null,
            locations: seen.locations,
          };
        }),
    };
  },
};
