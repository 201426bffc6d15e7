import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import type { TelemetryEvent } from "../../src/events.js";
import { runCli } from "../helpers/run-cli.js";
import { tmpDir } from "../helpers/tmp-dir.js";

const MIXED = "fixtures/mixed/all-three-producers.log";
const TICLOUD = "fixtures/ticloud/released-event.log";

function ndjson(stdout: string): TelemetryEvent[] {
  return stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as TelemetryEvent);
}

test("a directory is walked recursively and every producer's events come out as NDJSON", async () => {
  const { code, stdout, stderr } = await runCli(["grep", "fixtures/"]);
  assert.equal(code, 0, stderr);
  const events = ndjson(stdout);
  const producers = new Set(events.map((e) => e.producer));
  assert.deepEqual([...producers].sort(), ["ticloud", "tispark", "tiup"]);
  assert.ok(events.length >= 40, `only ${events.length} events`);
  // Malformed lines in the fixtures are reported with file and line, and the run goes on.
  assert.match(stderr, /fixtures\/ticloud\/truncated-at-eof\.log:2: malformed ticloud telemetry line/);
});

test("the mixed log yields exactly its four events, with positions", async () => {
  const { code, stdout } = await runCli(["grep", MIXED]);
  assert.equal(code, 0);
  const events = ndjson(stdout);
  assert.deepEqual(
    events.map((e) => [e.producer, e.command, e.source.line]),
    [
      ["ticloud", "ticloud-serverless-branch-list", 102],
      ["tiup", "cluster display cluster_5d41402abc4b2a76b9719d911017c592", 253],
      ["tiup", "tiup cluster", 255],
      ["tispark", null, 406],
    ],
  );
  const bytes = readFileSync(MIXED);
  for (const event of events) {
    assert.equal(bytes.subarray(0, event.source.offset).toString().split("\n").length, event.source.line);
  }
});

test("quoted globs, .gz files detected by their bytes and stdin are all inputs", async () => {
  const dir = tmpDir();
  writeFileSync(join(dir, "rotated.1"), gzipSync(readFileSync(TICLOUD)));
  const glob = await runCli(["grep", "-c", "fixtures/tiup/v1.7-*.log"]);
  assert.equal(glob.code, 0);
  assert.match(glob.stdout, /total: ticloud=0 tiup=3 tispark=0 total=3/);
  const gz = await runCli(["grep", join(dir, "rotated.1")]);
  assert.equal(ndjson(gz.stdout).length, 3);
  const stdin = await runCli(["grep"], { input: readFileSync("fixtures/tispark/spark-default-layout.log") });
  const events = ndjson(stdin.stdout);
  assert.equal(events.length, 2);
  assert.equal(events[0]?.source.path, "-");
  const gzStdin = await runCli(["grep", "-"], { input: gzipSync(readFileSync(TICLOUD)) });
  assert.equal(ndjson(gzStdin.stdout).length, 3);
  // A .gz cut short: exit 2 with what is wrong in words, after what could be read.
  writeFileSync(join(dir, "cut.gz"), gzipSync(readFileSync(TICLOUD)).subarray(0, 200));
  const cut = await runCli(["grep", join(dir, "cut.gz")]);
  assert.equal(cut.code, 2);
  assert.match(cut.stderr, /cut\.gz: corrupt or cut-off gzip data \(unexpected end of file\)/);
});

test("json, table and raw outputs", async () => {
  const json = await runCli(["grep", "-o", "json", TICLOUD]);
  const array = JSON.parse(json.stdout) as TelemetryEvent[];
  assert.equal(array.length, 3);
  const empty = await runCli(["grep", "-o", "json", "fixtures/tiup/playground.log", "--producer", "ticloud"]);
  assert.deepEqual(JSON.parse(empty.stdout), []);
  const table = await runCli(["grep", "-o", "table", TICLOUD]);
  const rows = table.stdout.trimEnd().split("\n");
  assert.match(rows[0] ?? "", /^TIME\s+PRODUCER\s+RESULT\s+DURATION\s+VERSION\s+COMMAND\s+SOURCE$/);
  assert.match(
    rows[2] ?? "",
    /^2025-11-20T02:17:03\.500Z ticloud\s+error\s+97ms\s+1\.0\.0-beta\.7\s+ticloud-serverless-describe/,
  );
  assert.ok(!table.stdout.includes("\u001b["), "no colour when NO_COLOR is set");
  const mixed = await runCli(["grep", "-o", "table", MIXED]);
  const [header = "", ...lines] = mixed.stdout.trimEnd().split("\n");
  for (const line of lines) assert.equal(line.indexOf(MIXED), header.indexOf("SOURCE"), `fixed widths: ${line}`);
  assert.match(
    lines[3] ?? "",
    /^2022-11-16T07:02:11\.000Z tispark\s+-\s+-\s+3\.1\.1\s+\[spark 3\.2\.2, tidb v6\.1\.2\]\s+fixtures\//,
    "TiSpark sends no command: the row shows the Spark and TiDB its report names",
  );
  assert.ok(!mixed.stdout.includes("trkid_"), "TiSpark's track id does not pass for a command");
  const raw = await runCli(["grep", "-o", "raw", "fixtures/ticloud/docs-body-array.log"]);
  assert.equal(
    raw.stdout,
    readFileSync("fixtures/ticloud/docs-body-array.log", "utf8"),
    "one line holding two events prints once",
  );
});

