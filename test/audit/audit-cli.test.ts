import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { auditReportSchema } from "../../src/audit/report-schema.js";
import { RULE_INFO } from "../../src/audit/rules/index.js";
import type { TelemetryEvent } from "../../src/events.js";
import { eventJson } from "../../src/output/event-json.js";
import { runCli } from "../helpers/run-cli.js";
import { tmpDir } from "../helpers/tmp-dir.js";
import { readLogs } from "./read-fixture.js";

const fixture = (name: string) => join("fixtures", "audit", `${name}.log`);

test("--fail-on: 1 when a finding at or above the severity exists, 0 otherwise", async () => {
  assert.equal((await runCli(["audit", "-o", "json", "--fail-on", "high", fixture("email")])).code, 1);
  assert.equal((await runCli(["audit", "-o", "json", "--fail-on", "medium", fixture("email")])).code, 1);
  // The seed's documented error identifier is a low finding: a CI gate on medium lets it pass.
  assert.equal((await runCli(["audit", "-o", "json", "--fail-on", "medium", fixture("error-identifier")])).code, 0);
  assert.equal((await runCli(["audit", "-o", "json", "--fail-on", "low", fixture("error-identifier")])).code, 1);
  assert.equal((await runCli(["audit", "-o", "json", fixture("email")])).code, 0);
});

