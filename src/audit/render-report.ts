import { renderHtml } from "./render/render-html.js";
import { renderMarkdown } from "./render/render-markdown.js";
import { renderSarif } from "./render/render-sarif.js";
import { renderText } from "./render/render-text.js";
import type { AuditReport } from "./report-schema.js";
import { toolVersion } from "./tool-version.js";

/** The output formats of `teletap audit -o`. */
export const REPORT_FORMATS = ["text", "md", "json", "sarif", "html"] as const;
/** One of `-o text|md|json|sarif|html`. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The report in one format, as the text to write. */
export function renderReport(report: AuditReport, format: ReportFormat, colour = false): string {
  switch (format) {
    case "text":
      return renderText(report, colour);
    case "md":
      return renderMarkdown(report);
    case "json":
      return `${JSON.stringify(report, null, 2)}\n`;
    case "sarif":
      return `${JSON.stringify(renderSarif(report, toolVersion()), null, 2)}\n`;
    case "html":
      return renderHtml(report);
  }
}
