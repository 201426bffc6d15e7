import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { appendFileSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { startServer } from "../helpers/http-server.js";
import { CLI, REPO, runCli } from "../helpers/run-cli.js";
import { tmpDir } from "../helpers/tmp-dir.js";
import { waitUntil } from "../pipeline/pipeline-helpers.js";

const FIXTURE = join(REPO, "fixtures", "ticloud", "docs-body-array");
const expectedIds = () =>
  readFileSync(`${FIXTURE}.expected.jsonl`, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line).id as string);

/** `teletap run` with only a stdin source, the fixture piped in, into `sinks`. */
function runOnFixture(sinks: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const config = join(tmpDir(), "agent.config.json");
  writeFileSync(
    config,
    JSON.stringify({ sources: { in: { type: "stdin" } }, sinks, server: { enabled: false }, ...extra }),
  );
  return runCli(["run", "--config", config], { input: readFileSync(`${FIXTURE}.log`) });
}

function startDaemon(config: string) {
  const child = spawn(process.execPath, [CLI, "run", "--config", config], { stdio: "pipe" });
  const output = { stderr: "" };
  child.stderr.on("data", (chunk: Buffer) => {
    output.stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  return { child, output, exited };
}

describe("teletap run", () => {
  it("tails the configured files into the http sink and exits 0 on SIGTERM with checkpoints written", async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    const dir = tmpDir();
    mkdirSync(join(dir, "logs"));
    copyFileSync(`${FIXTURE}.log`, join(dir, "logs", "a.log"));
    writeFileSync(
      join(dir, "agent.config.json"),
      JSON.stringify({
        dataDir: "./data",
        sources: { logs: { type: "file", include: ["./logs/**/*.log"], readFrom: "beginning" } },
        sinks: {
          collector: {
            type: "http",
            inputs: ["logs"],
            url: `${server.url}/ingest`,
            encoding: "ndjson",
            batch: { maxWaitMs: 50 },
          },
        },
        server: { enabled: false },
      }),
    );
    const child = spawn(process.execPath, [CLI, "run", "--config", join(dir, "agent.config.json")], { stdio: "pipe" });
    t.after(() => child.kill("SIGKILL"));
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    const received = () =>
      server.requests.flatMap((request) =>
        request.body
          .split("\n")
          .filter(Boolean)
          .map((line) => JSON.parse(line).id as string),
      );
    const want = expectedIds();
    await waitUntil(() => received().length >= want.length, "the fixture's events");
    // A file appearing while the daemon runs is read from its first byte.
    appendFileSync(join(dir, "logs", "b.log"), readFileSync(`${FIXTURE}.log`));
    await waitUntil(() => received().length >= want.length * 2, "the new file's events");
    child.kill("SIGTERM");
    assert.equal(await exited, 0, stderr);
    await server.close();
    assert.deepEqual(received().sort(), [...want, ...want].sort());
    const checkpoint = JSON.parse(readFileSync(join(dir, "data", "checkpoints", "logs.json"), "utf8"));
    assert.equal(checkpoint.files.length, 2);
    assert.match(stderr, /"msg":"stopped"/);
  });

  it("after SIGHUP and after a restart, sends only what was not sent before", async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    const dir = tmpDir();
    mkdirSync(join(dir, "logs"));
    const log = join(dir, "logs", "a.log");
    copyFileSync(`${FIXTURE}.log`, log);
    const config = join(dir, "agent.config.json");
    const write = (maxWaitMs: number) =>
      writeFileSync(
        config,
        JSON.stringify({
          sources: { logs: { type: "file", include: ["./logs/*.log"], readFrom: "beginning" } },
          sinks: { collector: { type: "http", inputs: ["logs"], url: server.url, batch: { maxWaitMs } } },
          server: { enabled: false },
        }),
      );
    write(50);
    const received = () => server.requests.flatMap((request) => request.body.split("\n").filter(Boolean));
    const want = expectedIds().length;
    const first = startDaemon(config);
    t.after(() => first.child.kill("SIGKILL"));
    await waitUntil(() => received().length >= want, "the first copy");
    writeFileSync(config, "{ not json");
    first.child.kill("SIGHUP");
    await waitUntil(() => first.output.stderr.includes("reload refused"), "the refused reload");
    write(20);
    first.child.kill("SIGHUP");
    await waitUntil(() => first.output.stderr.includes("configuration reloaded"), "the reload");
    appendFileSync(log, readFileSync(`${FIXTURE}.log`));
    await waitUntil(() => received().length >= want * 2, "the appended copy");
    first.child.kill("SIGTERM");
    assert.equal(await first.exited, 0, first.output.stderr);

    appendFileSync(log, readFileSync(`${FIXTURE}.log`));
    const second = startDaemon(config);
    t.after(() => second.child.kill("SIGKILL"));
    await waitUntil(() => received().length >= want * 3, "the copy appended while stopped");
    second.child.kill("SIGTERM");
    assert.equal(await second.exited, 0, second.output.stderr);
    await server.close();
    const lines = received();
    assert.equal(lines.length, want * 3, "nothing sent twice across the reload and the restart");
    assert.deepEqual(
      new Set(
        lines.map((line) => {
          const event = JSON.parse(line);
          return `${event.source.offset}:${event.id}`;
        }),
      ).size,
      want * 3,
      "each sent event is a different (offset, event) pair",
    );
  });

  it("with only a stdin source, delivers what was piped in and exits 0 at its end", async () => {
    const result = await runOnFixture({ out: { type: "stdout", inputs: ["in"] } });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      result.stdout
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line).id),
      expectedIds(),
    );
  });

  it("says so on exit when piped events could only be spooled because the sink was down", async () => {
    const down = await startServer();
    await down.close();
    const result = await runOnFixture(
      { c: { type: "http", inputs: ["in"], url: down.url, batch: { maxWaitMs: 20 } } },
      { shutdownGraceMs: 500 },
    );
    assert.equal(result.code, 0, result.stderr);
    const warning = result.stderr
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line))
      .find((record) => /events wait in the spool/.test(record.msg));
    assert.ok(warning, result.stderr);
    assert.equal(warning.sink, "c");
    assert.equal(warning.events, expectedIds().length);
  });

  it("exits 1 with what and where when the host stops it from starting (a CA file that is not there)", async () => {
    const dir = tmpDir();
    const config = {
      sources: { in: { type: "stdin" } },
      sinks: { c: { type: "http", inputs: ["in"], url: "https://127.0.0.1:9/x", tls: { caFile: "./missing-ca.pem" } } },
      server: { enabled: false },
    };
    writeFileSync(join(dir, "agent.config.json"), JSON.stringify(config));
    const result = await runCli(["run", "--config", join(dir, "agent.config.json")], { input: "" });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /teletap: could not start: ENOENT[^\n]*missing-ca\.pem/);
    assert.doesNotMatch(result.stderr, /internal error/);
  });
});
