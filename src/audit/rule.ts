import type { Malformed } from "../engine/extractor.js";
import type { Producer, TelemetryEvent } from "../events.js";
import type { Severity } from "../redact/detector.js";
import type { FieldRow, Finding, TelemetryStatus, Volume } from "./report-schema.js";

/** What every rule sees: deduplicated events and the sections computed from them once. */
export interface AuditContext {
  events: readonly TelemetryEvent[];
  malformed: readonly Malformed[];
  policy: Partial<Record<Producer, "allowed" | "forbidden">>;
  telemetry: readonly TelemetryStatus[];
  fields: readonly FieldRow[];
  volume: Volume;
}

/** A rule over the whole audit (telemetry policy, fields, parse health, volume); id = file name = registry key. */
export interface Rule {
  id: string;
  severity: Severity;
  description: string;
  check(context: AuditContext): Finding[];
}
