import { z } from "zod";

const positiveInt = (what: string) =>
  z.int({ error: "expected a positive integer" }).positive({ error: "expected a positive integer" }).describe(what);

/** How a sink's events are grouped into requests; a batch goes out when any limit is reached. */
export const batchConfigSchema = z
  .strictObject({
    maxEvents: positiveInt("most events in one batch (http: the event-id header lists up to about 250)").default(200),
    maxBytes: positiveInt("most bytes of serialized events in one batch").default(1024 * 1024),
    maxWaitMs: positiveInt("longest time an event waits for its batch to fill, in milliseconds").default(1000),
  })
  .describe("batching: a batch is sent when it holds maxEvents, maxBytes, or its first event waited maxWaitMs");
export type BatchConfig = z.infer<typeof batchConfigSchema>;

/** The one retry policy: exponential backoff with full jitter, capped, `Retry-After` honoured. Retries never end. */
export const retryConfigSchema = z
  .strictObject({
    initialDelayMs: positiveInt("backoff window of the first retry, in milliseconds").default(500),
    maxDelayMs: positiveInt("cap of the backoff window, in milliseconds").default(60_000),
    maxRetryAfterMs: positiveInt("longest Retry-After honoured, in milliseconds").default(300_000),
  })
  .describe("retry of failed batches (408, 429, 5xx, network errors): never given up; events wait in the spool");
export type RetryConfig = z.infer<typeof retryConfigSchema>;

/** The per-sink disk spool where events wait while the sink is down. */
export const bufferConfigSchema = z
  .strictObject({
    maxBytes: positiveInt("size of the disk spool; when full, sources pause").default(256 * 1024 * 1024),
    maxMemoryEvents: positiveInt("events held in memory per sink before sources pause").default(2_000),
  })
  .describe("buffering: events wait in a disk spool under dataDir/spool/<sink> while the sink fails");
export type BufferConfig = z.infer<typeof bufferConfigSchema>;

/** Settings every sink has, whatever its type. */
export const deliveryShape = {
  inputs: z
    .array(z.string().min(1))
    .min(1, { error: "expected at least one source id" })
    .describe("ids of the sources whose events this sink receives"),
  batch: batchConfigSchema.prefault({}),
  retry: retryConfigSchema.prefault({}),
  buffer: bufferConfigSchema.prefault({}),
  redact: redactFlag(true),
};

/**
 * Whether the top-level redact step applies before this sink sends. It exists for what leaves the host, so sinks
 * that send away default to true and the local store to false: audit reads that store, and would find nothing.
 */
export function redactFlag(byDefault: boolean) {
  return z
    .boolean()
    .default(byDefault)
    .describe(
      `apply the top-level redact step to events before this sink sends them (when redact is configured); default ${byDefault}`,
    );
}
