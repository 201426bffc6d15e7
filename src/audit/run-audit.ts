import type { Malformed } from "../engine/extractor.js";
import type { Producer, TelemetryEvent } from "../events.js";
import type { Detector } from "../redact/detector.js";
import { DETECTORS } from "../redact/detectors/index.js";
import { fieldInventory } from "./field-inventory.js";
import { sortFindings } from "./finding-collector.js";
import { AUDIT_SCHEMA_VERSION, type AuditReport, type ParseHealth } from "./report-schema.js";
import { RULE_INFO, RULES } from "./rules/index.js";
import { scanValues } from "./scan-values.js";
import { telemetryStatus } from "./telemetry-status.js";
import { volume } from "./volume.js";

const MALFORMED_SAMPLES = 20;

/** What an audit run is given besides the events. */
export interface AuditOptions {
  policy?: Partial<Record<Producer, "allowed" | "forbidden">>;
  /** The paths read, as the report lists them. */
  inputs?: readonly string[];
  window?: { from: string | null; to: string | null };
  now?: Date;
  /** Events already dropped as duplicates while reading (the CLI keeps one copy of each id in memory). */
  duplicatesDropped?: number;
  /** Value detectors to apply; all by default. */
  detectors?: readonly Detector[];
}

function parseHealthOf(malformed: readonly Malformed[]): ParseHealth {
  const byProducer: Record<string, number> = {};
  for (const line of malformed)
    byProducer[line.producer ?? "unknown"] = (byProducer[line.producer ?? "unknown"] ?? 0) + 1;
  return {
    malformed: malformed.length,
    byProducer,
    samples: malformed
      .slice(0, MALFORMED_SAMPLES)
      .map(({ path, line, producer, reason }) => ({ path, line, producer, reason })),
  };
}

/**
 * The audit: events are deduplicated by id (the same report in TiUP's console and audit log counts once), the
 * sections are computed once, then every rule and every value detector adds its findings.
 */
export function runAudit(
  events: readonly TelemetryEvent[],
  malformed: readonly Malformed[],
  options: AuditOptions = {},
): AuditReport {
  const seen = new Set<string>();
  const unique = events.filter((event) => !seen.has(event.id) && seen.add(event.id));
  const policy = options.policy ?? {};
  const context = {
    events: unique,
    malformed,
    policy,
    telemetry: telemetryStatus(unique, policy),
    fields: fieldInventory(unique),
    volume: volume(unique),
  };
  const values = scanValues(unique, options.detectors ?? DETECTORS);
  const findings = sortFindings([...RULES.flatMap((rule) => rule.check(context)), ...values.findings]);
  const bySeverity = { high: 0, medium: 0, low: 0 };
  for (const finding of findings) bySeverity[finding.severity]++;
  return {
    schemaVersion: AUDIT_SCHEMA_VERSION,
    generatedAt: (options.now ?? new Date()).toISOString(),
    inputs: [...(options.inputs ?? [])],
    window: options.window ?? { from: null, to: null },
    summary: {
      events: unique.length,
      duplicates: events.length - unique.length + (options.duplicatesDropped ?? 0),
      malformed: malformed.length,
      findings: { ...bySeverity, total: findings.length },
    },
    findings,
    telemetry: context.telemetry,
    fields: context.fields,
    volume: context.volume,
    parseHealth: parseHealthOf(malformed),
    redaction: values.counts,
    rules: [...RULE_INFO],
  };
}
