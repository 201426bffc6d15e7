import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { agentConfigJsonSchema } from "../../src/config/agent-config-schema.js";
import { formatIssue } from "../../src/config/config-issue.js";
import { loadConfig, parseConfig } from "../../src/config/load-config.js";
import { REPO } from "../helpers/run-cli.js";
import { tmpDir } from "../helpers/tmp-dir.js";

const MINIMUM = `{ "dataDir": "./data",
  "sources": { "logs": { "type": "file", "include": ["./logs/**/*.log"], "readFrom": "beginning" } },
  "sinks": { "collector": { "type": "http", "inputs": ["logs"], "url": "http://127.0.0.1:8080/ingest",
                            "encoding": "ndjson" } } }`;

/** `${NAME}` written without tripping the template-literal lint. */
const ref = (name: string) => `$${"{"}${name}}`;

function errorsOf(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  const result = parseConfig(text, "/etc/teletap/agent.config.json", env);
  assert.equal(result.ok, false, "expected the config to be refused");
  return result.ok ? [] : result.errors.map(formatIssue);
}

describe("loadConfig", () => {
  it("accepts the minimum config exactly as written and fills in defaults", () => {
    const result = parseConfig(MINIMUM, "/etc/teletap/agent.config.json");
    assert.ok(result.ok, JSON.stringify(result));
    const { config, dataDir, configDir } = result.loaded;
    assert.equal(configDir, "/etc/teletap");
    assert.equal(dataDir, "/etc/teletap/data", "dataDir is relative to the config file");
    const sink = config.sinks.collector;
    assert.equal(sink?.type, "http");
    assert.equal(sink?.type === "http" && sink.encoding, "ndjson");
    assert.deepEqual(sink?.batch, { maxEvents: 200, maxBytes: 1024 * 1024, maxWaitMs: 1000 });
    assert.equal(sink?.type === "http" && sink.tls.verify, true, "TLS is verified by default");
    assert.equal(config.server.host, "127.0.0.1");
    assert.deepEqual(result.warnings, []);
  });

  it("reports every problem at once, each with its path", () => {
    const errors = errorsOf(`{
      "sources": { "logs": { "type": "file", "include": [] }, "pipe": { "type": "kafka" } },
      "sinks": {
        "collector": { "type": "http", "inputs": ["logs", "nope"], "url": "ftp://x", "batch": { "maxEvents": 0 }, "colour": 1 },
        "cn": { "type": "stdout", "inputs": ["logs"] }
      },
      "routes": {
        "split": { "when": { "field": "attributes.region", "matches": "(" }, "sinks": ["cn", "eu"] },
        "auth": { "when": [{ "field": "attributes.configuration[\\"spark.sql", "exists": true }], "sinks": ["cn"] }
      },
      "typo": true
    }`);
    const expected = [
      "sources.logs.include: Too small: expected array to have >=1 items",
      "sources.pipe.type: expected type to be one of file, stdin",
      "sinks.collector.batch.maxEvents: expected a positive integer",
      "sinks.collector.url: expected an http:// or https:// URL",
      "sinks.collector.colour: unknown key",
      "sinks.collector.inputs[1]: unknown source 'nope' (sources: 'logs', 'pipe')",
      "routes.split.sinks[1]: unknown sink 'eu' (sinks: 'collector', 'cn')",
      "routes.auth.when[0].field: invalid field path: unclosed quote at character 26",
      "typo: unknown key",
    ];
    for (const line of expected) assert.ok(errors.includes(line), `missing "${line}" in:\n${errors.join("\n")}`);
    assert.ok(errors.some((line) => line.startsWith("routes.split.when.matches: invalid regular expression")));
  });

  it("reports ids used twice, which JSON.parse would silently merge", () => {
    const errors = errorsOf(`{ "sources": { "a": { "type": "stdin" } },
      "sinks": { "out": { "type": "stdout", "inputs": ["a"] }, "out": { "type": "stdout", "inputs": ["a"] },
                 "a": { "type": "stdout", "inputs": ["a"] } } }`);
    assert.ok(errors.includes("sinks.out: duplicate key 'out'; ids must be unique"), errors.join("\n"));
    assert.ok(errors.includes("sinks.a: id 'a' is also a source id; ids must be unique"), errors.join("\n"));
  });

  it("interpolates environment variable references and reports each missing variable at its path", () => {
    const text = `{ "sources": { "in": { "type": "stdin" } },
      "sinks": { "c": { "type": "http", "inputs": ["in"], "url": "\${SCHEME:-https}://\${HOST}/ingest",
                        "auth": { "strategy": "bearer", "token": "\${TOKEN}" }, "headers": { "x-literal": "$\${HOST}" } } } }`;
    const ok = parseConfig(text, "/x/agent.config.json", { HOST: "collector.example", TOKEN: "s3cr3t" });
    assert.ok(ok.ok, JSON.stringify(ok));
    const sink = ok.loaded.config.sinks.c;
    assert.ok(sink?.type === "http");
    assert.equal(sink.url, "https://collector.example/ingest");
    assert.deepEqual(sink.auth, { strategy: "bearer", token: "s3cr3t" });
    assert.equal(sink.headers["x-literal"], ref("HOST"), "a doubled $ keeps the reference literal");
    const errors = errorsOf(text, { HOST: "h" });
    assert.ok(
      errors.includes(`sinks.c.auth.token: environment variable TOKEN is not set (${ref("TOKEN")})`),
      errors.join("\n"),
    );
  });

  it("reports a JSON syntax error with its line and a missing file by name", async () => {
    const errors = errorsOf('{\n  "sources": {,\n}');
    assert.match(errors[0] ?? "", /^\(file\): invalid JSON at line 2, column \d+/);
    const missing = await loadConfig(join(tmpDir(), "nope.json"));
    assert.equal(missing.ok, false);
    assert.match(missing.ok ? "" : (missing.errors[0]?.message ?? ""), /no such file/);
  });

  it("warns about a source no sink reads and about disabled TLS verification", () => {
    const result = parseConfig(
      `{ "sources": { "a": { "type": "stdin" }, "b": { "type": "file", "include": ["x.log"] } },
         "sinks": { "s": { "type": "http", "inputs": ["a"], "url": "https://h/", "tls": { "verify": false } } } }`,
      "/x/c.json",
    );
    assert.ok(result.ok);
    assert.deepEqual(result.warnings.map(formatIssue), [
      "sources.b: no sink reads this source; its events are discarded",
      "sinks.s.tls.verify: TLS certificates are not verified",
    ]);
  });

  it("documents every field in the JSON Schema", () => {
    const undocumented: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (node === null || typeof node !== "object") return;
      const schema = node as Record<string, unknown>;
      for (const [key, child] of Object.entries((schema.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        if (!("description" in child) && !("anyOf" in child) && !("oneOf" in child))
          undocumented.push(`${path}.${key}`);
        walk(child, `${path}.${key}`);
      }
      for (const key of ["items", "additionalProperties"]) walk(schema[key], `${path}[]`);
      for (const key of ["anyOf", "oneOf", "allOf"]) {
        for (const option of (schema[key] ?? []) as unknown[]) walk(option, path);
      }
    };
    walk(agentConfigJsonSchema(), "");
    assert.deepEqual(undocumented, []);
  });

  it("ships an agent.config.json that is valid and writes into the local store", async () => {
    const shipped = JSON.parse(readFileSync(join(REPO, "agent.config.json"), "utf8"));
    const dir = tmpDir();
    const path = join(dir, "agent.config.json");
    writeFileSync(path, JSON.stringify(shipped));
    const result = await loadConfig(path);
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(
      Object.values(result.loaded.config.sinks).map((sink) => sink.type),
      ["file"],
    );
  });
});
