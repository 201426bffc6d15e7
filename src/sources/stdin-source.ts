import type { Readable } from "node:stream";
import { Extractor, type Malformed } from "../engine/extractor.js";
import type { Producer, TelemetryEvent } from "../events.js";
import type { Source, SourceBatch } from "./source.js";

/** How a StdinSource is built; `input` defaults to process.stdin. */
export interface StdinSourceOptions {
  id?: string;
  input?: Readable;
  producers?: readonly Producer[];
  maxLineBytes?: number;
  /** Each malformed or overlong telemetry line (path `-`); printed to stderr when not given. */
  onMalformed?: (malformed: Malformed) => void;
}

/**
 * Events from standard input, one batch per chunk read. Nothing to checkpoint: `ack` is a no-op, and awaiting
 * `emit` before reading the next chunk is the backpressure. `ended` resolves once the input is exhausted and
 * its last batch was emitted (or stop() was called), and rejects when reading fails.
 */
export class StdinSource implements Source {
  readonly id: string;
  readonly ended: Promise<void>;
  private readonly input: Readable;
  private readonly extractor: Extractor;
  private events: TelemetryEvent[] = [];
  private stopping = false;
  private emit: ((batch: SourceBatch) => Promise<void>) | null = null;
  private markEnded: () => void = () => {};
  private failed: (error: unknown) => void = () => {};

  constructor(options: StdinSourceOptions = {}) {
    this.id = options.id ?? "stdin";
    this.input = options.input ?? process.stdin;
    this.ended = new Promise((resolve, reject) => {
      this.markEnded = resolve;
      this.failed = reject;
    });
    this.extractor = new Extractor({
      path: "-",
      producers: options.producers,
      maxLineBytes: options.maxLineBytes,
      onEvent: (event) => this.events.push(event),
      onMalformed:
        options.onMalformed ??
        ((malformed) => process.stderr.write(`teletap: -:${malformed.line}: ${malformed.reason}\n`)),
    });
  }

  async start(emit: (batch: SourceBatch) => Promise<void>): Promise<void> {
    this.emit = emit;
    this.run().then(this.markEnded, this.failed);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.input.pause();
    this.markEnded();
  }

  private async run(): Promise<void> {
    for await (const chunk of this.input) {
      if (this.stopping) return;
      this.extractor.scanner.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
      await this.flush();
    }
    this.extractor.scanner.finish();
    await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.events.length === 0 || this.stopping || !this.emit) return;
    const events = this.events;
    this.events = [];
    await this.emit({ sourceId: this.id, events, ack: () => {} });
  }
}
