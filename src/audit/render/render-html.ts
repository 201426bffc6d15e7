import type { AuditReport } from "../report-schema.js";
import { escapeHtml } from "./escape-html.js";
import { formatEnablement, formatLocation, formatRatio } from "./format-location.js";
import { svgVolumeChart } from "./svg-volume-chart.js";
import { topCommands } from "./top-commands.js";

const PRODUCER_COLOUR: Record<string, string> = { ticloud: "#3b6fd4", tiup: "#d4763b", tispark: "#3ba55c" };

// No script, no external resource: the CSP makes the browser refuse any network access the page might try.
const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#1d1d1f;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.meta{color:#666;margin:0 0 16px}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:8px;padding:10px 14px;min-width:110px}
.card b{display:block;font-size:22px}.card.high b{color:#c62828}.card.medium b{color:#b26a00}.card.low b{color:#00708a}
table{border-collapse:collapse;width:100%;margin:6px 0 12px}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #eee;vertical-align:top}
th{background:#f6f6f8;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;overflow-wrap:break-word}
.sev{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;font-weight:600;color:#fff}
.sev.high{background:#c62828}.sev.medium{background:#b26a00}.sev.low{background:#00708a}
tr.undocumented td{background:#fff4e5}.charts figure{margin:0 0 12px}.chart{width:100%;height:auto;max-width:1000px;display:block}.charts figcaption{font-weight:600;margin-bottom:2px}
`;

function rows(cells: string[][]): string {
  return cells.map((row) => `<tr>${row.join("")}</tr>`).join("\n");
}

const td = (text: string | number | null, cls = "") => `<td${cls ? ` class="${cls}"` : ""}>${escapeHtml(text)}</td>`;
// Paths and locations break after a dot, slash or colon rather than mid-word.
const tdCode = (text: string | null) => `<td><code>${escapeHtml(text).replace(/([./\\:])/g, "$1<wbr>")}</code></td>`;
const th = (...names: string[]) => `<tr>${names.map((name) => `<th>${escapeHtml(name)}</th>`).join("")}</tr>`;

/** One self-contained HTML page: summary, findings, telemetry status, events-per-day charts, field inventory. */
export function renderHtml(report: AuditReport): string {
  const { summary } = report;
  const commands = topCommands(report.volume);
  const findings = report.findings.length
    ? `<table id="findings">${th("severity", "rule", "producer", "field", "value (redacted)", "where", "message")}\n${report.findings
        .map(
          (f) =>
            `<tr class="finding ${f.severity}" data-rule="${escapeHtml(f.rule)}"><td><span class="sev ${f.severity}">${f.severity}</span></td>${td(f.rule)}${td(f.producer)}${tdCode(f.field)}${tdCode(f.value)}${tdCode(formatLocation(f))}${td(f.message)}</tr>`,
        )
        .join("\n")}</table>`
    : `<p id="findings">No findings.</p>`;
  const observed = report.telemetry.filter((s) => s.observed);
  const charts = observed.length
    ? observed
        .map(
          (s) =>
            `<figure><figcaption>${escapeHtml(s.producer)}: ${s.count} event(s)</figcaption>${svgVolumeChart(
              s.producer,
              report.volume.perDay.filter((d) => d.producer === s.producer),
              PRODUCER_COLOUR[s.producer] ?? "#555",
            )}</figure>`,
        )
        .join("\n")
    : "<p>No events.</p>";
  const card = (label: string, value: number, cls = "") =>
    `<div class="card ${cls}"><b>${value}</b>${escapeHtml(label)}</div>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>teletap audit report</title><style>${STYLE}</style></head><body>
<h1>teletap audit report</h1>
<p class="meta">Generated ${escapeHtml(report.generatedAt)} · ${report.inputs.length} input(s) · window ${escapeHtml(report.window.from ?? "start")} – ${escapeHtml(report.window.to ?? "end")}</p>
<section id="summary" class="cards">${card("events", summary.events)}${card("duplicates", summary.duplicates)}${card("unreadable lines", summary.malformed)}${card("high", summary.findings.high, "high")}${card("medium", summary.findings.medium, "medium")}${card("low", summary.findings.low, "low")}</section>
<h2>Findings</h2>
${findings}
<h2>Telemetry enabled</h2>
<table id="telemetry">${th("producer", "events", "first seen", "last seen", "enablement", "policy", "versions", "telemetry ids", "documented default")}
${rows(report.telemetry.map((s) => [td(s.producer), td(s.count, "num"), td(s.firstSeen), td(s.lastSeen), td(formatEnablement(s.enablement)), td(s.policy), td(s.versions.join(", ") || "-"), tdCode(s.telemetryIds.join(", ") || "-"), td(s.note)]))}</table>
<h2>Events over time</h2>
<section id="charts" class="charts">${charts}</section>
<h2>Commands and results</h2>
<table id="results">${th("producer", "success", "error", "unknown", "error ratio")}
${rows(report.volume.results.map((r) => [td(r.producer), td(r.success, "num"), td(r.error, "num"), td(r.unknown, "num"), td(formatRatio(r.errorRatio), "num")]))}</table>
<table id="commands">${th("producer", "command", "count", "errors")}
${rows(commands.rows.map((c) => [td(c.producer), tdCode(c.command), td(c.count, "num"), td(c.errors, "num")]))}
${rows([...commands.omitted].map(([producer, n]) => [td(producer), td(`… ${n} more command(s): see -o json`), td(""), td("")]))}</table>
<h2>Field inventory</h2>
<table id="fields">${th("producer", "path", "events", "example (redacted)", "documented")}
${report.fields.map((r) => `<tr class="${r.documented ? "documented" : "undocumented"}">${td(r.producer)}${tdCode(r.path)}${td(r.count, "num")}${tdCode(r.example)}${td(r.documented ? "yes" : "no")}</tr>`).join("\n")}</table>
<h2>Parse health</h2>
<p id="parse-health">${report.parseHealth.malformed} telemetry line(s) could not be decoded.</p>
${report.parseHealth.samples.length ? `<table>${th("where", "producer", "reason")}${rows(report.parseHealth.samples.map((s) => [tdCode(`${s.path}:${s.line}`), td(s.producer), td(s.reason)]))}</table>` : ""}
<h2>Redaction</h2>
<table id="redaction">${th("rule", "values the redact step would replace")}
${rows(Object.entries(report.redaction).map(([id, n]) => [td(id), td(n, "num")]))}</table>
<h2>Rules</h2>
<table id="rules">${th("id", "severity", "description")}
${rows(report.rules.map((r) => [td(r.id), `<td><span class="sev ${r.severity}">${r.severity}</span></td>`, td(r.description)]))}</table>
</body></html>
`;
}
