import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { RULES } from "../../src/audit/rules/index.js";
import { DETECTORS } from "../../src/redact/detectors/index.js";
import { AUDIT_FIXTURES, auditFixture } from "./read-fixture.js";

// fixtures/audit/<case>.log + <case>.expected.json (findings written by hand; scripts/make-audit-fixtures.mjs writes both).
interface Expected {
  args: string[];
  findings: {
    rule: string;
    severity: string;
    producer: string | null;
    field: string | null;
    value: string | null;
    line: number | null;
    count: number;
  }[];
}

const cases = readdirSync(AUDIT_FIXTURES)
  .filter((name) => name.endsWith(".expected.json"))
  .map((name) => name.replace(/\.expected\.json$/, ""))
  .sort();

test("every rule has a golden fixture case named after it", () => {
  for (const rule of [...RULES, ...DETECTORS])
    assert.ok(cases.includes(rule.id), `fixtures/audit/${rule.id}.log is missing`);
});

for (const name of cases) {
  test(`golden audit/${name}: exactly the expected findings`, async () => {
    const expected = JSON.parse(readFileSync(join(AUDIT_FIXTURES, `${name}.expected.json`), "utf8")) as Expected;
    const report = await auditFixture(name, expected.args);
    const actual = report.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      producer: f.producer,
      field: f.field,
      value: f.value,
      line: f.location?.line ?? null,
      count: f.count,
    }));
    assert.deepEqual(actual, expected.findings);
    for (const finding of report.findings) {
      if (finding.location) assert.equal(finding.location.path, join("fixtures", "audit", `${name}.log`));
    }
  });
}

test("the seeds' example lines raise no personal-data, secret, field or parse finding", async () => {
  const report = await auditFixture("seed-examples");
  const unexpected = report.findings.filter((f) => f.rule !== "telemetry-old-default");
  assert.deepEqual(unexpected, []);
  assert.equal(report.summary.malformed, 0);
  assert.ok(report.fields.length > 50 && report.fields.every((row) => row.documented));
});

test("the seed's documented error example is the one identifier finding, with its value masked", async () => {
  const report = await auditFixture("error-identifier");
  assert.equal(report.findings.length, 1);
  const [finding] = report.findings;
  assert.equal(finding?.rule, "error-identifier");
  assert.equal(finding?.value, "4***");
  const errorRow = report.fields.find((row) => row.path === "properties.error");
  assert.ok(errorRow?.example.includes("project_id: 4***"), errorRow?.example);
});

test("findings never show the raw value", async () => {
  const report = await auditFixture("email");
  assert.ok(!JSON.stringify(report).includes("alice.smith@example.com"));
  assert.ok(JSON.stringify(report).includes("a***@example.com"));
});
