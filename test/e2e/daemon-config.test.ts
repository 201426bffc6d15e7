import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../helpers/run-cli.js";
import { tmpDir } from "../helpers/tmp-dir.js";
import { Collector } from "./daemon-collector.js";
import { SequenceLog } from "./daemon-lines.js";
import { freePort, get, workspace } from "./daemon-process.js";

test("a bad config exits 2 listing every error with its path, and starts nothing", async () => {
  const dir = tmpDir();
  const port = await freePort();
  const config = {
    dataDir: "./data",
    sources: { logs: { type: "file", include: ["./logs/**/*.log"], readFrom: "middle" } },
    sinks: {
      collector: {
        type: "http",
        inputs: ["logs", "nowhere"],
        url: "not a url",
        batch: { maxEvents: -5 },
        colour: "blue",
      },
    },
    schedule: [{ id: "flush", cron: "61 * * * *", job: "flush-checkpoints" }],
    server: { port, host: "127.0.0.1", bogus: true },
  };
  writeFileSync(join(dir, "agent.config.json"), JSON.stringify(config));
  const result = await runCli(["run", "--config", join(dir, "agent.config.json")], { cwd: dir, timeoutMs: 15_000 });
  assert.equal(result.code, 2, `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
  for (const path of [
    "sources.logs.readFrom",
    "sinks.collector.url",
    "sinks.collector.batch.maxEvents",
    "sinks.collector",
    "schedule[0].cron",
    "server",
  ]) {
    assert.ok(
      result.stderr.includes(path) || result.stderr.includes(path.replace("[0]", ".0")),
      `no error at ${path}:\n${result.stderr}`,
    );
  }
  assert.match(result.stderr, /colour/);
  assert.match(result.stderr, /bogus/);
  assert.match(result.stderr, /nowhere/, "an input naming no source is reported too");
  assert.equal(await get(`http://127.0.0.1:${port}/health`), undefined, "no server was started");
});

test("a config that is not JSON, or missing, exits 2", async () => {
  const dir = tmpDir();
  writeFileSync(join(dir, "agent.config.json"), "{ dataDir: ");
  const bad = await runCli(["run", "--config", join(dir, "agent.config.json")], { cwd: dir });
  assert.equal(bad.code, 2, bad.stderr);
  const missing = await runCli(["run", "--config", join(dir, "nope.json")], { cwd: dir });
  assert.equal(missing.code, 2, missing.stderr);
  assert.match(missing.stderr, /nope\.json/);
});

test("an unknown --log-level is a usage error", async () => {
  const dir = tmpDir();
  const result = await runCli(["run", "--config", join(dir, "agent.config.json"), "--log-level", "loud"], { cwd: dir });
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /log-level/);
});

test("a metrics port already in use exits 2 before anything is read or sent", async (t) => {
  const ws = workspace(tmpDir());
  const collector = await Collector.start();
  t.after(() => collector.close());
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise<void>((resolve) => busy.close(() => resolve())));
  const port = (busy.address() as AddressInfo).port;
  ws.config(collector.url, { sink: { batch: { maxWaitMs: 50 } }, top: { server: { port } } });
  new SequenceLog().append(ws.log("a.log"), 5);
  const result = await runCli(["run", "--config", ws.configPath], { cwd: ws.dir, timeoutMs: 10_000 });
  assert.equal(result.code, 2, `code ${result.code} signal ${result.signal}; stderr:\n${result.stderr}`);
  assert.match(result.stderr, /EADDRINUSE|in use/);
  assert.equal(collector.requests.length, 0, "nothing was sent");
});
