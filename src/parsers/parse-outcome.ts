import type { Producer, SourcePosition, TelemetryEvent } from "../events.js";

/** What a parser makes of one line: bad data is a value here, never an exception. */
export type ParseOutcome =
  | { kind: "events"; events: TelemetryEvent[] }
  | { kind: "skip" }
  | {
      kind: "error";
      producer: Producer;
      reason: string;
      /** The line ends before its payload does: a cut-off write, or a line a terminal or a paste wrapped. */
      truncated?: boolean;
    };

export const SKIP: ParseOutcome = Object.freeze({ kind: "skip" });

export function parseError(producer: Producer, reason: string, truncated = false): ParseOutcome {
  return truncated ? { kind: "error", producer, reason, truncated } : { kind: "error", producer, reason };
}

/** Whether JSON.parse failed because the text stopped early, not because of a bad character inside it. */
export function endedEarly(error: unknown, json: string): boolean {
  const message = (error as Error).message;
  if (/Unexpected end of JSON input|Unterminated string/.test(message)) return true;
  const position = /at position (\d+)/.exec(message);
  return position !== null && Number(position[1]) >= json.trimEnd().length;
}

/** A producer's parser: the byte markers that make a line a candidate, and the line -> outcome function. */
export interface Parser {
  readonly producer: Producer;
  /** Literal substrings searched in the raw bytes; a line without any of them is never decoded. */
  readonly markers: readonly string[];
  parse(text: string, at: SourcePosition): ParseOutcome;
}
