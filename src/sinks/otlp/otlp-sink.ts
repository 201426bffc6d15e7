import type { TelemetryEvent } from "../../events.js";
import { createPostBatch, type PostBatch } from "../http/post-batch.js";
import type { SendResult, Sink } from "../sink.js";
import { logsUrl, type OtlpSinkConfig } from "./otlp-sink-config.js";
import { toOtlpLogs } from "./to-otlp-logs.js";

/** Instrumentation scope version written into every export; bumped with the mapping in to-otlp-logs.ts. */
const SCOPE_VERSION = "1";

/** The `otlp` sink: OTLP/HTTP logs in the JSON encoding, POSTed to `<endpoint>/v1/logs`. */
export class OtlpSink implements Sink {
  private readonly post: PostBatch;

  constructor(
    readonly id: string,
    config: OtlpSinkConfig,
    resolvePath: (path: string) => string,
  ) {
    this.post = createPostBatch(logsUrl(config.endpoint), config, resolvePath);
  }

  send(events: readonly TelemetryEvent[]): Promise<SendResult> {
    const body = JSON.stringify(toOtlpLogs(events, SCOPE_VERSION));
    return this.post(
      body,
      "application/json",
      events.map((event) => event.id),
    );
  }

  async close(): Promise<void> {}
}
