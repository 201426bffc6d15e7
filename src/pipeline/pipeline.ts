import { join } from "node:path";
import type { TelemetryEvent } from "../events.js";
import type { Logger } from "../log/logger.js";
import { METRIC } from "../server/metric-names.js";
import type { Metrics } from "../server/metrics.js";
import { ndjsonLine } from "../sinks/ndjson-line.js";
import type { SendResult, Sink } from "../sinks/sink.js";
import type { SourceBatch } from "../sources/source.js";
import type { QueuedEvent } from "./batch-queue.js";
import { DeadLetter, type DeadLetterCompaction, deadLetterPath } from "./dead-letter.js";
import type { BatchConfig, BufferConfig, RetryConfig } from "./delivery-config.js";
import { DiskSpool, type SpoolCompaction } from "./disk-spool.js";
import type { RouteConfig } from "./route-config.js";
import { Router } from "./router.js";
import { SinkRunner } from "./sink-runner.js";

/** The delivery settings of one configured sink. */
export interface SinkDelivery {
  inputs: readonly string[];
  batch: BatchConfig;
  retry: RetryConfig;
  buffer: BufferConfig;
  redact: boolean;
}

export interface PipelineOptions {
  /** Absolute data directory: spools live in `<dataDir>/spool/<sink>`, dead letters in `<dataDir>/dead-letter.ndjson`. */
  dataDir: string;
  sinks: ReadonlyMap<string, { sink: Sink; delivery: SinkDelivery }>;
  routes?: Record<string, RouteConfig>;
  metrics: Metrics;
  logger: Logger;
  /** The redact step, when the config has one; applied before a sink sends, to sinks with `redact: true`. */
  redact?: (event: TelemetryEvent) => TelemetryEvent;
  /** Told each sink's answer to each batch, e.g. to feed /health. */
  onResult?: (sinkId: string, result: SendResult) => void;
}

/**
 * Routes source batches to sinks and acknowledges them.
 *
 * The guarantee: a SourceBatch is acked once each of its events is durable at every sink it was routed to — the sink
 * answered ok (the `file` sink fsynced; a remote receiver said 2xx), or the event is fsynced in that sink's disk
 * spool, or in the dead-letter file. A source's checkpoint therefore never passes an event that a crash could lose;
 * what was in flight at a crash is read again (at-least-once; receivers de-duplicate by event id).
 */
export class Pipeline {
  private constructor(
    private readonly router: Router,
    private readonly runners: Map<string, SinkRunner>,
    private readonly deadLetter: DeadLetter,
    private readonly metrics: Metrics,
  ) {}

  static async create(options: PipelineOptions): Promise<Pipeline> {
    const deadLetter = new DeadLetter(deadLetterPath(options.dataDir));
    const runners = new Map<string, SinkRunner>();
    for (const [id, { sink, delivery }] of options.sinks) {
      const spool = await DiskSpool.open(join(options.dataDir, "spool", id), delivery.buffer.maxBytes);
      runners.set(
        id,
        new SinkRunner({
          sink,
          batch: delivery.batch,
          retry: delivery.retry,
          maxMemoryEvents: delivery.buffer.maxMemoryEvents,
          spool,
          deadLetter,
          metrics: options.metrics,
          logger: options.logger,
          redact: delivery.redact ? options.redact : undefined,
          onResult: options.onResult,
        }),
      );
    }
    const inputs = Object.fromEntries([...options.sinks].map(([id, { delivery }]) => [id, delivery]));
    const pipeline = new Pipeline(new Router(inputs, options.routes), runners, deadLetter, options.metrics);
    for (const runner of runners.values()) runner.start();
    return pipeline;
  }

  /** What sources call: resolves once every sink took the batch in (pending while a sink's queue is full). */
  readonly emit = async (batch: SourceBatch): Promise<void> => {
    const routed = this.router.route(batch.sourceId, batch.events);
    let pending = 0;
    for (const events of routed.values()) pending += events.length;
    if (pending === 0) {
      // Events no sink wants are done with: nothing could lose them.
      batch.ack();
      return;
    }
    const done = () => {
      if (--pending === 0) batch.ack();
    };
    const at = Date.now();
    for (const [sinkId, events] of routed) {
      // ndjsonLine encodes once per event, so an event routed to several sinks is not encoded again.
      const entries: QueuedEvent[] = events.map((event) => ({ event, bytes: ndjsonLine(event).length, at, done }));
      await this.runners.get(sinkId)?.push(entries);
    }
  };

  /** Compacts every sink's spool, one after the other (the `compact-spool` job); what each did, by sink. */
  async compactSpools(signal?: AbortSignal): Promise<Map<string, SpoolCompaction>> {
    const done = new Map<string, SpoolCompaction>();
    for (const [id, runner] of this.runners) done.set(id, await runner.compactSpool(signal));
    return done;
  }

  /** Compacts the dead-letter file between the sinks' appends (the `compact-dead-letters` job). */
  async compactDeadLetters(maxAgeDays?: number): Promise<DeadLetterCompaction> {
    const done = await this.deadLetter.compact(maxAgeDays);
    this.metrics.count(METRIC.deadLetterMerged, {}, done.merged);
    this.metrics.count(METRIC.deadLetterArchived, {}, done.archived);
    return done;
  }

  /** Flushes every sink for at most `graceMs` (in parallel), spools what could not be sent, closes the sinks. */
  async stop(graceMs: number): Promise<void> {
    await Promise.all([...this.runners.values()].map((runner) => runner.stop(graceMs)));
  }
}
