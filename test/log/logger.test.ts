import assert from "node:assert/strict";
import { test } from "node:test";
import { createLogger } from "../../src/log/logger.js";
import { parseLogLevel } from "../../src/log/parse-log-level.js";

function capture() {
  const lines: string[] = [];
  return { lines, stream: { write: (chunk: string) => lines.push(chunk) } };
}

test("writes one JSON line with time, level, msg and the fields", () => {
  const { lines, stream } = capture();
  createLogger("info", stream).info("file opened", { path: "/var/log/a.log", inode: 12 });
  assert.equal(lines.length, 1);
  assert.ok(lines[0]?.endsWith("\n"));
  const record = JSON.parse(lines[0] ?? "");
  assert.equal(record.level, "info");
  assert.equal(record.msg, "file opened");
  assert.equal(record.path, "/var/log/a.log");
  assert.match(record.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
});

test("drops lines below the level", () => {
  const { lines, stream } = capture();
  const logger = createLogger("warn", stream);
  logger.debug("a");
  logger.info("b");
  logger.warn("c");
  logger.error("d");
  assert.deepEqual(
    lines.map((line) => JSON.parse(line).msg),
    ["c", "d"],
  );
  assert.equal(logger.isEnabled("info"), false);
});

test("child loggers add their fields and cannot overwrite the reserved keys", () => {
  const { lines, stream } = capture();
  createLogger("debug", stream).child({ component: "tail", level: "nope" }).debug("x", { msg: "y" });
  const record = JSON.parse(lines[0] ?? "");
  assert.equal(record.component, "tail");
  assert.equal(record.level, "debug");
  assert.equal(record.msg, "x");
});

test("errors are logged with message and cause, cyclic fields do not throw", () => {
  const { lines, stream } = capture();
  const logger = createLogger("info", stream);
  logger.error("send failed", { err: new Error("boom", { cause: new Error("root") }) });
  const record = JSON.parse(lines[0] ?? "");
  assert.equal(record.err.message, "boom");
  assert.equal(record.err.cause.message, "root");
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  logger.info("cyclic", { cyclic });
  assert.equal(JSON.parse(lines[1] ?? "").msg, "cyclic");
});

test("--log-level accepts the four levels in any case and rejects others", () => {
  assert.equal(parseLogLevel("DEBUG"), "debug");
  assert.equal(parseLogLevel(undefined, "warn"), "warn");
  assert.throws(() => parseLogLevel("verbose"), { code: "E_USAGE" });
});
