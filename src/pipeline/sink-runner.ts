import type { TelemetryEvent } from "../events.js";
import type { Logger } from "../log/logger.js";
import { METRIC } from "../server/metric-names.js";
import type { Metrics } from "../server/metrics.js";
import type { SendResult, Sink } from "../sinks/sink.js";
import { BatchQueue, bytesOf, type QueuedEvent } from "./batch-queue.js";
import { calculateRetryDelay } from "./calculate-retry-delay.js";
import type { DeadLetter } from "./dead-letter.js";
import type { BatchConfig, RetryConfig } from "./delivery-config.js";
import type { DiskSpool, SpoolCompaction } from "./disk-spool.js";
import { recordSendOutcome } from "./record-send-outcome.js";
import { WakeSignal } from "./wake-signal.js";

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
  private readonly queue: BatchQueue;
  private readonly wake = new WakeSignal();
  /** Fired whenever the loop makes progress, so stop() can tell when the queue has drained. */
  private readonly progress = new WakeSignal();
  private signalStopped: () => void = () => {};
  private readonly stopped = new Promise<undefined>((resolve) => {
    this.signalStopped = () => resolve(undefined);
  });
  private stopping = false;
  private inFlight = false;
  private failingSince: number | null = null;
  private loopDone: Promise<void> = Promise.resolve();

  constructor(private readonly options: SinkRunnerOptions) {
    this.queue = new BatchQueue(options.batch, options.maxMemoryEvents);
  }

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
    if (!this.stopping) await this.queue.waitForSpace();
    this.queue.add(entries);
    this.wake.fire();
  }

  /** Sends what is queued without waiting for batches to fill, for at most `graceMs`, then spools what is left. */
  async stop(graceMs: number): Promise<void> {
    this.queue.flushing = true;
    this.wake.fire();
    const deadline = Date.now() + graceMs;
    while ((this.queue.length > 0 || this.inFlight) && Date.now() < deadline) {
      await this.progress.waitFor(Math.max(1, deadline - Date.now()));
    }
    this.stopping = true;
    this.signalStopped();
    this.wake.fire();
    this.queue.releaseAll();
    await this.loopDone;
    await this.options.sink.close();
    // Spooled events count as delivered for the checkpoints, so the exit status stays 0; a user piping a command
    // into `teletap run` must still hear that some of its events have not left the host yet.
    const { spool } = this.options;
    if (spool.events > 0) {
      this.options.logger.warn("events wait in the spool; they are sent when teletap next runs with this dataDir", {
        sink: this.id,
        events: spool.events,
        dir: spool.dir,
      });
    }
  }

  /** Merges the spool's small batches into batches of this sink's `batch` size (the `compact-spool` job). */
  async compactSpool(signal?: AbortSignal): Promise<SpoolCompaction> {
    const { maxEvents, maxBytes } = this.options.batch;
    const done = await this.options.spool.compact({ maxEvents, maxBytes }, signal);
    this.updateGauges();
    return done;
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
        if (result.kind === "drop" && !(await this.deadLetter(events, result))) {
          await this.backoff(++attempt, undefined);
          continue;
        }
        await this.options.spool.shift();
        attempt = 0;
        this.updateGauges();
        continue;
      }
      if (!this.queue.ready()) {
        await this.wake.waitFor(this.queue.dueInMs());
        continue;
      }
      const batch = this.queue.take();
      this.inFlight = true;
      const result = await this.deliver(batch.map((entry) => entry.event));
      this.inFlight = false;
      if (result === undefined) {
        this.queue.putBack(batch);
        break;
      }
      if (result.kind === "retry") {
        if (this.options.spool.fits(bytesOf(batch))) await this.spoolBatch(batch);
        else this.queue.putBack(batch);
        await this.backoff(++attempt, result.afterMs);
        continue;
      }
      if (
        result.kind === "drop" &&
        !(await this.deadLetter(
          batch.map((entry) => entry.event),
          result,
        ))
      ) {
        this.queue.putBack(batch);
        await this.backoff(++attempt, undefined);
        continue;
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
    while (!this.stopping && this.queue.ready() && !this.options.spool.isEmpty) {
      const batch = this.queue.take();
      if (!this.options.spool.fits(bytesOf(batch))) {
        this.queue.putBack(batch);
        return;
      }
      if (!(await this.spoolBatch(batch))) return;
    }
  }

  /** At shutdown: whatever is still in memory goes to the spool when it fits; the rest stays unacknowledged. */
  private async spoolRemaining(): Promise<void> {
    this.queue.flushing = true;
    while (this.queue.length > 0) {
      const batch = this.queue.take();
      if (!this.options.spool.fits(bytesOf(batch))) {
        this.queue.putBack(batch);
        return;
      }
      if (!(await this.spoolBatch(batch))) return;
    }
  }

  /**
   * Writes a batch to the spool and acknowledges it. A failed write (a full disk) leaves the batch in memory, where
   * it is retried like any other and, as memory fills, pauses the sources: the same path as a full spool.
   */
  private async spoolBatch(batch: QueuedEvent[]): Promise<boolean> {
    try {
      await this.options.spool.append(batch.map((entry) => entry.event));
    } catch (error) {
      this.options.logger.error("cannot write the spool; keeping the batch in memory", { sink: this.id, error });
      this.queue.putBack(batch);
      return false;
    }
    for (const entry of batch) entry.done();
    this.updateGauges();
    this.progress.fire();
    return true;
  }

  /** Writes refused events to the dead-letter file; false (and logged) when that write failed, so they are kept. */
  private async deadLetter(
    events: readonly TelemetryEvent[],
    result: { reason: string; status?: number },
  ): Promise<boolean> {
    try {
      await this.options.deadLetter.append(this.id, events, result.reason, result.status);
      return true;
    } catch (error) {
      this.options.logger.error("cannot write the dead-letter file; keeping the events", { sink: this.id, error });
      return false;
    }
  }

  private updateGauges(): void {
    const labels = { sink: this.id };
    this.options.metrics.gauge(METRIC.spoolDepth, labels, this.options.spool.events);
    this.options.metrics.gauge(METRIC.spoolBytes, labels, this.options.spool.bytes);
    this.options.metrics.gauge(METRIC.spoolFiles, labels, this.options.spool.files);
  }
}
