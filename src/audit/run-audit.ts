import type { Malformed } from "../engine/extractor.js";
import type { TelemetryEvent } from "../events.js";
import { Audit, type AuditOptions, type ReportOptions } from "./audit.js";
import type { AuditReport } from "./report-schema.js";

/** The audit of events already in memory (tests, the scheduled report); the CLI streams into an `Audit` instead. */
export function runAudit(
  events: Iterable<TelemetryEvent>,
  malformed: Iterable<Malformed>,
  options: AuditOptions & ReportOptions = {},
): AuditReport {
  const audit = new Audit(options);
  for (const event of events) audit.add(event);
  for (const line of malformed) audit.addMalformed(line);
  return audit.report(options);
}
