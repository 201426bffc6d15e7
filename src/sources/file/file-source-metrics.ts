import type { Producer, TelemetryEvent } from "../../events.js";
import { METRIC } from "../../server/metric-names.js";
import type { Metrics } from "../../server/metrics.js";

/** What a detached or restarted file went through, the `kind` label of METRIC.rotations. */
export type RotationKind = "rename" | "truncate" | "delete";

/** The series a file source feeds to `/metrics` (names in METRIC); a no-op when the caller passes no registry. */
export class FileSourceMetrics {
  private readonly labels: { source: string };

  constructor(
    private readonly metrics: Metrics | undefined,
    source: string,
  ) {
    this.labels = { source };
  }

  read(path: string, bytes: number, lines: number, lag: number): void {
    if (!this.metrics) return;
    this.metrics.count(METRIC.bytesRead, this.labels, bytes);
    this.metrics.count(METRIC.linesRead, this.labels, lines);
    this.metrics.gauge(METRIC.fileLagBytes, { ...this.labels, path }, lag);
  }

  events(events: readonly TelemetryEvent[]): void {
    if (!this.metrics) return;
    const counts = new Map<Producer, number>();
    for (const event of events) counts.set(event.producer, (counts.get(event.producer) ?? 0) + 1);
    for (const [producer, count] of counts) this.metrics.count(METRIC.events, { ...this.labels, producer }, count);
  }

  malformed(producer: Producer | null): void {
    this.metrics?.count(METRIC.malformedLines, { ...this.labels, producer: producer ?? "unknown" });
  }

  rotation(kind: RotationKind): void {
    this.metrics?.count(METRIC.rotations, { ...this.labels, kind });
  }

  checkpointWritten(): void {
    this.metrics?.count(METRIC.checkpointWrites, this.labels);
  }

  files(open: number, watched: number): void {
    this.metrics?.gauge(METRIC.openFiles, this.labels, open);
    this.metrics?.gauge(METRIC.watchedFiles, this.labels, watched);
  }

  released(path: string): void {
    this.metrics?.remove(METRIC.fileLagBytes.name, { ...this.labels, path });
  }
}
