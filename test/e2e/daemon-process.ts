import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { after } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { CLI } from "../helpers/run-cli.js";

/** Polls `condition` every 50 ms until it holds or `timeoutMs` passes; throws with `what` and `detail()` then. */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  options: { timeoutMs?: number; detail?: () => string } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${options.detail ? `: ${options.detail()}` : ""}`);
    }
    await sleep(50);
  }
}

/** A TCP port free right now on 127.0.0.1, for the daemon's metrics server. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/**
 * A test's daemon workspace: `<dir>/agent.config.json`, `<dir>/logs/`, `<dir>/data/`. `config(sinkUrl, extra)`
 * writes the issue's minimal config (file source over ./logs/**\/*.log from the beginning, an ndjson http sink)
 * with `extra` merged in per top-level key.
 */
export function workspace(dir: string) {
  const logs = join(dir, "logs");
  mkdirSync(logs, { recursive: true });
  return {
    dir,
    logs,
    data: join(dir, "data"),
    configPath: join(dir, "agent.config.json"),
    log: (name: string) => join(logs, name),
    config(
      sinkUrl: string,
      extra: { source?: object; sink?: object; top?: Record<string, unknown> } = {},
    ): Record<string, unknown> {
      const config = {
        dataDir: "./data",
        sources: { logs: { type: "file", include: ["./logs/**/*.log"], readFrom: "beginning", ...extra.source } },
        sinks: { collector: { type: "http", inputs: ["logs"], url: sinkUrl, encoding: "ndjson", ...extra.sink } },
        // Port 0 unless a test names one: test files run in parallel and the default port is one for all.
        server: { port: 0 },
        ...extra.top,
      };
      writeFileSync(join(dir, "agent.config.json"), `${JSON.stringify(config, null, 2)}\n`);
      return config;
    },
  };
}

/** A `teletap run` child process with its stderr kept for failure messages. */
export interface Daemon {
  child: ChildProcessWithoutNullStreams;
  stderr(): string;
  stdout(): string;
  /** Resolves with the exit code and signal once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` and waits for the exit; SIGKILL after `timeoutMs` so a hung daemon never hangs the test. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `node dist/main.js run --config <dir>/agent.config.json` in `dir`; killed when the test file ends. */
export function startDaemon(dir: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Daemon {
  const child = spawn(process.execPath, [CLI, "run", "--config", join(dir, "agent.config.json"), ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  return {
    child,
    stderr: () => Buffer.concat(err).toString("utf8"),
    stdout: () => Buffer.concat(out).toString("utf8"),
    exited,
    async stop(signal = "SIGTERM", timeoutMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** The last `lines` lines of a daemon's stderr, for assertion messages. */
export function tail(text: string, lines = 30): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/** The sum of a Prometheus metric's series (all labels) in a /metrics body; 0 when absent. */
export function metricSum(body: string, name: string): number {
  let sum = 0;
  for (const line of body.split("\n")) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      sum += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return sum;
}

/** GETs a daemon endpoint; resolves undefined while it is not listening yet. */
export async function get(url: string): Promise<{ status: number; body: string } | undefined> {
  try {
    const res = await fetch(url);
    return { status: res.status, body: await res.text() };
  } catch {
    return undefined;
  }
}

/** The daemon's error-level log lines (and any line that is not JSON): a clean run has none. */
export function errorLines(stderr: string): string[] {
  return stderr
    .split("\n")
    .filter((line) => line !== "")
    .filter((line) => {
      try {
        return (JSON.parse(line) as { level?: string }).level === "error";
      } catch {
        return true;
      }
    });
}
