import type { TelemetryEvent } from "../events.js";
import type { BufferedWriter } from "./buffered-writer.js";
import { eventJson } from "./event-json.js";
import { tableHeader, tableRow } from "./format-table-row.js";

export const OUTPUTS = ["ndjson", "json", "table", "raw"] as const;
export type Output = (typeof OUTPUTS)[number];

export interface PrinterOptions {
  output: Output;
  /** Print nothing per event (counting or -q). */
  silent: boolean;
}

export interface EventPrinter {
  /** `raw` is the event's log line. */
  event(event: TelemetryEvent, raw: Buffer): void;
  end(): void;
}

/** Writes events as they arrive, in the chosen format. */
export function createPrinter(options: PrinterOptions, out: BufferedWriter, multipleInputs: boolean): EventPrinter {
  const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;
  let printed = 0;
  let lastRaw: { path: string; offset: number } | null = null;
  return {
    event(event: TelemetryEvent, raw: Buffer): void {
      if (options.silent) return;
      switch (options.output) {
        case "ndjson":
          out.write(`${eventJson(event)}\n`);
          break;
        case "json":
          out.write(`${printed === 0 ? "[\n" : ",\n"}${eventJson(event)}`);
          break;
        case "table":
          if (printed === 0) out.write(tableHeader(colour));
          out.write(tableRow(event, colour));
          break;
        case "raw":
          // One line can hold several events (ticloud's body array): print the line once, as grep would.
          if (lastRaw?.path === event.source.path && lastRaw.offset === event.source.offset) break;
          lastRaw = { path: event.source.path, offset: event.source.offset };
          out.write(`${multipleInputs ? `${event.source.path}:` : ""}${raw.toString("utf8")}\n`);
          break;
      }
      printed++;
    },
    end(): void {
      if (options.output === "json" && !options.silent) out.write(printed === 0 ? "[]\n" : "\n]\n");
    },
  };
}
