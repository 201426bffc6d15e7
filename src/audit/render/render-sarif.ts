import { createHash } from "node:crypto";
import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import type { Severity } from "../../redact/detector.js";
import type { AuditReport, FindingLocation } from "../report-schema.js";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = { high: "error", medium: "warning", low: "note" };
// GitHub code scanning orders security alerts by this 0-10 score.
const SECURITY_SEVERITY: Record<Severity, string> = { high: "8.0", medium: "5.0", low: "2.0" };

function artifactUri(path: string): string {
  if (path === "-") return "stdin";
  if (isAbsolute(path)) return pathToFileURL(path).href;
  return encodeURI(path.replace(/\\/g, "/"));
}

function physical(location: FindingLocation) {
  return {
    physicalLocation: { artifactLocation: { uri: artifactUri(location.path) }, region: { startLine: location.line } },
  };
}

/** SARIF 2.1.0, one run, so code-scanning tools (GitHub, GitLab, IDEs) list the findings beside the logs. */
export function renderSarif(report: AuditReport, toolVersion: string): Record<string, unknown> {
  const ruleIndex = new Map(report.rules.map((rule, index) => [rule.id, index]));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "teletap",
            version: toolVersion,
            rules: report.rules.map((rule) => ({
              id: rule.id,
              name: rule.id.replace(/(^|-)([a-z])/g, (_, _dash: string, c: string) => c.toUpperCase()),
              shortDescription: { text: rule.description },
              defaultConfiguration: { level: LEVEL[rule.severity] },
              properties: { "security-severity": SECURITY_SEVERITY[rule.severity], tags: ["privacy", "telemetry"] },
            })),
          },
        },
        results: report.findings.map((finding) => ({
          ruleId: finding.rule,
          ruleIndex: ruleIndex.get(finding.rule) ?? -1,
          level: LEVEL[finding.severity],
          message: { text: finding.value ? `${finding.message}: ${finding.value}` : finding.message },
          locations: finding.locations.map(physical),
          partialFingerprints: {
            "teletapFinding/v1": createHash("sha256")
              .update(JSON.stringify([finding.rule, finding.producer, finding.field, finding.value]))
              .digest("hex")
              .slice(0, 32),
          },
          properties: { producer: finding.producer, field: finding.field, value: finding.value, count: finding.count },
        })),
        columnKind: "utf16CodeUnits",
      },
    ],
  };
}
