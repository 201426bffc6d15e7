import type { Producer } from "../../events.js";
import { locationOf } from "../finding-collector.js";
import type { FindingLocation } from "../report-schema.js";
import type { Rule } from "../rule.js";

const MAX_LOCATIONS = 10;

export const telemetryPolicy: Rule = {
  id: "telemetry-policy",
  severity: "high",
  description: "telemetry was sent by a producer that audit.policy forbids",
  start: ({ policy }) => {
    const seen = new Map<Producer, FindingLocation[]>();
    return {
      event: (event) => {
        if (policy[event.producer] !== "forbidden") return;
        const locations = seen.get(event.producer) ?? [];
        if (locations.length < MAX_LOCATIONS) locations.push(locationOf(event));
        seen.set(event.producer, locations);
      },
      finish: ({ telemetry }) =>
        telemetry
          .filter((status) => seen.has(status.producer))
          .map((status) => {
            const locations = seen.get(status.producer) ?? [];
            return {
              rule: "telemetry-policy",
              severity: "high" as const,
              producer: status.producer,
              field: null,
              value: null,
              message: `${status.producer} telemetry is forbidden by audit.policy, yet ${status.count} event(s) were sent between ${status.firstSeen} and ${status.lastSeen}`,
              count: status.count,
              location: locations[0] ?? null,
              locations,
            };
          }),
    };
  },
};
