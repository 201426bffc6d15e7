import type { Producer, TelemetryEvent } from "../events.js";
import { PARSE_ORDER, PARSERS } from "../parsers/registry.js";
import { LineScanner } from "./line-scanner.js";
import { normalizeLine } from "./normalize-line.js";
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
      onOverlong: (line, offset) => {
        this.counts.overlong++;
        this.counts.malformed++;
        this.options.onMalformed({
          path: options.path,
          line,
          offset,
          producer: null,
          reason: `line longer than ${maxLineBytes} bytes skipped`,
        });
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

  private candidate(buf: Buffer, start: number, end: number, line: number, offset: number): void {
    this.counts.candidates++;
    const text = normalizeLine(buf.toString("utf8", start, end), this.markers);
    const at = { path: this.options.path, line, offset };
    for (const parser of this.parsers) {
      if (!parser.markers.some((marker) => text.includes(marker))) continue;
      const outcome = parser.parse(text, at);
      if (outcome.kind === "skip") continue;
      if (outcome.kind === "error") {
        this.counts.malformed++;
        this.options.onMalformed({ ...at, producer: outcome.producer, reason: outcome.reason });
        return;
      }
      const raw = buf.subarray(start, end);
      for (const event of outcome.events) {
        this.counts.events++;
        this.counts.byProducer[event.producer]++;
        this.options.onEvent(event, raw);
      }
      return;
    }
  }
}
