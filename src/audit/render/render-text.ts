import type { AuditReport } from "../report-schema.js";
import { formatEnablement, formatLocation, formatRatio } from "./format-location.js";

const SGR: Record<string, string> = { high: "1;31", medium: "33", low: "36", head: "1" };

function table(rows: string[][], indent = "  "): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length))) ?? [];
  return rows
    .map((row) =>
      `${indent}${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ")}`.trimEnd(),
    )
    .join("\n");
}

/** The terminal summary: findings first, then what was seen; `colour` adds ANSI colours to severities. */
export function renderText(report: AuditReport, colour = false): string {
  const paint = (style: string, text: string) => (colour ? `\x1b[${SGR[style]}m${text}\x1b[0m` : text);
  const { summary } = report;
  const out: string[] = [];
  out.push(
    `teletap audit: ${summary.events} event(s), ${summary.duplicates} duplicate(s), ${summary.malformed} unreadable line(s); ` +
      `${summary.findings.total} finding(s): ${summary.findings.high} high, ${summary.findings.medium} medium, ${summary.findings.low} low`,
  );
  out.push("", paint("head", "Findings"));
  if (report.findings.length === 0) out.push("  none");
  for (const finding of report.findings) {
    const where = [finding.producer, finding.field, finding.value].filter((part) => part !== null).join("  ");
    out.push(`  ${paint(finding.severity, finding.severity.toUpperCase().padEnd(6))}  ${finding.rule}  ${where}`);
    out.push(`          ${finding.message}${finding.location ? `  [${formatLocation(finding)}]` : ""}`);
  }
  out.push("", paint("head", "Telemetry"));
  out.push(
    table([
      ["producer", "events", "first seen", "last seen", "enablement", "policy", "telemetry ids"],
      ...report.telemetry.map((s) => [
        s.producer,
        String(s.count),
        s.firstSeen ?? "-",
        s.lastSeen ?? "-",
        formatEnablement(s.enablement),
        s.policy,
        s.telemetryIds.join(", ") || "-",
      ]),
    ]),
  );
  out.push("", paint("head", "Volume"));
  out.push(
    table([
      ["producer", "days", "success", "error", "unknown", "error ratio", "top command"],
      ...report.volume.results.map((r) => {
        const days = report.volume.perDay.filter((d) => d.producer === r.producer).length;
        const top = report.volume.commands.find((c) => c.producer === r.producer);
        return [
          r.producer,
          String(days),
          String(r.success),
          String(r.error),
          String(r.unknown),
          formatRatio(r.errorRatio),
          top ? `${top.command ?? "-"} (${top.count})` : "-",
        ];
      }),
    ]),
  );
  const undocumented = report.fields.filter((row) => !row.documented);
  out.push("", paint("head", `Fields: ${report.fields.length} path(s), ${undocumented.length} undocumented`));
  for (const row of undocumented) out.push(`  ${row.producer}  ${row.path}  ×${row.count}  e.g. ${row.example}`);
  out.push("", paint("head", `Parse health: ${report.parseHealth.malformed} unreadable telemetry line(s)`));
  for (const sample of report.parseHealth.samples)
    out.push(`  ${sample.path}:${sample.line}  ${sample.producer ?? "-"}  ${sample.reason}`);
  const redacted = Object.entries(report.redaction);
  out.push("", paint("head", "Redaction (values the daemon's redact step would replace)"));
  out.push(redacted.length === 0 ? "  none" : `  ${redacted.map(([id, n]) => `${id}=${n}`).join("  ")}`);
  return `${out.join("\n")}\n`;
}
