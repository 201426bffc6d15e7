import type { Malformed } from "../engine/extractor.js";
import type { Producer, TelemetryEvent } from "../events.js";
import type { Severity } from "../redact/detector.js";
import type { FieldRow, Finding, TelemetryStatus, Volume } from "./report-schema.js";

/** Per producer: allowed or forbidden (`audit.policy`). */
export type AuditPolicy = Partial<Record<Producer, "allowed" | "forbidden">>;

/** The sections computed over every event, which rules may read when they finish. */
export interface AuditSummary {
  telemetry: readonly TelemetryStatus[];
  fields: readonly FieldRow[];
  volume: Volume;
}

/**
 * One rule's pass over one audit. Events stream through once each (already deduplicated), so an audit of a year
 * of logs holds summaries, never the events themselves.
 */
export interface RulePass {
  event?(event: TelemetryEvent): void;
  malformed?(line: Malformed): void;
  finish(summary: AuditSummary): Finding[];
}

/** A rule over the whole audit (telemetry policy, fields, parse health, volume); id = file name = registry key. */
export interface Rule {
  id: string;
  severity: Severity;
  description: string;
  start(options: { policy: AuditPolicy }): RulePass;
}
