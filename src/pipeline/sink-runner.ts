import type { TelemetryEvent } from "../events.js";
import type { Logger } from "../log/logger.js";
import { METRIC } from "../server/metric-names.js";
import type { Metrics } from "../server/metrics.js";
import type { SendResult, Sink } from "../sinks/sink.js";
import { calculateRetryDelay } from "./calculate-retry-delay.js";
import type { DeadLetter } from "./dead-letter.js";
import type { BatchConfig, RetryConfig } from "./delivery-config.js";
import type { DiskSpool } from "./disk-spool.js";
import { recordSendOutcome } from "./record-send-outcome.js";
import { WakeSignal } from "./wake-signal.js";

/** An event waiting for one sink; `done` is called once the sink has it durably (sent, spooled or dead-lettered). */
export interface QueuedEvent {
  event: TelemetryEvent;
  bytes: number;
  at: number;
  done: () => void;
}

export interface SinkRunnerOptions {
  sink: Sink;
  batch: BatchConfig;
  retry: RetryConfig;
  maxMemoryEvents: number;
  spool: DiskSpool;
  deadLetter: DeadLetter;
  metrics: Metrics;
  logger: Logger;
  /** The redact step, applied to a batch right before it is sent (never to what is spooled). */
  redact?: (event: TelemetryEvent) => TelemetryEvent;
  random?: () => number;
  /** Told every answer, e.g. to feed /health. */
  onResult?: (sinkId: string, result: SendResult) => void;
}

/**
 * Delivers one sink's events: a bounded memory queue cut into batches (maxEvents / maxBytes / maxWaitMs), one send
 * at a time. While the sink answers `retry`, batches go to the disk spool (and count as delivered for the
 * acknowledgement), the spool's oldest batch is retried with the one backoff policy, and new batches queue behind
 * it. When the spool is full the memory queue fills and `push` stays pending: the sources pause.
 */
export class SinkRunner {
  private queue: QueuedEvent[] = [];
  private queueBytes = 0;
  private readonly wake = new WakeSignal();
  /** Fired whenever the loop makes progress, so stop() can tell when the queue has drained. */
  private readonly progress = new WakeSignal();
  private signalStopped: () => void = () => {};
  private readonly stopped = new Promise<undefined>((resolve) => {
    this.signalStopped = () => resolve(undefined);
  });
  private spaceWaiters: (() => void)[] = [];
  private flushing = false;
  private stopping = false;
  private inFlight = false;
  private failingSince: number | null = null;
  private loopDone: Promise<void> = Promise.resolve();

  constructor(private readonly options: SinkRunnerOptions) {}

  get id(): string {
    return this.options.sink.id;
  }

  start(): void {
    this.updateGauges();
    this.loopDone = this.loop().catch((error: unknown) => {
      // A failing disk under the spool or dead letter is a broken host, not bad data: stop this sink loudly.
      this.options.logger.error("sink stopped", { sink: this.id, error });
    });
  }

  /** Takes events in; pending while the memory queue is full, which is how a full spool pauses the sources. */
  async push(entries: readonly QueuedEvent[]): Promise<void> {
    while (this.queue.length >= this.options.maxMemoryEvents && !this.stopping) {
      await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
    }
    for (const entry of entries) {
      this.queue.push(entry);
      this.queueBytes += entry.bytes;
    }
    this.wake.fire();
  }

  /** Sends what is queued without waiting for batches to fill, for at most `graceMs`, then spools what is left. */
  async stop(graceMs: number): Promise<void> {
    this.flushing = true;
    this.wake.fire();
    const deadline = Date.now() + graceMs;
    while ((this.queue.length > 0 || this.inFlight) && Date.now() < deadline) {
      await this.progress.waitFor(Math.max(1, deadline - Date.now()));
    }
    this.stopping = true;
    this.signalStopped();
    this.wake.fire();
    this.releaseSpace(true);
    await this.loopDone;
    await this.options.sink.close();
  }

  private ready(): boolean {
    const first = this.queue[0];
    if (!first) return false;
    const { maxEvents, maxBytes, maxWaitMs } = this.options.batch;
    return (
      this.flushing ||
      this.queue.length >= maxEvents ||
      this.queueBytes >= maxBytes ||
      Date.now() - first.at >= maxWaitMs
    );
  }

  private takeBatch(): QueuedEvent[] {
    const { maxEvents, maxBytes } = this.options.batch;
    let count = 0;
    let bytes = 0;
    for (const entry of this.queue) {
      if (count > 0 && (count >= maxEvents || bytes + entry.bytes > maxBytes)) break;
      count++;
      bytes += entry.bytes;
    }
    const batch = this.queue.splice(0, count);
    this.queueBytes -= bytes;
    this.releaseSpace(false);
    return batch;
  }

