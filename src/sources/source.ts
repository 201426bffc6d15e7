import type { TelemetryEvent } from "../events.js";

/**
 * A run of events read together from one source. `ack()` is called once every sink the events were routed to
 * has accepted them (or dead-lettered them); only then may the source move its checkpoint past them.
 */
export interface SourceBatch {
  sourceId: string;
  events: TelemetryEvent[];
  ack(): void;
}

/**
 * A place events come from (tailed files, stdin). `emit` resolves when the pipeline has taken the batch in; a
 * source awaits it before reading on, which is how a full spool pauses reading instead of dropping.
 */
export interface Source {
  readonly id: string;
  start(emit: (batch: SourceBatch) => Promise<void>): Promise<void>;
  /** Stops reading; resolves once nothing more will be emitted. Checkpoints of acked batches are persisted. */
  stop(): Promise<void>;
}