test("filters: producer, time window and field equality, with dot paths into attributes", async () => {
  const producer = await runCli(["grep", "-p", "tispark", "fixtures/"]);
  assert.ok(ndjson(producer.stdout).every((e) => e.producer === "tispark"));
  const window = await runCli(["grep", "--since", "2025-11-20T02:16:00Z", "--until", "2025-11-21", TICLOUD]);
  assert.deepEqual(
    ndjson(window.stdout).map((e) => e.command),
    ["ticloud-serverless-describe"],
  );
  const where = await runCli([
    "grep",
    "--where",
    "result=error",
    "--where",
    "attributes.properties.installer=deb\n",
    TICLOUD,
  ]);
  assert.deepEqual(
    ndjson(where.stdout).map((e) => e.command),
    ["ticloud-serverless-describe"],
  );
  const flags = await runCli(["grep", "--where", "attributes.properties.flags=output", TICLOUD]);
  assert.deepEqual(
    ndjson(flags.stdout).map((e) => e.command),
    ["ticloud-serverless-list"],
  );
  const day = await runCli(["grep", "--since", "2025-11-20", "--until", "2025-11-20", TICLOUD]);
  assert.equal(ndjson(day.stdout).length, 2, "a date alone is the whole UTC day, as a start and as an end");
  const relative = await runCli(["grep", "--since", "1h", TICLOUD]);
  assert.equal(relative.code, 1, "events from 2025 are older than an hour");
});

test("--where reaches TiSpark configuration keys holding dots, quoted or written as is", async () => {
  // The docs' prototype sends "true" as a string, the released builds send false as a boolean: both compare as text.
  const logs = ["fixtures/tispark/docs-prototype.log", "fixtures/tispark/spark-default-layout.log"];
  const where = async (...conditions: string[]) => {
    const { code, stdout, stderr } = await runCli(["grep", ...conditions.flatMap((c) => ["--where", c]), ...logs]);
    assert.equal(code, 0, stderr);
    return ndjson(stdout).map((e) => `${e.source.path}:${e.source.line}`);
  };
  assert.deepEqual(await where("attributes.configuration.spark.sql.auth.enable=true"), [`${logs[0]}:1`]);
  assert.deepEqual(await where('attributes.configuration["spark.sql.auth.enable"]=false'), [
    `${logs[1]}:1`,
    `${logs[1]}:4`,
  ]);
  assert.deepEqual(
    await where("attributes.configuration['spark.sql.auth.enable']=false", "attributes.instance.spark_version=3.3.1"),
    [`${logs[1]}:4`],
  );

  const malformed = await runCli([
    "grep",
    "--where",
    'attributes.configuration["spark.sql.auth.enable"=true',
    "--where",
    "attributes..track_id=x",
    "-p",
    "spark",
    ...logs,
  ]);
  assert.equal(malformed.code, 2);
  assert.equal(malformed.stdout, "");
  assert.match(malformed.stderr, /--where: '.*': expected '\]' at character 49 to close the '\[' at character 25\n/);
  assert.match(malformed.stderr, /--where: 'attributes\.\.track_id=x': empty segment at character 12\n/);
  assert.match(malformed.stderr, /--producer: unknown producer 'spark'/);
});

test("--unique prints a TiUP report shown twice (text and JSON) once", async () => {
  const all = await runCli(["grep", "fixtures/tiup/v1.0-console-text-and-json.log"]);
  const unique = await runCli(["grep", "-u", "fixtures/tiup/v1.0-console-text-and-json.log"]);
  assert.equal(ndjson(all.stdout).length, 2);
  assert.equal(ndjson(unique.stdout).length, 1);
});

test("counts per producer and per file, and --stats on stderr", async () => {
  const { code, stdout, stderr } = await runCli(["grep", "-c", "--stats", TICLOUD, MIXED]);
  assert.equal(code, 0);
  assert.equal(
    stdout,
    `${TICLOUD}: ticloud=3 tiup=0 tispark=0 total=3\n${MIXED}: ticloud=1 tiup=2 tispark=1 total=4\ntotal: ticloud=4 tiup=2 tispark=1 total=7\n`,
  );
  assert.match(stderr, /lines scanned\s+611\b/);
  assert.match(stderr, /events\s+7 \(ticloud 4, tiup 2, tispark 1\)/);
  assert.match(stderr, /throughput\s+[\d.]+ MB\/s/);
});

test("exit status: 1 when nothing matches, 2 for usage errors and unreadable inputs while the rest is still printed", async () => {
  const none = await runCli(["grep", "README.md"]);
  assert.equal(none.code, 1);
  assert.equal(none.stdout, "");
  const usage = await runCli(["grep", "--output", "xml", "--since", "soon", "-p", "tidb", TICLOUD]);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--producer: unknown producer 'tidb'/);
  assert.match(usage.stderr, /--since: 'soon'/);
  assert.match(usage.stderr, /--output: expected one of/);
  const unknown = await runCli(["grep", "--frobnicate"]);
  assert.equal(unknown.code, 2);

  const dir = tmpDir();
  mkdirSync(join(dir, "logs"));
  copyFileSync(TICLOUD, join(dir, "logs", "a.log"));
  symlinkSync(join(dir, "gone.log"), join(dir, "logs", "dangling.log"));
  writeFileSync(join(dir, "logs", "corrupt.gz"), Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.alloc(64, 7)]));
  const mixed = await runCli(["grep", join(dir, "logs"), join(dir, "missing.log")]);
  assert.equal(mixed.code, 2);
  assert.equal(ndjson(mixed.stdout).length, 3, "the readable file's events are still printed");
  assert.match(mixed.stderr, /missing\.log: No such file or directory/);
  assert.match(mixed.stderr, /corrupt\.gz: /);
});

test("a closed pipe ends output quietly", async () => {
  const { code, stderr } = await runCli(["grep", "-q", "fixtures/"]);
  assert.equal(code, 0);
  assert.doesNotMatch(stderr, /malformed/, "-q prints nothing");
});
