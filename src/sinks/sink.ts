import type { TelemetryEvent } from "../events.js";

/**
 * A sink's answer to one batch: the pipeline, not the sink, owns retrying. `status` is the receiver's status code
 * when there was one (HTTP), kept in the dead-letter file beside the reason.
 */
export type SendResult =
  | { kind: "ok" }
  | { kind: "retry"; reason: string; status?: number /** from Retry-After, when the receiver said */; afterMs?: number }
  | { kind: "drop"; reason: string; status?: number };

export interface Sink {
  readonly id: string;
  send(events: readonly TelemetryEvent[]): Promise<SendResult>;
  close(): Promise<void>;
}
