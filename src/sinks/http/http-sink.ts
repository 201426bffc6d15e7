import type { TelemetryEvent } from "../../events.js";
import { ndjsonBody, ndjsonLine } from "../ndjson-line.js";
import type { SendResult, Sink } from "../sink.js";
import type { HttpSinkConfig } from "./http-sink-config.js";
import { createPostBatch, type PostBatch } from "./post-batch.js";

const OPEN = Buffer.from("[");
const COMMA = Buffer.from(",");
const CLOSE = Buffer.from("]");

/** The body: events exactly as `teletap grep -o ndjson` prints them, one per line or as the items of one array. */
function encodeEvents(events: readonly TelemetryEvent[], encoding: "ndjson" | "json"): Buffer {
  if (encoding === "ndjson") return ndjsonBody(events);
  const parts: Buffer[] = [OPEN];
  events.forEach((event, i) => {
    const line = ndjsonLine(event);
    if (i > 0) parts.push(COMMA);
    parts.push(line.subarray(0, line.length - 1));
  });
  parts.push(CLOSE);
  return Buffer.concat(parts);
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