test("exit 2 on a usage error or an unreadable input", async () => {
  const bad = await runCli(["audit", "--fail-on", "critical", fixture("email")]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--fail-on: expected one of low, medium, high/);
  assert.equal((await runCli(["audit", "--output", "pdf", fixture("email")])).code, 2);
  assert.equal((await runCli(["audit", "--policy", "tiup=maybe", fixture("email")])).code, 2);
  const missing = await runCli(["audit", "-o", "json", "--fail-on", "high", "no/such/file.log"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no\/such\/file\.log/);
  const missingStore = await runCli(["audit", "--store", "no/such/store"]);
  assert.equal(missingStore.code, 2);
  assert.match(missingStore.stderr, /--store no\/such\/store: No such file or directory/);
});

test("--rules lists every rule with its severity; --schema prints the report's JSON Schema", async () => {
  const rules = await runCli(["audit", "--rules"]);
  assert.equal(rules.code, 0);
  for (const rule of RULE_INFO) assert.match(rules.stdout, new RegExp(`^${rule.id} +${rule.severity} `, "m"));
  const schema = await runCli(["audit", "--schema"]);
  assert.equal(JSON.parse(schema.stdout).$schema, "https://json-schema.org/draft/2020-12/schema");
});

test("reads stdin like grep, and honours --producer and --since", async () => {
  const input = ["email", "telemetry-old-default", "high-entropy"].map((name) => readFileSync(fixture(name))).join("");
  const all = auditReportSchema.parse(JSON.parse((await runCli(["audit", "-o", "json"], { input })).stdout));
  assert.deepEqual(
    all.telemetry.map((s) => s.count),
    [1, 2, 1],
  );
  assert.equal(all.inputs[0], "-");
  const tiup = auditReportSchema.parse(
    JSON.parse((await runCli(["audit", "-o", "json", "-p", "tiup"], { input })).stdout),
  );
  assert.deepEqual(
    tiup.telemetry.map((s) => s.count),
    [0, 2, 0],
  );
  const recent = await runCli(["audit", "-o", "json", "--since", "2025-01-01"], { input });
  assert.deepEqual(
    auditReportSchema.parse(JSON.parse(recent.stdout)).telemetry.map((s) => s.count),
    [1, 1, 0],
  );
});

test("takes .gz files and quoted globs like grep", async () => {
  const dir = tmpDir();
  writeFileSync(join(dir, "ticloud.log.gz"), gzipSync(readFileSync(fixture("email"))));
  const gz = auditReportSchema.parse(
    JSON.parse((await runCli(["audit", "-o", "json", join(dir, "ticloud.log.gz")])).stdout),
  );
  assert.deepEqual(
    gz.findings.map((f) => [f.rule, f.location?.line]),
    [["email", 1]],
  );
  const globbed = await runCli(["audit", "-o", "json", "fixtures/audit/{email,jwt}.log"]);
  assert.deepEqual(
    auditReportSchema.parse(JSON.parse(globbed.stdout)).findings.map((f) => f.rule),
    ["email", "jwt"],
  );
});

test("--store reads the daemon's event store; events seen twice count once", async () => {
  const dir = tmpDir();
  const { events } = await readLogs([fixture("email"), fixture("ip-address")]);
  const lines = events.map((event) => `${eventJson(event)}\n`).join("");
  writeFileSync(join(dir, "events-2025-11-20.ndjson"), `${lines}${lines}not an event\n`);
  const result = await runCli(["audit", "-o", "json", "--store", dir]);
  assert.equal(result.code, 0, result.stderr);
  const report = auditReportSchema.parse(JSON.parse(result.stdout));
  assert.equal(report.summary.events, 2);
  assert.equal(report.summary.duplicates, 2);
  assert.equal(report.summary.malformed, 1);
  assert.deepEqual(report.findings.map((f) => f.rule).sort(), ["email", "ip-address", "ip-address", "parse-health"]);
});

test("--store with --since leaves the days before it unread", async () => {
  const dir = tmpDir();
  const { events } = await readLogs([fixture("email")]);
  const day = (date: string) => join(dir, `events-${date}.ndjson`);
  // An unreadable line in the old day's segment would show as a malformed line if that segment were read.
  writeFileSync(day("2025-11-18"), "not an event\n");
  writeFileSync(day("2025-11-20"), `${eventJson(events[0] as TelemetryEvent)}\n`);
  const result = await runCli(["audit", "-o", "json", "--store", dir, "--since", "2025-11-19T12:00:00Z"]);
  assert.equal(result.code, 0, result.stderr);
  const report = auditReportSchema.parse(JSON.parse(result.stdout));
  assert.equal(report.summary.malformed, 0);
  assert.equal(report.summary.events, 1);
  assert.deepEqual(report.inputs, [day("2025-11-20")]);
  const all = auditReportSchema.parse(JSON.parse((await runCli(["audit", "-o", "json", "--store", dir])).stdout));
  assert.equal(all.summary.malformed, 1);
  // A bound before year 0000 skips no day (it is no date a segment could be named after).
  const ancient = await runCli(["audit", "-o", "json", "--store", dir, "--since", "200000000d"]);
  assert.equal(ancient.code, 0, ancient.stderr);
  assert.equal(auditReportSchema.parse(JSON.parse(ancient.stdout)).inputs.length, 2);
});

/** An agent.config.json in a fresh directory whose one sink is the local store under ./data, plus `extra`. */
function storeConfig(extra: Record<string, unknown> = {}): { dir: string; config: string } {
  const dir = tmpDir();
  const config = join(dir, "agent.config.json");
  const agent = {
    dataDir: "./data",
    sources: { logs: { type: "file", include: ["./logs/*.log"] } },
    sinks: { store: { type: "file", inputs: ["logs"] } },
    ...extra,
  };
  writeFileSync(config, JSON.stringify(agent));
  return { dir, config };
}

test("--config: audit.policy and audit.failOn from agent.config.json, and its store when no PATH is named", async () => {
  const { dir, config } = storeConfig({ audit: { policy: { ticloud: "forbidden" }, failOn: "high" } });
  const named = await runCli(["audit", "-o", "json", "--config", config, fixture("email")]);
  assert.equal(named.code, 1, named.stderr);
  assert.ok(auditReportSchema.parse(JSON.parse(named.stdout)).findings.some((f) => f.rule === "telemetry-policy"));
  // --policy on the command line wins over the config's.
  const allowed = await runCli([
    "audit",
    "-o",
    "json",
    "--config",
    config,
    "--policy",
    "ticloud=allowed",
    fixture("jwt"),
  ]);
  assert.deepEqual(
    auditReportSchema.parse(JSON.parse(allowed.stdout)).findings.map((f) => f.rule),
    ["jwt"],
  );

  mkdirSync(join(dir, "data", "store"), { recursive: true });
  const { events } = await readLogs([fixture("email")]);
  writeFileSync(join(dir, "data", "store", "events-2025-11-20.ndjson"), `${JSON.stringify(events[0])}\n`);
  const fromStore = await runCli(["audit", "-o", "json", "--config", config]);
  const report = auditReportSchema.parse(JSON.parse(fromStore.stdout));
  assert.deepEqual(report.inputs, [join(dir, "data", "store", "events-2025-11-20.ndjson")]);
  assert.deepEqual(report.findings.map((f) => f.rule).sort(), ["email", "telemetry-policy"]);

  const badConfig = storeConfig({ audit: { policy: { ticloud: "nope" } } }).config;
  const bad = await runCli(["audit", "--config", badConfig, fixture("email")]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /audit\.policy\.ticloud/);
});

test("a store the config names but the daemon has not written yet is empty, not an error", async () => {
  const { config } = storeConfig();
  const result = await runCli(["audit", "-o", "json", "--fail-on", "low", "--config", config]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(auditReportSchema.parse(JSON.parse(result.stdout)).summary.events, 0);
});

test("-o text, md, sarif and html all render from the command line", async () => {
  for (const [format, marker] of [
    ["text", "Findings"],
    ["md", "# teletap audit report"],
    ["sarif", '"version": "2.1.0"'],
    ["html", "<!doctype html>"],
  ] as const) {
    const result = await runCli(["audit", "-o", format, fixture("email")]);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.stdout.includes(marker), format);
  }
});
