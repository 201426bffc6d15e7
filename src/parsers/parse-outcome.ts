import type { Producer, SourcePosition, TelemetryEvent } from "../events.js";

/** What a parser makes of one line: bad data is a value here, never an exception. */
export type ParseOutcome =
  | { kind: "events"; events: TelemetryEvent[] }
  | { kind: "skip" }
  | { kind: "error"; producer: Producer; reason: string };

export const SKIP: ParseOutcome = Object.freeze({ kind: "skip" });

export function parseError(producer: Producer, reason: string): ParseOutcome {
  return { kind: "error", producer, reason };
}

/** A producer's parser: the byte markers that make a line a candidate, and the line -> outcome function. */
export interface Parser {
  readonly producer: Producer;
  /** Literal substrings searched in the raw bytes; a line without any of them is never decoded. */
  readonly markers: readonly string[];
  parse(text: string, at: SourcePosition): ParseOutcome;
}
