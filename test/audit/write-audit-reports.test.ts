import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { auditConfigSchema } from "../../src/audit/audit-config.js";
import { auditReportSchema } from "../../src/audit/report-schema.js";
import { writeAuditReports } from "../../src/audit/write-audit-reports.js";
import { REPO } from "../helpers/run-cli.js";
import { tmpDir } from "../helpers/tmp-dir.js";
import { readLogs } from "./read-fixture.js";

test("writes a dated md, json and html report, and nothing else", async () => {
  process.chdir(REPO);
  const { events, malformed } = await readLogs([join("fixtures", "audit", "parse-health.log")]);
  const dir = join(tmpDir(), "reports");
  const written = writeAuditReports(events, malformed, dir, new Date("2026-11-23T06:00:00.000Z"), {
    policy: { ticloud: "forbidden" },
  });
  assert.deepEqual(readdirSync(dir).sort(), [
    "audit-2026-11-23T06-00-00Z.html",
    "audit-2026-11-23T06-00-00Z.json",
    "audit-2026-11-23T06-00-00Z.md",
  ]);
  const report = auditReportSchema.parse(JSON.parse(readFileSync(written.json, "utf8")));
  assert.equal(report.generatedAt, "2026-11-23T06:00:00.000Z");
  assert.deepEqual(report.findings.map((f) => f.rule).sort(), ["parse-health", "parse-health", "telemetry-policy"]);
  assert.match(readFileSync(written.md, "utf8"), /^# teletap audit report/);
  assert.match(readFileSync(written.html, "utf8"), /<svg class="chart" data-producer="ticloud"/);
});

test("the audit config schema: defaults, a validated cron expression, unknown keys rejected", () => {
  assert.deepEqual(auditConfigSchema.parse({}), { policy: {}, periodHours: 24 });
  assert.equal(auditConfigSchema.safeParse({ schedule: "0 6 * * *" }).success, true);
  assert.equal(auditConfigSchema.safeParse({ schedule: "every morning" }).success, false);
  assert.equal(auditConfigSchema.safeParse({ policy: { tidb: "forbidden" } }).success, false);
  assert.equal(auditConfigSchema.safeParse({ policy: { tiup: "maybe" } }).success, false);
  assert.equal(auditConfigSchema.safeParse({ colour: "red" }).success, false);
});