  private releaseSpace(all: boolean): void {
    if (!all && this.queue.length >= this.options.maxMemoryEvents) return;
    const waiters = this.spaceWaiters;
    this.spaceWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private async loop(): Promise<void> {
    let attempt = 0;
    while (!this.stopping) {
      this.progress.fire();
      if (!this.options.spool.isEmpty) {
        await this.moveReadyToSpool();
        const events = (await this.options.spool.peek()) ?? [];
        const result = await this.deliver(events);
        if (result === undefined) break;
        if (result.kind === "retry") {
          await this.backoff(++attempt, result.afterMs);
          continue;
        }
        if (result.kind === "drop") await this.options.deadLetter.append(this.id, events, result.reason, result.status);
        await this.options.spool.shift();
        attempt = 0;
        this.updateGauges();
        continue;
      }
      if (!this.ready()) {
        const first = this.queue[0];
        await this.wake.waitFor(first ? this.options.batch.maxWaitMs - (Date.now() - first.at) : undefined);
        continue;
      }
      const batch = this.takeBatch();
      this.inFlight = true;
      const result = await this.deliver(batch.map((entry) => entry.event));
      this.inFlight = false;
      if (result === undefined) {
        this.queue.unshift(...batch);
        break;
      }
      if (result.kind === "retry") {
        if (this.options.spool.fits(bytesOf(batch))) await this.spoolBatch(batch);
        else this.requeue(batch);
        await this.backoff(++attempt, result.afterMs);
        continue;
      }
      if (result.kind === "drop") {
        await this.options.deadLetter.append(
          this.id,
          batch.map((entry) => entry.event),
          result.reason,
          result.status,
        );
      }
      attempt = 0;
      for (const entry of batch) entry.done();
    }
    await this.spoolRemaining();
  }

  /** Sends one batch and records the outcome; undefined when stop() cut the send short. */
  private async deliver(events: readonly TelemetryEvent[]): Promise<SendResult | undefined> {
    const { sink, redact } = this.options;
    const started = Date.now();
    const outcome = await Promise.race([sink.send(redact ? events.map(redact) : events), this.stopped]);
    if (outcome === undefined) return undefined;
    this.options.onResult?.(this.id, outcome);
    if (outcome.kind === "ok") this.failingSince = null;
    else this.failingSince ??= started;
    recordSendOutcome(this.options.metrics, this.id, outcome, events.length, {
      seconds: (Date.now() - started) / 1000,
      failingSeconds: this.failingSince === null ? 0 : (Date.now() - this.failingSince) / 1000,
    });
    if (outcome.kind !== "ok") {
      this.options.logger.warn(`sink answered ${outcome.kind}`, {
        sink: this.id,
        reason: outcome.reason,
        events: events.length,
      });
    }
    return outcome;
  }

  /** Waits out the retry delay; meanwhile batches that fill up move to the spool so the sources keep reading. */
  private async backoff(attempt: number, afterMs: number | undefined): Promise<void> {
    const until = Date.now() + calculateRetryDelay(this.options.retry, attempt, afterMs, this.options.random);
    while (!this.stopping && Date.now() < until) {
      await this.wake.waitFor(until - Date.now());
      await this.moveReadyToSpool();
    }
  }

  private async moveReadyToSpool(): Promise<void> {
    while (!this.stopping && this.ready() && !this.options.spool.isEmpty) {
      const batch = this.takeBatch();
      if (!this.options.spool.fits(bytesOf(batch))) {
        this.requeue(batch);
        return;
      }
      await this.spoolBatch(batch);
    }
  }

  /** At shutdown: whatever is still in memory goes to the spool when it fits; the rest stays unacknowledged. */
  private async spoolRemaining(): Promise<void> {
    this.flushing = true;
    while (this.queue.length > 0) {
      const batch = this.takeBatch();
      if (!this.options.spool.fits(bytesOf(batch))) {
        this.requeue(batch);
        return;
      }
      await this.spoolBatch(batch);
    }
  }

  private async spoolBatch(batch: readonly QueuedEvent[]): Promise<void> {
    await this.options.spool.append(batch.map((entry) => entry.event));
    for (const entry of batch) entry.done();
    this.updateGauges();
    this.progress.fire();
  }

  private requeue(batch: QueuedEvent[]): void {
    this.queue.unshift(...batch);
    this.queueBytes += bytesOf(batch);
  }

  private updateGauges(): void {
    const labels = { sink: this.id };
    this.options.metrics.gauge(METRIC.spoolDepth, labels, this.options.spool.events);
    this.options.metrics.gauge(METRIC.spoolBytes, labels, this.options.spool.bytes);
  }
}

function bytesOf(batch: readonly QueuedEvent[]): number {
  let bytes = 0;
  for (const entry of batch) bytes += entry.bytes;
  return bytes;
}
