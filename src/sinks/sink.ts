import type { TelemetryEvent } from "../events.js";

/** A sink's answer to one batch: the pipeline, not the sink, owns retrying. */
export type SendResult =
  | { kind: "ok" }
  | { kind: "retry"; reason: string /** from Retry-After, when the receiver said */; afterMs?: number }
  | { kind: "drop"; reason: string };

export interface Sink {
  readonly id: string;
  send(events: readonly TelemetryEvent[]): Promise<SendResult>;
  close(): Promise<void>;
}
