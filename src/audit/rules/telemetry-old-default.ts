import { eventEnablement } from "../enablement.js";
import { locationOf } from "../finding-collector.js";
import type { Rule } from "../rule.js";

export const telemetryOldDefault: Rule = {
  id: "telemetry-old-default",
  severity: "low",
  description:
    "telemetry came from a version that sent it by default (TiUP before v1.11.3, TiSpark before v3.0.3/3.1.3/3.2.1): nobody may have chosen it",
  check: ({ telemetry, events }) =>
    telemetry
      .filter((status) => status.oldDefault > 0)
      .map((status) => {
        const old = events.filter((e) => e.producer === status.producer && eventEnablement(e) === "old-default");
        // A TiUP report without a version block is the v1.0.1-v1.4.2 schema.
        const versions = [
          ...new Set(old.map((e) => e.version ?? (e.producer === "tiup" ? "before 1.4.3" : "unknown"))),
        ].sort();
        return {
          rule: "telemetry-old-default",
          severity: "low" as const,
          producer: status.producer,
          field: null,
          value: versions.join(", "),
          message: `${status.oldDefault} ${status.producer} event(s) from version(s) ${versions.join(", ")}, which sent telemetry unless it was turned off (${status.note})`,
          count: old.length,
          location: old[0] ? locationOf(old[0]) : null,
          locations: old.slice(0, 10).map(locationOf),
        };
      }),
};
