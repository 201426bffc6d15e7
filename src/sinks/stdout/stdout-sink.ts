import type { Writable } from "node:stream";
import type { TelemetryEvent } from "../../events.js";
import { ndjsonBody } from "../ndjson-line.js";
import type { SendResult, Sink } from "../sink.js";

/** The `stdout` sink: one event per line, as `teletap grep -o ndjson` prints them. */
export class StdoutSink implements Sink {
  constructor(
    readonly id: string,
    private readonly out: Writable = process.stdout,
  ) {}

  send(events: readonly TelemetryEvent[]): Promise<SendResult> {
    const body = ndjsonBody(events);
    return new Promise((resolve) => {
      // The write callback fires once the chunk is handed to the OS, which is as durable as stdout gets.
      this.out.write(body, (error) => resolve(error ? { kind: "retry", reason: error.message } : { kind: "ok" }));
    });
  }

  async close(): Promise<void> {}
}
