import type { AuditReport } from "../report-schema.js";
import { formatEnablement, formatLocation, formatRatio } from "./format-location.js";
import { bucketLabel, volumeBuckets } from "./svg-volume-chart.js";
import { topCommands } from "./top-commands.js";

/** A value shown verbatim: a code span, where masks (`a***@example.com`) are not read as emphasis. */
class Code {
  constructor(readonly text: string | null) {}
}
const code = (text: string | null) => new Code(text);
type Cell = string | number | null | Code;

function cell(value: Cell): string {
  if (value instanceof Code) {
    if (value.text === null || value.text === "") return "-";
    const text = value.text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
    // A value holding a backtick needs a longer fence, and a space when it starts or ends with one.
    const fence = text.includes("`") ? "``" : "`";
    return `${fence}${fence.length > 1 ? ` ${text} ` : text}${fence}`;
  }
  return String(value ?? "-")
    .replace(/\r?\n/g, " ")
    .replace(/[\\`*_<>|[\]]/g, (char) => `\\${char}`);
}

function table(head: string[], rows: Cell[][]): string {
  const line = (cells: Cell[]) => `| ${cells.map(cell).join(" | ")} |`;
  return [line(head), `|${head.map(() => "---").join("|")}|`, ...rows.map(line)].join("\n");
}

/** The report as Markdown: for a PR comment, a wiki, or the scheduled report's .md file. */
export function renderMarkdown(report: AuditReport): string {
  const { summary } = report;
  const commands = topCommands(report.volume);
  const parts = [
    "# teletap audit report",
    `Generated ${report.generatedAt} over ${report.inputs.length} input(s). ` +
      `**${summary.events}** event(s), ${summary.duplicates} duplicate(s), ${summary.malformed} unreadable line(s). ` +
      `**${summary.findings.total}** finding(s): ${summary.findings.high} high, ${summary.findings.medium} medium, ${summary.findings.low} low.`,
    "## Findings",
    report.findings.length === 0
      ? "None."
      : table(
          ["severity", "rule", "producer", "field", "value (redacted)", "where", "message"],
          report.findings.map((f) => [
            f.severity,
            f.rule,
            f.producer,
            code(f.field),
            code(f.value),
            code(formatLocation(f)),
            f.message,
          ]),
        ),
    "## Telemetry enabled",
    table(
      ["producer", "events", "first seen", "last seen", "enablement", "policy", "versions", "telemetry ids"],
      report.telemetry.map((s) => [
        s.producer,
        s.count,
        s.firstSeen,
        s.lastSeen,
        formatEnablement(s.enablement),
        s.policy,
        s.versions.join(", "),
        code(s.telemetryIds.join(", ")),
      ]),
    ),
    "## Volume",
    table(
      ["producer", "success", "error", "unknown", "error ratio"],
      report.volume.results.map((r) => [r.producer, r.success, r.error, r.unknown, formatRatio(r.errorRatio)]),
    ),
    table(
      ["producer", "period (UTC)", "events"],
      report.telemetry.flatMap((status) => {
        const { bucket, bars } = volumeBuckets(report.volume.perDay.filter((d) => d.producer === status.producer));
        return bars
          .filter((bar) => bar.count > 0)
          .map((bar) => [status.producer, bucketLabel(bucket, bar.start), bar.count]);
      }),
    ),
    table(
      ["producer", "command", "count", "errors"],
      [
        ...commands.rows.map((c) => [c.producer, code(c.command), c.count, c.errors]),
        ...[...commands.omitted].map(([producer, n]) => [producer, `… ${n} more (see -o json)`, null, null]),
      ],
    ),
    "## Field inventory",
    table(
      ["producer", "path", "events", "example (redacted)", "documented"],
      report.fields.map((r) => [
        r.producer,
        code(r.path),
        r.count,
        code(r.example),
        r.documented ? "yes" : "no (a finding)",
      ]),
    ),
    "## Parse health",
    `${report.parseHealth.malformed} telemetry line(s) could not be decoded.`,
    ...(report.parseHealth.samples.length > 0
      ? [
          table(
            ["where", "producer", "reason"],
            report.parseHealth.samples.map((s) => [code(`${s.path}:${s.line}`), s.producer, s.reason]),
          ),
        ]
      : []),
    "## Redaction",
    Object.keys(report.redaction).length === 0
      ? "The redact step would replace nothing."
      : table(["rule", "values replaced"], Object.entries(report.redaction)),
    "## Rules",
    table(
      ["id", "severity", "description"],
      report.rules.map((r) => [r.id, r.severity, r.description]),
    ),
  ];
  return `${parts.join("\n\n")}\n`;
}
