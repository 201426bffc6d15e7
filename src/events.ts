import { z } from "zod";

import { PRODUCERS, type Producer } from "./producers.js";

export { PRODUCERS, type Producer };
export const producerSchema = z.enum(PRODUCERS).describe("the tool that sent the telemetry");

/** The schema version of the normalized event; bumped only when a field is renamed or removed. */
export const EVENT_SCHEMA_VERSION = 1;

const nullableString = (what: string) => z.string().nullable().describe(what);

export const logPrefixSchema = z
  .strictObject({
    time: nullableString("the log line's own timestamp, as printed"),
    level: nullableString("the log level, as printed (DEBUG, INFO, ERROR...)"),
    logger: nullableString("the caller (ticloud) or logger name (TiSpark) of the line"),
  })
  .describe("the log line's own prefix; each field null when the line's form has none");

export const sourcePositionSchema = z
  .strictObject({
    path: z.string().describe("the file the line was read from, or - for standard input"),
    line: z.number().int().positive().describe("1-based line number"),
    offset: z.number().int().nonnegative().describe("byte offset of the line's first byte"),
  })
  .describe("where the event was read");

/**
 * The normalized telemetry event: the contract every mode (grep, run, audit) and every sink shares.
 * See ../shared/docs/event-model.md for the per-producer mapping.
 */
export const telemetryEventSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[0-9a-f]{32}$/)
      .describe("idempotency key: a hash of producer and the canonical attributes, independent of where it was read"),
    producer: producerSchema,
    time: z.iso
      .datetime({ precision: 3 })
      .describe("the event's own time, ISO-8601 UTC with milliseconds; the log line's time when the payload has none"),
    command: nullableString("the command the tool ran"),
    result: z.enum(["success", "error"]).nullable().describe("how the command ended"),
    durationMs: z.number().nonnegative().nullable().describe("how long the command took, in milliseconds"),
    version: nullableString("version of the tool that sent the event"),
    os: nullableString("operating system reported by the tool"),
    arch: nullableString("CPU architecture reported by the tool"),
    telemetryId: nullableString("the installation's or cluster's telemetry id (TiUP uuid, TiSpark track id)"),
    attributes: z
      .record(z.string(), z.unknown())
      .describe("the complete decoded payload of this one event, nothing dropped or renamed"),
    log: logPrefixSchema,
    source: sourcePositionSchema,
  })
  .describe(`teletap normalized telemetry event, schema version ${EVENT_SCHEMA_VERSION}`);

export type TelemetryEvent = z.infer<typeof telemetryEventSchema>;
export type LogPrefix = z.infer<typeof logPrefixSchema>;
export type SourcePosition = z.infer<typeof sourcePositionSchema>;

/** The JSON Schema of the normalized event, for downstream consumers; pinned by a test. */
export function eventJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(telemetryEventSchema, { target: "draft-2020-12" }) as Record<string, unknown>;
}
