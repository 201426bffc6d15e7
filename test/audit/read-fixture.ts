import { join } from "node:path";
import { parseAuditArgs } from "../../src/audit/parse-audit-args.js";
import type { AuditReport } from "../../src/audit/report-schema.js";
import { runAudit } from "../../src/audit/run-audit.js";
import type { Malformed } from "../../src/engine/extractor.js";
import type { TelemetryEvent } from "../../src/events.js";
import { scanInput } from "../../src/sources/scan-input.js";
import { REPO } from "../helpers/run-cli.js";

export const AUDIT_FIXTURES = join(REPO, "fixtures", "audit");

/** Events and unreadable lines of log files, read through the one engine as the CLI reads them. */
export async function readLogs(
  paths: readonly string[],
): Promise<{ events: TelemetryEvent[]; malformed: Malformed[] }> {
  const events: TelemetryEvent[] = [];
  const malformed: Malformed[] = [];
  for (const path of paths) {
    await scanInput(
      { kind: "file", path },
      { onEvent: (event) => events.push(event), onMalformed: (m) => malformed.push(m) },
    );
  }
  return { events, malformed };
}

/** The audit of one fixture case (path relative to the repository, as reports show it), with the case's args. */
export async function auditFixture(name: string, args: readonly string[] = []): Promise<AuditReport> {
  process.chdir(REPO);
  const path = join("fixtures", "audit", `${name}.log`);
  const parsed = parseAuditArgs([...args, path], { stdout: false, stdin: true });
  if ("errors" in parsed) throw new Error(parsed.errors.join("\n"));
  const { events, malformed } = await readLogs([path]);
  return runAudit(events, malformed, {
    policy: parsed.args.policy,
    inputs: [path],
    now: new Date("2026-11-23T12:00:00Z"),
  });
}
