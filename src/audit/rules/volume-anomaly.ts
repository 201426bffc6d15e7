import { PRODUCERS, type Producer } from "../../events.js";
import { locationOf } from "../finding-collector.js";
import type { Finding, FindingLocation } from "../report-schema.js";
import type { Rule } from "../rule.js";

/** A day with at least this many events and this many times the median busy day is a burst. */
const BURST_MIN_EVENTS = 10;
const BURST_FACTOR = 5;
/** Silence between two busy days longer than this many days, and this many times the usual spacing, is a gap. */
const GAP_MIN_DAYS = 7;
const GAP_FACTOR = 5;
/** Bursts and gaps need a rhythm to break: a producer seen on fewer days (an occasional CLI) has none. */
const MIN_ACTIVE_DAYS = 5;
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
function finding(producer: Producer, value: string, message: string, location: FindingLocation | undefined): Finding {
  return {
    rule: "volume-anomaly",
    severity: "low",
    producer,
    field: null,
    value,
    message,
    count: 1,
    location: location ?? null,
    locations: location ? [location] : [],
  };
}

export const volumeAnomaly: Rule = {
  id: "volume-anomaly",
  severity: "low",
  description: "a burst or a gap in the events per day, or a high error ratio: worth a look",
  start: () => {
    // Only the first event of each producer's day and its first error are kept: a location per finding.
    const firstOnDay = new Map<string, FindingLocation>();
    const firstError = new Map<Producer, FindingLocation>();
    return {
      event: (event) => {
        const day = `${event.producer} ${event.time.slice(0, 10)}`;
        if (!firstOnDay.has(day)) firstOnDay.set(day, locationOf(event));
        if (event.result === "error" && !firstError.has(event.producer))
          firstError.set(event.producer, locationOf(event));
      },
      finish: ({ volume }) => {
        const findings: Finding[] = [];
        for (const producer of PRODUCERS) {
          const on = (day: string | undefined) => firstOnDay.get(`${producer} ${day}`);
          const days = volume.perDay.filter((row) => row.producer === producer);
          const usual = median(days.map((row) => row.count));
          if (days.length >= MIN_ACTIVE_DAYS) {
            for (const row of days) {
              if (row.count >= BURST_MIN_EVENTS && row.count >= BURST_FACTOR * usual) {
                const message = `${producer}: ${row.count} events on ${row.day}, against a median of ${usual} per active day`;
                findings.push(finding(producer, row.day, message, on(row.day)));
              }
            }
            const times = days.map((row) => Date.parse(row.day));
            const spacing = times.slice(1).map((t, i) => (t - (times[i] ?? t)) / DAY_MS);
            const usualSpacing = median(spacing);
            spacing.forEach((gap, i) => {
              if (gap <= GAP_MIN_DAYS || gap < GAP_FACTOR * usualSpacing) return;
              const [from, to] = [days[i]?.day, days[i + 1]?.day];
              const message = `${producer}: no events for ${gap - 1} days between ${from} and ${to}`;
              findings.push(finding(producer, `${from}..${to}`, message, on(to)));
            });
          }
          const result = volume.results.find((row) => row.producer === producer);
          const decided = (result?.success ?? 0) + (result?.error ?? 0);
          if (result?.errorRatio != null && decided >= ERROR_MIN_EVENTS && result.errorRatio >= ERROR_RATIO) {
            const message = `${producer}: ${result.error} of ${decided} commands failed`;
            findings.push(
              finding(producer, `${Math.round(result.errorRatio * 100)}%`, message, firstError.get(producer)),
            );
          }
        }
        return findings;
      },
    };
  },
};
