import type { HealthCheck } from "./health.js";

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
  offset: number;
  size: number;
  /** When the offset last moved, or when the file was first seen. */
  progressAt: number;
}

/**
 * Collects what `/health` needs from the pipeline and the tailer without the server knowing either: the pipeline
 * reports each batch's outcome per sink, the tailer reports each file's offset and size. `checks()` is a
 * `HealthProbe`. A sink is unhealthy once it has failed without a success in between for longer than the
 * threshold; a reader is stuck when its file has unread bytes and its offset has not moved for that long.
 */
export class HealthTracker {
  private readonly sinks = new Map<string, SinkState>();
  private readonly readers = new Map<string, ReaderState>();

  constructor(
    private readonly thresholds: HealthThresholds,
    private readonly now: () => number = Date.now,
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
    if (!state || state.offset !== offset) {
      this.readers.set(path, { offset, size, progressAt: this.now() });
    } else {
      state.size = size;
    }
  }

  /** Stops tracking a file that was deleted or let go. */
  forgetReader(path: string): void {
    this.readers.delete(path);
  }

  checks(): HealthCheck[] {
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
    const readerLimit = this.thresholds.readerStuckAfterSeconds * 1000;
    for (const [path, state] of this.readers) {
      const idleMs = now - state.progressAt;
      const lag = state.size - state.offset;
      checks.push(
        lag > 0 && idleMs > readerLimit
          ? {
              name: `file:${path}`,
              ok: false,
              reason: `stuck: ${lag} bytes unread, no progress for ${Math.round(idleMs / 1000)} s`,
            }
          : { name: `file:${path}`, ok: true },
      );
    }
    return checks;
  }
}
