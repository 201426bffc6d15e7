import type { Malformed } from "../engine/extractor.js";
import type { TelemetryEvent } from "../events.js";
import type { Detector } from "../redact/detector.js";
import { DETECTORS } from "../redact/detectors/index.js";
import { FieldInventory } from "./field-inventory.js";
import { sortFindings } from "./finding-collector.js";
import { AUDIT_SCHEMA_VERSION, type AuditReport, type ParseHealth } from "./report-schema.js";
import type { AuditPolicy, AuditSummary } from "./rule.js";
import { RULE_INFO, RULES } from "./rules/index.js";
import { TelemetryTally } from "./telemetry-tally.js";
import { ValueScan } from "./value-scan.js";
import { VolumeTally } from "./volume-tally.js";

const MALFORMED_SAMPLES = 20;

/** What an audit checks against. */
export interface AuditOptions {
  policy?: AuditPolicy;
  /** Value detectors to apply; all by default. */
  detectors?: readonly Detector[];
}

/** What the report says about the run itself. */
export interface ReportOptions {
  /** The paths read, as the report lists them. */
  inputs?: readonly string[];
  window?: { from: string | null; to: string | null };
  now?: Date;
}

/**
 * One audit, fed event by event: duplicates (the same report in TiUP's console and audit log) count once, and only
 * summaries are kept, so its memory grows with the distinct ids and fields, not with the events.
 */
export class Audit {
  private readonly ids = new Set<string>();
  private duplicates = 0;
  private readonly health: ParseHealth = { malformed: 0, byProducer: {}, samples: [] };
  private readonly telemetry = new TelemetryTally();
  private readonly fields = new FieldInventory();
  private readonly volume = new VolumeTally();
  private readonly values: ValueScan;
  private readonly passes;
  private readonly policy: AuditPolicy;

  constructor(options: AuditOptions = {}) {
    this.policy = options.policy ?? {};
    this.values = new ValueScan(options.detectors ?? DETECTORS);
    this.passes = RULES.map((rule) => rule.start({ policy: this.policy }));
  }

  /** Adds one event; false when its id was seen already. */
  add(event: TelemetryEvent): boolean {
    if (this.ids.has(event.id)) {
      this.duplicates++;
      return false;
    }
    this.ids.add(event.id);
    this.telemetry.add(event);
    this.fields.add(event);
    this.volume.add(event);
    this.values.add(event);
    for (const pass of this.passes) pass.event?.(event);
    return true;
  }

  /** Adds a line the engine could not decode (or the store could not read). */
  addMalformed(line: Malformed): void {
    const producer = line.producer ?? "unknown";
    this.health.malformed++;
    this.health.byProducer[producer] = (this.health.byProducer[producer] ?? 0) + 1;
    if (this.health.samples.length < MALFORMED_SAMPLES)
      this.health.samples.push({ path: line.path, line: line.line, producer: line.producer, reason: line.reason });
    for (const pass of this.passes) pass.malformed?.(line);
  }

  /** The report over everything added so far. */
  report(options: ReportOptions = {}): AuditReport {
    const summary: AuditSummary = {
      telemetry: this.telemetry.result(this.policy),
      fields: this.fields.result(),
      volume: this.volume.result(),
    };
    const findings = sortFindings([...this.passes.flatMap((pass) => pass.finish(summary)), ...this.values.findings()]);
    const bySeverity = { high: 0, medium: 0, low: 0 };
    for (const finding of findings) bySeverity[finding.severity]++;
    return {
      schemaVersion: AUDIT_SCHEMA_VERSION,
      generatedAt: (options.now ?? new Date()).toISOString(),
      inputs: [...(options.inputs ?? [])],
      window: options.window ?? { from: null, to: null },
      summary: {
        events: this.ids.size,
        duplicates: this.duplicates,
        malformed: this.health.malformed,
        findings: { ...bySeverity, total: findings.length },
      },
      findings,
      telemetry: [...summary.telemetry],
      fields: [...summary.fields],
      volume: summary.volume,
      parseHealth: structuredClone(this.health),
      redaction: { ...this.values.counts },
      rules: [...RULE_INFO],
    };
  }
}
