import { PRODUCERS, type Producer } from "../producers.js";

/** What a scan saw: the figures `--stats`, `/metrics` and the audit's parse-health section report. */
export interface ScanStats {
  bytes: number;
  lines: number;
  /** Lines holding a producer's marker: the only ones decoded. */
  candidates: number;
  events: number;
  byProducer: Record<Producer, number>;
  /** Telemetry lines that did not decode, plus lines over the length limit. */
  malformed: number;
  overlong: number;
}

export function emptyStats(): ScanStats {
  return {
    bytes: 0,
    lines: 0,
    candidates: 0,
    events: 0,
    byProducer: Object.fromEntries(PRODUCERS.map((p) => [p, 0])) as Record<Producer, number>,
    malformed: 0,
    overlong: 0,
  };
}

export function addStats(into: ScanStats, from: ScanStats): void {
  into.bytes += from.bytes;
  into.lines += from.lines;
  into.candidates += from.candidates;
  into.events += from.events;
  into.malformed += from.malformed;
  into.overlong += from.overlong;
  for (const producer of PRODUCERS) into.byProducer[producer] += from.byProducer[producer];
}
