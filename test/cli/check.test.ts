import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runCli } from "../helpers/run-cli.js";
import { tmpDir } from "../helpers/tmp-dir.js";

function writeConfig(config: unknown): string {
  const path = join(tmpDir(), "agent.config.json");
  writeFileSync(path, typeof config === "string" ? config : JSON.stringify(config, null, 2));
  return path;
}

describe("teletap check", () => {
  it("prints what run would start and exits 0 for the minimum config", async () => {
    const path = writeConfig({
      dataDir: "./data",
      sources: { logs: { type: "file", include: ["./logs/**/*.log"], readFrom: "beginning" } },
      sinks: { collector: { type: "http", inputs: ["logs"], url: "http://127.0.0.1:8080/ingest", encoding: "ndjson" } },
    });
    const result = await runCli(["check", "--config", path]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /logs {2}file {2}\.\/logs\/\*\*\/\*\.log \(first start: beginning\)/);
    assert.match(result.stdout, /collector {2}http {2}<- logs {2}POST ndjson to http:\/\/127\.0\.0\.1:8080\/ingest/);
    assert.match(result.stdout, /config ok/);
  });

  it("says when a source polls, and rejects a watch mode it does not know at its path", async () => {
    const sinks = { store: { type: "file", inputs: ["nfs"] } };
    const polled = writeConfig({
      sources: { nfs: { type: "file", include: ["/mnt/nfs/*.log"], watch: "poll", pollIntervalMs: 250 } },
      sinks,
    });
    const result = await runCli(["check", "--config", polled]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /nfs {2}file {2}\/mnt\/nfs\/\*\.log \(first start: end, polled every 250 ms\)/);
    const unknown = writeConfig({
      sources: { nfs: { type: "file", include: ["/mnt/nfs/*.log"], watch: "inotify" } },
      sinks,
    });
    const rejected = await runCli(["check", "--config", unknown]);
    assert.equal(rejected.code, 2);
    assert.match(rejected.stderr, /sources\.nfs\.watch: /);
  });

  it("lists every job run would schedule, the one audit.schedule stands for included", async () => {
    const path = writeConfig({
      sources: { logs: { type: "file", include: ["./logs/*.log"] } },
      sinks: { store: { type: "file", inputs: ["logs"] } },
      schedule: [{ id: "spool", cron: "*/10 * * * *", job: "compact-spool" }],
      audit: { schedule: "0 6 * * *" },
    });
    const result = await runCli(["check", "--config", path]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /schedule spool: compact-spool at '\*\/10 \* \* \* \*'/);
    assert.match(result.stdout, /schedule audit: audit-report at '0 6 \* \* \*'/);
  });

  it("exits 2 and reports every error with its path at once", async () => {
    const path = writeConfig({
      sources: { logs: { type: "file", include: ["x.log"], readFrom: "sideways" } },
      sinks: {
        collector: {
          type: "http",
          inputs: ["missing"],
          url: "http://h/",
          batch: { maxEvents: -1 },
          auth: { strategy: "bearer", token: `$${"{"}CHECK_TEST_UNSET_TOKEN}` },
        },
        out: { type: "carrier-pigeon", inputs: ["logs"] },
      },
      server: { port: 70000 },
    });
    const result = await runCli(["check", "--config", path], { env: { CHECK_TEST_UNSET_TOKEN: "" } });
    assert.equal(result.code, 2);
    const expected = [
      "sources.logs.readFrom:",
      "sinks.collector.batch.maxEvents: expected a positive integer",
      "sinks.collector.inputs[0]: unknown source 'missing'",
      "sinks.collector.auth.token: environment variable CHECK_TEST_UNSET_TOKEN is not set",
      "sinks.out.type: expected type to be one of http, otlp, file, stdout",
      "server.port:",
    ];
    for (const text of expected) assert.ok(result.stderr.includes(text), `missing "${text}" in:\n${result.stderr}`);
    assert.match(result.stderr, /6 problems/);
    assert.equal(result.stdout, "");
  });

  it("exits 2 for a missing config file, and run exits 2 for a bad config without starting", async () => {
    const missing = await runCli(["check", "--config", join(tmpDir(), "none.json")]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file/);
    const dir = tmpDir();
    const path = join(dir, "agent.config.json");
    writeFileSync(path, JSON.stringify({ sources: {}, sinks: {} }));
    const run = await runCli(["run", "--config", path]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /sources: expected at least one source/);
    assert.match(run.stderr, /sinks: expected at least one sink/);
  });
});
