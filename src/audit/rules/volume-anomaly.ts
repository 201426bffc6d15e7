import { PRODUCERS, type TelemetryEvent } from "../../events.js";
import { locationOf } from "../finding-collector.js";
import type { Finding } from "../report-schema.js";
import type { Rule } from "../rule.js";

/** A day with at least this many events and this many times the median busy day is a burst. */
const BURST_MIN_EVENTS = 10;
const BURST_FACTOR = 5;
/** Silence between two busy days longer than this many days, and this many times the usual spacing, is a gap. */
const GAP_MIN_DAYS = 7;
/** Bursts and gaps need a rhythm to break: a producer seen on fewer days (an occasional CLI) has none. */
const MIN_ACTIVE_DAYS = 5;
const GAP_FACTOR = 5;
/** An error ratio at or above this, over at least this many commands, is worth a look. */
const ERROR_RATIO = 0.5;
const ERROR_MIN_EVENTS = 4;
const DAY_MS = 86_400_000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

// The first event the finding is about, so that SARIF and code-scanning tools have a file and line to show.
function finding(
  producer: (typeof PRODUCERS)[number],
  value: string,
  message: string,
  evidence: TelemetryEvent | undefined,
): Finding {
  const location = evidence ? locationOf(evidence) : null;
  return {
    rule: "volume-anomaly",
    severity: "low",
    producer,
    field: null,
    value,
    message,
    count: 1,
    location,
    locations: location ? [location] : [],
  };
}

export const volumeAnomaly: Rule = {
  id: "volume-anomaly",
  severity: "low",
  description: "a burst or a gap in the events per day, or a high error ratio: worth a look",
  check: ({ volume, events }) => {
    const findings: Finding[] = [];
    for (const producer of PRODUCERS) {
      const mine = events.filter((event) => event.producer === producer);
      const firstOn = (day: string | undefined) => mine.find((event) => event.time.startsWith(day ?? "-"));
      const days = volume.perDay.filter((row) => row.producer === producer);
      const usual = median(days.map((row) => row.count));
      if (days.length >= MIN_ACTIVE_DAYS) {
        for (const row of days) {
          if (row.count >= BURST_MIN_EVENTS && row.count >= BURST_FACTOR * usual)
            findings.push(
              finding(
                producer,
                row.day,
                `${producer}: ${row.count} events on ${row.day}, against a median of ${usual} per active day`,
                firstOn(row.day),
              ),
            );
        }
        const times = days.map((row) => Date.parse(row.day));
        const spacing = times.slice(1).map((t, i) => (t - (times[i] ?? t)) / DAY_MS);
        const usualSpacing = median(spacing);
        spacing.forEach((gap, i) => {
          if (gap > GAP_MIN_DAYS && gap >= GAP_FACTOR * usualSpacing)
            findings.push(
              finding(
                producer,
                `${days[i]?.day}..${days[i + 1]?.day}`,
                `${producer}: no events for ${gap - 1} days between ${days[i]?.day} and ${days[i + 1]?.day}`,
                firstOn(days[i + 1]?.day),
              ),
            );
        });
      }
      const result = volume.results.find((row) => row.producer === producer);
      if (
        result?.errorRatio != null &&
        result.success + result.error >= ERROR_MIN_EVENTS &&
        result.errorRatio >= ERROR_RATIO
      )
        findings.push(
          finding(
            producer,
            `${Math.round(result.errorRatio * 100)}%`,
            `${producer}: ${result.error} of ${result.success + result.error} commands failed`,
            mine.find((event) => event.result === "error"),
          ),
        );
    }
    return findings;
  },
};
