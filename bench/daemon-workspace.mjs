// A daemon benchmark workspace: config, log files, the `teletap run` child and its telemetry lines.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../dist/main.js", import.meta.url));

/** The same ticloud debug line the e2e tests write; `seq-<N>` in the command is the oracle's key. */
export function telemetryLine(seq) {
  const event = {
    timestamp: "2025-11-20T10:15:42.118+08:00",
    source: "ticloud",
    properties: { command: `seq-${seq}`, result: "SUCCESS" },
  };
  return `[2025/11/20 10:15:42.118 +08:00] [DEBUG] [sender.go:47] ["sending telemetry events"] [event=${JSON.stringify(JSON.stringify(event))}]\n`;
}

/** `{ [key]: number }` when the environment variable is set, else nothing: the sink's default applies. */
function optional(key, variable) {
  return process.env[variable] ? { [key]: Number(process.env[variable]) } : {};
}

/** Writes `<dir>/agent.config.json` tailing `<dir>/logs/*.log` into an ndjson http sink at `url`. */
export function writeConfig(dir, url, maxWaitMs) {
  mkdirSync(join(dir, "logs"), { recursive: true });
  const config = {
    dataDir: "./data",
    sources: { logs: { type: "file", include: ["./logs/*.log"], readFrom: "beginning" } },
    sinks: {
      bench: {
        type: "http",
        inputs: ["logs"],
        url,
        encoding: "ndjson",
        batch: { maxWaitMs, ...optional("maxEvents", "BENCH_MAX_EVENTS") },
        buffer: optional("maxMemoryEvents", "BENCH_MAX_MEMORY_EVENTS"),
      },
    },
    // Port 0: a free port, so a bench never collides with a daemon already running on the host.
    server: { port: 0 },
  };
  writeFileSync(join(dir, "agent.config.json"), JSON.stringify(config, null, 2));
  return join(dir, "logs");
}

/** Spawns `teletap run` in `dir`, keeping the last 64 KiB of its stderr for error messages. */
export function startDaemon(dir) {
  if (!existsSync(CLI)) throw new Error(`${CLI} not found: run npm run build first`);
  // BENCH_NODE_ARGS passes flags to the daemon's node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter((arg) => arg !== "");
  const args = [...nodeArgs, CLI, "run", "--config", join(dir, "agent.config.json"), "--log-level", "warn"];
  const child = spawn(process.execPath, args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-65_536);
  });
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return {
    pid: child.pid,
    stderr: () => stderr,
    exited,
    running: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** Polls every 20 ms until `condition()` or `timeoutMs`; resolves whether it held. */
export async function until(condition, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}
