import type { TelemetryEvent } from "../../events.js";
import { encodeEvent } from "../encode-event.js";
import type { SendResult, Sink } from "../sink.js";
import type { HttpSinkConfig } from "./http-sink-config.js";
import { createPostBatch, type PostBatch } from "./post-batch.js";

/** Serializes events exactly as `teletap grep -o ndjson` prints them (one `eventJson` per line). */
export function encodeEvents(events: readonly TelemetryEvent[], encoding: "ndjson" | "json"): string {
  const lines = events.map(encodeEvent);
  return encoding === "ndjson" ? `${lines.join("\n")}\n` : `[${lines.join(",")}]`;
}

/** The `http` sink: one POST per batch, the body holding the normalized events. */
export class HttpSink implements Sink {
  private readonly post: PostBatch;

  constructor(
    readonly id: string,
    private readonly config: HttpSinkConfig,
    resolvePath: (path: string) => string,
  ) {
    this.post = createPostBatch(config.url, config, resolvePath);
  }

  send(events: readonly TelemetryEvent[]): Promise<SendResult> {
    const contentType = this.config.encoding === "ndjson" ? "application/x-ndjson" : "application/json";
    return this.post(
      encodeEvents(events, this.config.encoding),
      contentType,
      events.map((event) => event.id),
    );
  }

  async close(): Promise<void> {}
}
