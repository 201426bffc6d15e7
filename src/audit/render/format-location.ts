import type { Finding } from "../report-schema.js";

/** `file:line`, plus how many more occurrences the finding groups. */
export function formatLocation(finding: Finding): string {
  if (!finding.location) return "";
  const more = finding.count > 1 ? ` (+${finding.count - 1} more)` : "";
  return `${finding.location.path}:${finding.location.line}${more}`;
}

/** `12.5%`, or `-` when there is nothing to divide. */
export function formatRatio(ratio: number | null): string {
  return ratio === null ? "-" : `${(ratio * 100).toFixed(ratio === 0 || ratio === 1 ? 0 : 1)}%`;
}

/** The enablement verdict in words. */
export function formatEnablement(enablement: string): string {
  return enablement.replace(/-/g, " ");
}
