import { mkdir, open } from "node:fs/promises";
import type { TelemetryEvent } from "../../events.js";
import { segmentPath } from "../../store/store-layout.js";
import { ndjsonLine } from "../ndjson-line.js";
import type { SendResult, Sink } from "../sink.js";

/**
 * The `file` sink: appends each event to its day's segment in the local store and fsyncs once per segment per
 * batch, so an `ok` means the events are on disk.
 */
export class FileSink implements Sink {
  constructor(
    readonly id: string,
    readonly dir: string,
  ) {}

  async send(events: readonly TelemetryEvent[]): Promise<SendResult> {
    const bySegment = new Map<string, Buffer[]>();
    for (const event of events) {
      const path = segmentPath(this.dir, event.time);
      let lines = bySegment.get(path);
      if (!lines) {
        lines = [];
        bySegment.set(path, lines);
      }
      lines.push(ndjsonLine(event));
    }
    try {
      await mkdir(this.dir, { recursive: true });
      for (const [path, lines] of bySegment) {
        const handle = await open(path, "a");
        try {
          await handle.writeFile(Buffer.concat(lines));
          await handle.sync();
        } finally {
          await handle.close();
        }
      }
      return { kind: "ok" };
    } catch (error) {
      // A full disk or a permission change may be fixed by the operator: keep the events and retry.
      return { kind: "retry", reason: error instanceof Error ? error.message : String(error) };
    }
  }

  async close(): Promise<void> {}
}
