import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Malformed } from "../engine/extractor.js";
import type { TelemetryEvent } from "../events.js";
import type { AuditOptions, ReportOptions } from "./audit.js";
import { renderReport } from "./render-report.js";
import { runAudit } from "./run-audit.js";

/** The files one scheduled report wrote. */
export interface WrittenReports {
  md: string;
  json: string;
  html: string;
}

/**
 * The scheduled audit: a dated report (`audit-2026-11-23T06-00-00Z.md`, `.json`, `.html`) under `dir`, each file
 * written to a temporary name and renamed so a reader never sees half a report.
 */
export function writeAuditReports(
  events: readonly TelemetryEvent[],
  malformed: readonly Malformed[],
  dir: string,
  now: Date,
  options: AuditOptions & Omit<ReportOptions, "now"> = {},
): WrittenReports {
  mkdirSync(dir, { recursive: true });
  const report = runAudit(events, malformed, { ...options, now });
  const stamp = `${now.toISOString().slice(0, 19).replace(/:/g, "-")}Z`;
  const write = (format: "md" | "json" | "html") => {
    const path = join(dir, `audit-${stamp}.${format}`);
    const temporary = `${path}.tmp-${process.pid}`;
    writeFileSync(temporary, renderReport(report, format));
    renameSync(temporary, path);
    return path;
  };
  return { md: write("md"), json: write("json"), html: write("html") };
}
