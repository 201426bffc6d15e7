import type { HealthCheck } from "./health.js";
import { METRIC } from "./metric-names.js";
import type { Metrics } from "./metrics.js";

/** When a tracked component turns unhealthy. */
export interface HealthThresholds {
  sinkFailingAfterSeconds: number;
  readerStuckAfterSeconds: number;
}

interface SinkState {
  failingSince: number | null;
  lastReason: string | null;
}

interface ReaderState {
  /** Bytes between the file's size and the offset read so far. */
  lag: number;
  /** When the reader last made progress (or the file was first seen). */
  progressAt: number;
}

/**
 * Collects what `/health` needs from the pipeline and the tailer without the server knowing either: the pipeline
 * reports each batch's outcome per sink, the tailer reports each file's offset and size. `checks()` is a
 * `HealthProbe`. A sink is unhealthy once it has failed without a success in between for longer than the
 * threshold; a reader is stuck when its file has unread bytes and it has made no progress for that long.
 */
export class HealthTracker {
  private readonly sinks = new Map<string, SinkState>();
  private readonly readers = new Map<string, ReaderState & { offset: number }>();
  private readonly lagReaders = new Map<string, ReaderState>();

  /**
   * With `metrics`, readers are also followed through the tailer's `teletap_file_lag_bytes` gauges, so no
   * `readerPosition` calls are needed: a file whose lag stays above 0 without shrinking for the threshold is stuck.
   */
  constructor(
    private readonly thresholds: HealthThresholds,
    private readonly now: () => number = Date.now,
    private readonly metrics?: Metrics,
  ) {}

  /** Records a sink's answer to one batch: ok resets the failure clock, retry/drop starts it. */
  sinkResult(sinkId: string, ok: boolean, reason?: string): void {
    const state = this.sinks.get(sinkId) ?? { failingSince: null, lastReason: null };
    if (ok) {
      state.failingSince = null;
      state.lastReason = null;
    } else {
      state.failingSince ??= this.now();
      state.lastReason = reason ?? null;
    }
    this.sinks.set(sinkId, state);
  }

  /** Seconds a sink has been failing, 0 when its last answer was ok (for the `sinkFailingSeconds` gauge). */
  sinkFailingSeconds(sinkId: string): number {
    const since = this.sinks.get(sinkId)?.failingSince;
    return since == null ? 0 : (this.now() - since) / 1000;
  }

  /** Records where the tailer is in a file (`offset`) and how long the file is (`size`). */
  readerPosition(path: string, offset: number, size: number): void {
    const state = this.readers.get(path);
    if (!state || state.offset !== offset)
      this.readers.set(path, { offset, lag: size - offset, progressAt: this.now() });
    else state.lag = size - offset;
  }

  /** Stops tracking a file that was deleted or let go. */
  forgetReader(path: string): void {
    this.readers.delete(path);
  }

  /** Follows each file's lag gauge: a shrinking (or zero) lag is progress; series that disappeared are let go. */
  private observeLag(): void {
    if (!this.metrics) return;
    const seen = new Set<string>();
    for (const { labels, value } of this.metrics.series(METRIC.fileLagBytes.name)) {
      const path = labels.path;
      if (path === undefined) continue;
      seen.add(path);
      const state = this.lagReaders.get(path);
      if (!state || value < state.lag || value === 0) this.lagReaders.set(path, { lag: value, progressAt: this.now() });
      else state.lag = value;
    }
    for (const path of this.lagReaders.keys()) if (!seen.has(path)) this.lagReaders.delete(path);
  }

  private readerCheck(path: string, state: ReaderState, now: number): HealthCheck {
    const idleMs = now - state.progressAt;
    if (state.lag > 0 && idleMs > this.thresholds.readerStuckAfterSeconds * 1000) {
      // Lag is all /health sees per file, so a reader that reads but falls behind a faster writer looks the same as
      // one that stopped: both leave the file's events undelivered, and the reason says what was observed.
      const reason = `not keeping up: ${state.lag} bytes unread and the lag has not shrunk for ${Math.round(idleMs / 1000)} s`;
      return { name: `file:${path}`, ok: false, reason };
    }
    return { name: `file:${path}`, ok: true };
  }

  checks(): HealthCheck[] {
    this.observeLag();
    const now = this.now();
    const checks: HealthCheck[] = [];
    const sinkLimit = this.thresholds.sinkFailingAfterSeconds * 1000;
    for (const [id, state] of this.sinks) {
      const failingMs = state.failingSince === null ? 0 : now - state.failingSince;
      checks.push(
        failingMs > sinkLimit
          ? {
              name: `sink:${id}`,
              ok: false,
              reason: `failing for ${Math.round(failingMs / 1000)} s${state.lastReason ? ` (${state.lastReason})` : ""}`,
            }
          : { name: `sink:${id}`, ok: true },
      );
    }
    for (const [path, state] of this.readers) checks.push(this.readerCheck(path, state, now));
    for (const [path, state] of this.lagReaders) {
      if (!this.readers.has(path)) checks.push(this.readerCheck(path, state, now));
    }
    return checks;
  }
}
