import type { Readable } from "node:stream";
import { Extractor } from "../../engine/extractor.js";
import type { TelemetryEvent } from "../../events.js";
import type { Logger } from "../../log/logger.js";
import { METRIC } from "../../server/metric-names.js";
import type { Metrics } from "../../server/metrics.js";
import type { Source, SourceBatch } from "../source.js";
import type { StdinSourceConfig } from "./stdin-source-config.js";

/**
 * Standard input as a source: each chunk's events are emitted as one batch, and the next chunk is read only once
 * the pipeline took it (backpressure). A pipe has no offsets to resume from, so acks need no checkpoint.
 */
export class StdinSource implements Source {
  private stopping = false;
  private finished: Promise<void> = Promise.resolve();
  private signalEnded: () => void = () => {};
  /** Resolves once standard input has ended and its last events were handed to the pipeline. */
  readonly ended = new Promise<void>((resolve) => {
    this.signalEnded = resolve;
  });

  constructor(
    readonly id: string,
    private readonly config: StdinSourceConfig,
    private readonly deps: { metrics: Metrics; logger: Logger; input?: Readable },
  ) {}

  async start(emit: (batch: SourceBatch) => Promise<void>): Promise<void> {
    this.finished = this.read(emit).then(() => this.signalEnded());
  }

  private async read(emit: (batch: SourceBatch) => Promise<void>): Promise<void> {
    const input = this.deps.input ?? process.stdin;
    const labels = { source: this.id };
    let pending: TelemetryEvent[] = [];
    const extractor = new Extractor({
      path: "-",
      producers: this.config.producers,
      maxLineBytes: this.config.maxLineBytes,
      onEvent: (event) => {
        pending.push(event);
      },
      onMalformed: (malformed) => {
        this.deps.metrics.count(METRIC.malformedLines, { ...labels, producer: malformed.producer ?? "unknown" });
        this.deps.logger.warn("malformed telemetry line", { source: this.id, ...malformed });
      },
    });
    const flush = async () => {
      if (pending.length === 0) return;
      const events = pending;
      pending = [];
      for (const event of events) this.deps.metrics.count(METRIC.events, { ...labels, producer: event.producer });
      await emit({ sourceId: this.id, events, ack: () => {} });
    };
    for await (const chunk of input as AsyncIterable<Buffer>) {
      if (this.stopping) break;
      this.deps.metrics.count(METRIC.bytesRead, labels, chunk.length);
      extractor.scanner.push(chunk);
      await flush();
    }
    if (!this.stopping) extractor.scanner.finish();
    await flush();
  }

  /** Stops reading stdin; resolves when the last chunk's events were handed to the pipeline. */
  async stop(): Promise<void> {
    this.stopping = true;
    const input = this.deps.input ?? process.stdin;
    input.pause();
    input.destroy();
    await this.finished.catch(() => {});
  }
}
