import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { TelemetryEvent } from "../../src/events.js";
import { inotifyWatches } from "../helpers/inotify-watches.js";
import { CLI, runCli } from "../helpers/run-cli.js";
import { range, seqOf, ticloudLines } from "../helpers/telemetry-lines.js";
import { tmpDir } from "../helpers/tmp-dir.js";
import { powershellLines, utf16, utf16File } from "../helpers/utf16.js";

/** Polls until `ready()` holds; the deadline is generous because this waits on a real child process. */
async function waitFor(ready: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface Stopped {
  code: number | null;
  stderr: string;
}

/** `teletap grep --follow -o ndjson [ARGS] OPERAND` as a child (in `cwd`): the lines printed so far, and a SIGTERM that waits for its exit. */
function followGrep(operand: string, cwd?: string, args: string[] = []) {
  const child = spawn(process.execPath, [CLI, "grep", "--follow", "-o", "ndjson", ...args, operand], {
    stdio: ["ignore", "pipe", "pipe"],
    cwd,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  return {
    pid: child.pid,
    printed: () => stdout.split("\n").filter((line) => line !== ""),
    /** Sends SIGTERM and resolves with the exit status and everything written to stderr. */
    async stop(): Promise<Stopped> {
      child.kill("SIGTERM");
      return { code: await exited, stderr };
    },
  };
}

test("grep --follow prints what a file holds, then what is appended, across a rename rotation, once each", async () => {
  const dir = tmpDir();
  const log = join(dir, "ticloud.log");
  writeFileSync(log, ticloudLines(0, 5));
  const follow = followGrep(dir);
  let stopped: Stopped;
  const seqs = () => follow.printed().map((line) => seqOf(JSON.parse(line) as TelemetryEvent));
  try {
    await waitFor(() => seqs().length >= 5, "the existing events");
    assert.ok(inotifyWatches(follow.pid) > 0, "the native mode watches the directory with inotify");
    appendFileSync(log, ticloudLines(5, 5));
    await waitFor(() => seqs().length >= 10, "appended events");
    renameSync(log, `${log}.1`);
    appendFileSync(`${log}.1`, ticloudLines(10, 2));
    writeFileSync(log, ticloudLines(12, 3));
    await waitFor(() => seqs().length >= 15, "events after rotation");
  } finally {
    stopped = await follow.stop();
  }
  const { code, stderr } = stopped;
  assert.equal(code, 0, stderr);
  assert.deepEqual(
    [...seqs()].sort((a, b) => a - b),
    range(0, 15),
  );
});

test("grep --follow prints a PowerShell (UTF-16) capture and what is appended to it as grep prints the file", async () => {
  const dir = tmpDir();
  const log = join(dir, "powershell.log");
  writeFileSync(log, utf16File(powershellLines(0, 5), "utf-16le"));
  const follow = followGrep(dir);
  let stopped: Stopped;
  const printed = follow.printed;
  try {
    await waitFor(() => printed().length >= 5, "the existing events");
    const more = utf16(powershellLines(5, 5), "utf-16le");
    // Ends inside a code unit: the rest comes with the next write.
    appendFileSync(log, more.subarray(0, 333));
    await new Promise((resolve) => setTimeout(resolve, 200));
    appendFileSync(log, more.subarray(333));
    await waitFor(() => printed().length >= 10, "appended events");
  } finally {
    stopped = await follow.stop();
  }
  const { code, stderr } = stopped;
  assert.equal(code, 0, stderr);
  assert.equal(stderr, "");
  const grep = await runCli(["grep", "-o", "ndjson", dir]);
  assert.deepEqual(
    printed(),
    grep.stdout.split("\n").filter((line) => line !== ""),
  );
});

test("grep --follow names files as plain grep does: a relative operand gives relative paths", async () => {
  const dir = tmpDir();
  mkdirSync(join(dir, "logs"));
  writeFileSync(join(dir, "logs", "ticloud.log"), ticloudLines(0, 3));
  const follow = followGrep("logs", dir);
  let stopped: Stopped;
  try {
    await waitFor(() => follow.printed().length >= 3, "the existing events");
  } finally {
    stopped = await follow.stop();
  }
  assert.equal(stopped.code, 0, stopped.stderr);
  const plain = await runCli(["grep", "-o", "ndjson", "logs"], { cwd: dir });
  assert.deepEqual(
    follow.printed(),
    plain.stdout.split("\n").filter((line) => line !== ""),
  );
  assert.equal((JSON.parse(follow.printed()[0] ?? "{}") as TelemetryEvent).source.path, join("logs", "ticloud.log"));
});

test("grep --follow ends when the reader of its output goes away (| head -1)", async () => {
  const dir = tmpDir();
  writeFileSync(join(dir, "ticloud.log"), ticloudLines(0, 3));
  const child = spawn(process.execPath, [CLI, "grep", "-f", dir], { stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  const first = await new Promise<string>((resolve) =>
    child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString())),
  );
  assert.match(first, /seq-0/);
  child.stdout.destroy();
  // More output makes the closed pipe show (EPIPE), as it does for `head` exiting.
  for (let i = 0; i < 20 && child.exitCode === null; i++) {
    appendFileSync(join(dir, "ticloud.log"), ticloudLines(3 + i, 1));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const stillRunning = setTimeout(() => child.kill("SIGKILL"), 10_000);
  const code = await exited;
  clearTimeout(stillRunning);
  assert.equal(code, 0, "it ended by itself, not by the test's SIGKILL");
});

test("grep --follow -q exits 0 at the first event, as grep -q stops at its first match", async () => {
  const dir = tmpDir();
  writeFileSync(join(dir, "ticloud.log"), ticloudLines(0, 3));
  const child = spawn(process.execPath, [CLI, "grep", "-f", "-q", dir], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  const stillRunning = setTimeout(() => child.kill("SIGKILL"), 15_000);
  const code = await exited;
  clearTimeout(stillRunning);
  assert.equal(code, 0, "it ended by itself, not by the test's SIGKILL");
  assert.equal(stdout, "");
});

test("grep --follow refuses stdin, counts and --stats, with exit status 2", async () => {
  const child = spawn(process.execPath, [CLI, "grep", "-f", "-c", "x.log"], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  assert.equal(code, 2);
  assert.match(stderr, /--follow and --count/);
  const stats = await runCli(["grep", "-f", "--stats", "x.log"]);
  assert.equal(stats.code, 2);
  assert.match(stats.stderr, /--follow and --stats/);
  const poll = await runCli(["grep", "--poll", "100", "x.log"]);
  assert.equal(poll.code, 2);
  assert.match(poll.stderr, /--poll goes with --follow/);
  const badPoll = await runCli(["grep", "-f", "--poll", "soon", "x.log"]);
  assert.equal(badPoll.code, 2);
  assert.match(badPoll.stderr, /--poll: expected a positive number of milliseconds/);
});

test("grep --follow --poll notices appends and new files by polling alone", async () => {
  const dir = tmpDir();
  writeFileSync(join(dir, "a.log"), ticloudLines(0, 3));
  // Polling replaces the change notifications, and the periodic rescan never reads appends: only the poll can
  // show these lines within the wait.
  const follow = followGrep(dir, undefined, ["--poll", "50"]);
  const seqs = () => follow.printed().map((line) => seqOf(JSON.parse(line) as TelemetryEvent));
  let stopped: Stopped;
  try {
    await waitFor(() => seqs().length >= 3, "the existing events");
    assert.equal(inotifyWatches(follow.pid), 0, "polling holds no inotify watch");
    appendFileSync(join(dir, "a.log"), ticloudLines(3, 3));
    writeFileSync(join(dir, "b.log"), ticloudLines(6, 2));
    await waitFor(() => seqs().length >= 8, "the appended and new events", 8_000);
  } finally {
    stopped = await follow.stop();
  }
  assert.deepEqual(
    seqs().sort((a, b) => a - b),
    range(0, 8),
  );
  assert.equal(stopped.code, 0, stopped.stderr);
});
