import { METRIC } from "../server/metric-names.js";
import type { Metrics } from "../server/metrics.js";
import type { SendResult } from "../sinks/sink.js";

/** Counts one sink answer in the shared series: events sent / retried / dropped, batches by outcome, send time. */
export function recordSendOutcome(
  metrics: Metrics,
  sink: string,
  outcome: SendResult,
  events: number,
  timing: { seconds: number; failingSeconds: number },
): void {
  const labels = { sink };
  metrics.count(METRIC.sendSeconds, labels, timing.seconds);
  metrics.count(METRIC.batchesSent, { sink, outcome: outcome.kind });
  metrics.gauge(METRIC.sinkFailingSeconds, labels, timing.failingSeconds);
  if (outcome.kind === "ok") metrics.count(METRIC.eventsSent, labels, events);
  else if (outcome.kind === "retry") metrics.count(METRIC.eventsRetried, labels, events);
  else {
    // The status as the reason label keeps the series' cardinality to the few statuses a receiver uses.
    metrics.count(METRIC.eventsDropped, { sink, reason: String(outcome.status ?? "refused") }, events);
    metrics.count(METRIC.deadLetterEvents, labels, events);
  }
}
