import { locationOf } from "../finding-collector.js";
import type { Rule } from "../rule.js";

export const telemetryPolicy: Rule = {
  id: "telemetry-policy",
  severity: "high",
  description: "telemetry was sent by a producer that audit.policy forbids",
  check: ({ telemetry, events }) =>
    telemetry
      .filter((status) => status.observed && status.policy === "forbidden")
      .map((status) => {
        const mine = events.filter((event) => event.producer === status.producer);
        return {
          rule: "telemetry-policy",
          severity: "high" as const,
          producer: status.producer,
          field: null,
          value: null,
          message: `${status.producer} telemetry is forbidden by audit.policy, yet ${status.count} event(s) were sent between ${status.firstSeen} and ${status.lastSeen}`,
          count: status.count,
          location: mine[0] ? locationOf(mine[0]) : null,
          locations: mine.slice(0, 10).map(locationOf),
        };
      }),
};
