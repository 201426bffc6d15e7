import { z } from "zod";
import { producerSchema } from "../events.js";
import { SEVERITIES } from "../redact/detector.js";

/** Bumped only when a field of the JSON report is renamed or removed; adding fields keeps it. */
export const AUDIT_SCHEMA_VERSION = 1;

const isoTime = z.iso.datetime({ precision: 3 });
const count = z.number().int().nonnegative();

export const locationSchema = z
  .strictObject({
    path: z.string().describe("the log file (- for stdin, or a store segment)"),
    line: z.number().int().positive().describe("1-based line number"),
  })
  .describe("where the finding's evidence was read");

export const findingSchema = z
  .strictObject({
    rule: z.string().describe("the rule id, as `teletap audit --rules` lists it"),
    severity: z.enum(SEVERITIES),
    producer: producerSchema.nullable().describe("the tool concerned; null when not one tool's (an unreadable line)"),
    field: z.string().nullable().describe("the attribute path, array indices written [] (hardware.disks[].name)"),
    value: z.string().nullable().describe("the offending value, redacted: never the value itself"),
    message: z.string().describe("what was found, in a sentence"),
    count: count.describe("how many occurrences this finding groups"),
    location: locationSchema.nullable().describe("the first occurrence"),
    locations: z.array(locationSchema).describe("the first occurrences, at most 10"),
  })
  .describe("one finding: occurrences of the same rule, producer, field and redacted value are grouped");

export const enablementSchema = z.enum([
  "not-observed",
  "enabled-explicitly",
  "enabled-by-old-default",
  "mixed",
  "unknown",
]);

export const telemetryStatusSchema = z
  .strictObject({
    producer: producerSchema,
    observed: z.boolean().describe("whether any event of this producer was seen"),
    count: count.describe("events seen (after removing duplicates)"),
    firstSeen: isoTime.nullable(),
    lastSeen: isoTime.nullable(),
    telemetryIds: z
      .array(z.string())
      .describe("installation or cluster telemetry ids seen (TiUP uuid, TiSpark track id)"),
    versions: z.array(z.string()).describe("tool versions seen"),
    explicit: count.describe("events from versions where telemetry is off by default, so someone turned it on"),
    oldDefault: count.describe("events from versions that sent telemetry unless someone turned it off"),
    unknownVersion: count.describe("events whose version could not be read"),
    enablement: enablementSchema.describe("the verdict over these events"),
    policy: z.enum(["allowed", "forbidden", "unset"]).describe("audit.policy for this producer"),
    note: z.string().describe("the producer's documented default"),
  })
  .describe("is telemetry on, per producer");

export const fieldRowSchema = z
  .strictObject({
    producer: producerSchema,
    path: z.string().describe("attribute path, array indices written []"),
    count: count.describe("events carrying this field"),
    example: z.string().describe("one value, JSON text, redacted and cut to 80 characters"),
    documented: z.boolean().describe("whether the producer documents this field"),
  })
  .describe("one row of the field inventory");

export const volumeSchema = z
  .strictObject({
    perDay: z.array(z.strictObject({ producer: producerSchema, day: z.iso.date(), count })),
    commands: z.array(
      z.strictObject({ producer: producerSchema, command: z.string().nullable(), count, errors: count }),
    ),
    results: z.array(
      z.strictObject({
        producer: producerSchema,
        success: count,
        error: count,
        unknown: count,
        errorRatio: z.number().min(0).max(1).nullable().describe("error / (success + error); null with neither"),
      }),
    ),
  })
  .describe("events per producer per UTC day, commands and results");

export const parseHealthSchema = z
  .strictObject({
    malformed: count.describe("telemetry lines that could not be decoded, and over-long lines skipped"),
    byProducer: z.record(z.string(), count).describe("per producer; `unknown` for lines skipped before parsing"),
    samples: z.array(
      z.strictObject({
        path: z.string(),
        line: z.number().int().positive(),
        producer: producerSchema.nullable(),
        reason: z.string(),
      }),
    ),
  })
  .describe("the silent-loss check: what the engine saw but could not read");

/** The audit report: the `-o json` output and the scheduled report's .json file. */
export const auditReportSchema = z
  .strictObject({
    schemaVersion: z.literal(AUDIT_SCHEMA_VERSION),
    generatedAt: isoTime,
    inputs: z.array(z.string()).describe("the paths read"),
    window: z.strictObject({ from: isoTime.nullable(), to: isoTime.nullable() }).describe("the --since/--until bounds"),
    summary: z.strictObject({
      events: count.describe("distinct events (by id)"),
      duplicates: count.describe("events seen again (TiUP console and audit log show the same report)"),
      malformed: count,
      findings: z.strictObject({ high: count, medium: count, low: count, total: count }),
    }),
    findings: z.array(findingSchema).describe("highest severity first"),
    telemetry: z.array(telemetryStatusSchema),
    fields: z.array(fieldRowSchema),
    volume: volumeSchema,
    parseHealth: parseHealthSchema,
    redaction: z.record(z.string(), count).describe("per detector id: values the redact step would replace"),
    rules: z.array(z.strictObject({ id: z.string(), severity: z.enum(SEVERITIES), description: z.string() })),
  })
  .describe(`teletap audit report, schema version ${AUDIT_SCHEMA_VERSION}`);

/** The audit report (`-o json`); see auditReportSchema for every field's meaning. */
export type AuditReport = z.infer<typeof auditReportSchema>;
/** One grouped finding of the report. */
export type Finding = z.infer<typeof findingSchema>;
/** A file and line a finding points at. */
export type FindingLocation = z.infer<typeof locationSchema>;
/** The report's per-producer "is telemetry on" row. */
export type TelemetryStatus = z.infer<typeof telemetryStatusSchema>;
/** One row of the field inventory. */
export type FieldRow = z.infer<typeof fieldRowSchema>;
/** Events per day, commands and results. */
export type Volume = z.infer<typeof volumeSchema>;
/** The unreadable-lines section. */
export type ParseHealth = z.infer<typeof parseHealthSchema>;

/** The JSON Schema of the report, committed as docs/audit-report.schema.json and pinned by a test. */
export function auditReportJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(auditReportSchema, { target: "draft-2020-12" }) as Record<string, unknown>;
}
