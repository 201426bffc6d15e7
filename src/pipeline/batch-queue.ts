import type { TelemetryEvent } from "../events.js";
import type { BatchConfig } from "./delivery-config.js";

/** An event waiting for one sink; `done` is called once the sink has it durably (sent, spooled or dead-lettered). */
export interface QueuedEvent {
  event: TelemetryEvent;
  bytes: number;
  /** When it was queued (ms), for maxWaitMs. */
  at: number;
  done: () => void;
}

/**
 * A sink's bounded memory queue, cut into batches by maxEvents / maxBytes / maxWaitMs. `waitForSpace` is pending
 * while `maxEvents` events wait: that is how a sink that cannot keep up pauses the sources.
 */
export class BatchQueue {
  private entries: QueuedEvent[] = [];
  private bytes = 0;
  private spaceWaiters: (() => void)[] = [];
  private releasedAll = false;
  /** Set at shutdown: every non-empty queue is a ready batch. */
  flushing = false;

  constructor(
    private readonly batch: BatchConfig,
    private readonly maxEvents: number,
  ) {}

  get length(): number {
    return this.entries.length;
  }

  /** Resolves once there is room (or `released` was called); entries are then added whatever their number. */
  async waitForSpace(): Promise<void> {
    while (!this.releasedAll && this.entries.length >= this.maxEvents) {
      await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
    }
  }

  /** Lets every pending `waitForSpace` go, for good: used at shutdown. */
  releaseAll(): void {
    this.releasedAll = true;
    this.wakeWaiters();
  }

  add(entries: readonly QueuedEvent[]): void {
    for (const entry of entries) {
      this.entries.push(entry);
      this.bytes += entry.bytes;
    }
  }

  /** Milliseconds until the oldest event's batch is due; undefined when empty. */
  dueInMs(now = Date.now()): number | undefined {
    const first = this.entries[0];
    return first === undefined ? undefined : this.batch.maxWaitMs - (now - first.at);
  }

  /** Whether a batch should go now: full by events or bytes, its first event waited maxWaitMs, or flushing. */
  ready(now = Date.now()): boolean {
    const due = this.dueInMs(now);
    if (due === undefined) return false;
    return (
      this.flushing || this.entries.length >= this.batch.maxEvents || this.bytes >= this.batch.maxBytes || due <= 0
    );
  }

  /** Takes the next batch off the front: up to maxEvents and maxBytes, and always at least one event. */
  take(): QueuedEvent[] {
    let count = 0;
    let bytes = 0;
    for (const entry of this.entries) {
      if (count > 0 && (count >= this.batch.maxEvents || bytes + entry.bytes > this.batch.maxBytes)) break;
      count++;
      bytes += entry.bytes;
    }
    const taken = this.entries.splice(0, count);
    this.bytes -= bytes;
    if (this.entries.length < this.maxEvents) this.wakeWaiters();
    return taken;
  }

  /** Puts a batch back at the front, e.g. when it could be neither sent nor spooled. */
  putBack(batch: readonly QueuedEvent[]): void {
    this.entries.unshift(...batch);
    this.bytes += bytesOf(batch);
  }

  private wakeWaiters(): void {
    const waiters = this.spaceWaiters;
    this.spaceWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

export function bytesOf(batch: readonly QueuedEvent[]): number {
  let bytes = 0;
  for (const entry of batch) bytes += entry.bytes;
  return bytes;
}
