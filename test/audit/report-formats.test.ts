import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { z } from "zod";
import { renderReport } from "../../src/audit/render-report.js";
import { auditReportJsonSchema, auditReportSchema } from "../../src/audit/report-schema.js";
import { runAudit } from "../../src/audit/run-audit.js";
import { REPO } from "../helpers/run-cli.js";
import { AUDIT_FIXTURES, readLogs } from "./read-fixture.js";

async function fullReport() {
  process.chdir(REPO);
  const paths = ["email", "home-path", "parse-health", "undocumented-field", "telemetry-policy", "volume-anomaly"].map(
    (name) => join("fixtures", "audit", `${name}.log`),
  );
  const { events, malformed } = await readLogs(paths);
  return runAudit(events, malformed, { policy: { tispark: "forbidden" }, inputs: paths });
}

test("the JSON report validates against its schema", async () => {
  const report = await fullReport();
  const json: unknown = JSON.parse(renderReport(report, "json"));
  const parsed = auditReportSchema.safeParse(json);
  assert.ok(parsed.success, parsed.success ? "" : z.prettifyError(parsed.error));
  assert.ok(report.findings.length >= 6);
});

test("docs/audit-report.schema.json is the report schema (regenerate: teletap audit --schema)", () => {
  const committed: unknown = JSON.parse(readFileSync(join(REPO, "docs", "audit-report.schema.json"), "utf8"));
  assert.deepEqual(committed, auditReportJsonSchema());
});

// The parts of SARIF 2.1.0 (OASIS sarif-schema-2.1.0.json) that code-scanning uploads require.
const sarifSchema = z.object({
  $schema: z.string().regex(/sarif-2\.1\.0/),
  version: z.literal("2.1.0"),
  runs: z
    .array(
      z.object({
        tool: z.object({
          driver: z.object({
            name: z.string().min(1),
            version: z.string(),
            rules: z.array(
              z.object({
                id: z.string().min(1),
                shortDescription: z.object({ text: z.string().min(1) }),
                defaultConfiguration: z.object({ level: z.enum(["none", "note", "warning", "error"]) }),
              }),
            ),
          }),
        }),
        results: z.array(
          z.object({
            ruleId: z.string(),
            ruleIndex: z.number().int().nonnegative(),
            level: z.enum(["none", "note", "warning", "error"]),
            message: z.object({ text: z.string().min(1) }),
            locations: z.array(
              z.object({
                physicalLocation: z.object({
                  artifactLocation: z.object({ uri: z.string().min(1) }),
                  region: z.object({ startLine: z.number().int().positive() }),
                }),
              }),
            ),
            partialFingerprints: z.record(z.string(), z.string()),
          }),
        ),
      }),
    )
    .length(1),
});

test("the SARIF output has the SARIF 2.1.0 structure, rule indices and locations", async () => {
  const report = await fullReport();
  const sarif = sarifSchema.parse(JSON.parse(renderReport(report, "sarif")));
  const run = sarif.runs[0];
  assert.ok(run);
  assert.equal(run.results.length, report.findings.length);
  for (const result of run.results) {
    assert.equal(run.tool.driver.rules[result.ruleIndex]?.id, result.ruleId);
    // GitHub code scanning drops a result without a location.
    assert.ok(result.locations.length > 0, result.ruleId);
  }
  const email = run.results.find((result) => result.ruleId === "email");
  assert.equal(email?.level, "error");
  assert.equal(email?.locations[0]?.physicalLocation.artifactLocation.uri, "fixtures/audit/email.log");
  assert.equal(email?.locations[0]?.physicalLocation.region.startLine, 1);
  assert.ok(!JSON.stringify(sarif).includes("alice.smith@example.com"));
});

test("text puts the findings first; markdown has every section", async () => {
  const report = await fullReport();
  const text = renderReport(report, "text");
  assert.ok(text.indexOf("Findings") < text.indexOf("Telemetry"));
  assert.match(text, /HIGH +telemetry-policy/);
  assert.ok(text.includes("deploy test v4.0.0 /home/a***/topology.yaml"), "commands are masked too");
  assert.match(text, /fixtures\/audit\/email\.log:1/);
  const md = renderReport(report, "md");
  for (const heading of ["## Findings", "## Telemetry enabled", "## Volume", "## Field inventory", "## Parse health"])
    assert.ok(md.includes(heading), heading);
  assert.ok(md.includes("| high | email | ticloud | `properties.error` | `a***@example.com` |"), md);
  assert.ok(md.includes('| ticloud | `properties.cluster_name` | 1 | `"orders-prod"` | no (a finding) |'), md);
});

test("the HTML report is one file without any external reference, and escapes log values", async () => {
  const report = await fullReport();
  const [first] = report.findings;
  assert.ok(first);
  first.message = "<script>alert(1)</script>";
  const html = renderReport(report, "html");
  assert.ok(!/(?:src|href)=["']?https?:/i.test(html));
  assert.ok(!html.includes("<script>"));
  assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
  assert.equal(readFileSync(join(AUDIT_FIXTURES, "email.log"), "utf8").includes("alice.smith@example.com"), true);
  assert.ok(!html.includes("alice.smith@example.com"));
});
