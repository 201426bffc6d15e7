import type { Producer, SourcePosition, TelemetryEvent } from "../events.js";
import type { Parser } from "../parsers/parse-outcome.js";
import { PARSE_ORDER, PARSERS } from "../parsers/registry.js";
import { LineScanner } from "./line-scanner.js";
import { normalizeLine, stripTerminal } from "./normalize-line.js";
import { emptyStats, type ScanStats } from "./scan-stats.js";

/** A telemetry line that could not be decoded, or a line over the length limit: reported, never dropped silently. */
export interface Malformed {
  path: string;
  line: number;
  offset: number;
  producer: Producer | null;
  reason: string;
}

export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

export interface ExtractorOptions {
  /** The path events are attributed to; `-` for standard input. */
  path: string;
  producers?: readonly Producer[];
  maxLineBytes?: number;
  chunkBytes?: number;
  startOffset?: number;
  startLine?: number;
  /** `raw` is the line's bytes, valid only during the call. */
  onEvent: (event: TelemetryEvent, raw: Buffer) => void;
  onMalformed: (malformed: Malformed) => void;
  /**
   * Re-join a telemetry line that ends before its payload with the lines after it, as a terminal or a paste wraps
   * them (formats.md §4). For one-shot reads: a tailer would hold its checkpoint on a cut-off last line.
   */
  rejoinWrapped?: boolean;
}

// formats.md §4: a bounded window for re-joining, so a cut-off line never makes the engine buffer without limit.
const REJOIN_MAX_LINES = 64;
const REJOIN_MAX_BYTES = 1024 * 1024;

/** A telemetry line cut short, waiting for the lines that may complete it. */
interface Wrapped {
  parser: Parser;
  /** The lines so far, joined as they were, edge spaces kept. */
  text: string;
  lines: number;
  at: SourcePosition;
  /** What is reported if no continuation completes it. */
  error: { producer: Producer; reason: string };
}

/**
 * The one engine every mode shares: raw bytes -> candidate lines (marker search on bytes) -> the producers'
 * parsers -> normalized events, counting everything it passes over.
 */
export class Extractor {
  readonly scanner: LineScanner;
  private readonly counts = emptyStats();
  private readonly parsers;
  private readonly markers: string[];
  private wrapped: Wrapped | null = null;

  constructor(private readonly options: ExtractorOptions) {
    const producers = new Set(options.producers ?? PARSE_ORDER);
    this.parsers = PARSE_ORDER.filter((producer) => producers.has(producer)).map((producer) => PARSERS[producer]);
    this.markers = this.parsers.flatMap((parser) => parser.markers);
    const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.scanner = new LineScanner({
      markers: this.markers,
      maxLineBytes,
      chunkBytes: options.chunkBytes,
      startOffset: options.startOffset,
      startLine: options.startLine,
      onCandidate: (buf, start, end, line, offset) => this.candidate(buf, start, end, line, offset),
      onFollowing: (buf, start, end) => this.continuation(buf.toString("utf8", start, end)),
      onFollowingEnd: () => this.giveUpWrapped(),
      onOverlong: (line, offset) => {
        this.counts.overlong++;
        this.malformed(
          { path: options.path, line, offset },
          { producer: null, reason: `line longer than ${maxLineBytes} bytes skipped` },
        );
      },
    });
  }

  get stats(): ScanStats {
    return {
      ...this.counts,
      byProducer: { ...this.counts.byProducer },
      bytes: this.scanner.bytes,
      lines: this.scanner.lines,
    };
  }

  /** Returns true to be handed the following lines: the candidate was cut short and may continue there. */
  private candidate(buf: Buffer, start: number, end: number, line: number, offset: number): boolean {
    this.counts.candidates++;
    const raw = buf.toString("utf8", start, end);
    const text = normalizeLine(raw, this.markers);
    const at = { path: this.options.path, line, offset };
    for (const parser of this.parsers) {
      if (!parser.markers.some((marker) => text.includes(marker))) continue;
      const outcome = parser.parse(text, at);
      if (outcome.kind === "skip") continue;
      if (outcome.kind === "events") {
        this.emit(outcome.events, buf.subarray(start, end));
        return false;
      }
      const error = { producer: outcome.producer, reason: outcome.reason };
      if (outcome.truncated && this.options.rejoinWrapped) {
        this.wrapped = { parser, text: stripTerminal(raw), lines: 1, at, error };
        return true;
      }
      this.malformed(at, error);
      return false;
    }
    return false;
  }

  private continuation(raw: string): boolean {
    const wrapped = this.wrapped;
    if (!wrapped) return false;
    const next = stripTerminal(raw);
    if (next.trim() === "") {
      this.giveUpWrapped();
      return false;
    }
    const joined = wrapped.text + next;
    const outcome = wrapped.parser.parse(joined.trimEnd(), wrapped.at);
    if (outcome.kind === "events") {
      this.wrapped = null;
      this.emit(outcome.events, Buffer.from(joined));
      return false;
    }
    const more = outcome.kind === "error" && outcome.truncated === true;
    if (!more || wrapped.lines >= REJOIN_MAX_LINES || joined.length > REJOIN_MAX_BYTES) {
      this.giveUpWrapped();
      return false;
    }
    wrapped.text = joined;
    wrapped.lines++;
    return true;
  }

  private giveUpWrapped(): void {
    if (!this.wrapped) return;
    const { at, error } = this.wrapped;
    this.wrapped = null;
    this.malformed(at, error);
  }

  private malformed(at: SourcePosition, error: { producer: Producer | null; reason: string }): void {
    this.counts.malformed++;
    this.options.onMalformed({ ...at, producer: error.producer, reason: error.reason });
  }

  private emit(events: readonly TelemetryEvent[], raw: Buffer): void {
    for (const event of events) {
      this.counts.events++;
      this.counts.byProducer[event.producer]++;
      this.options.onEvent(event, raw);
    }
  }
}
