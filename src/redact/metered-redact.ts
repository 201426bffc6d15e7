import type { TelemetryEvent } from "../events.js";
import { METRIC } from "../server/metric-names.js";
import type { Metrics } from "../server/metrics.js";
import type { Redactor } from "./create-redactor.js";

/** The daemon's redact step: the redacted event, with each detector's hits counted in /metrics. */
export function meteredRedact(redactor: Redactor, metrics: Metrics): (event: TelemetryEvent) => TelemetryEvent {
  return (event) => {
    const { event: redacted, counts } = redactor(event);
    for (const rule in counts) metrics.count(METRIC.redactions, { rule }, counts[rule]);
    return redacted;
  };
}
