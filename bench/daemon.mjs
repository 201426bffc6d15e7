// Daemon benchmark: 10,000 telemetry lines/s appended over 4 files into `teletap run` with an HTTP sink on
// 127.0.0.1, then a burst for the maximum sustained rate, then 1,000 idle watched files. Run by `npm run bench`
// (bench/run.mjs calls benchDaemon) or alone: `node bench/daemon.mjs` (after `npm run build`).
// Env: BENCH_SECONDS (30), BENCH_WARMUP_SECONDS (3), BENCH_RATE (10000), BENCH_FILES (4), BENCH_TICK_MS (10),
// BENCH_MAX_WAIT_MS (200), BENCH_MAX_EVENTS and BENCH_MAX_MEMORY_EVENTS (the sink's defaults), BENCH_BURST (200000),
// BENCH_IDLE_FILES (1000), BENCH_IDLE_SECONDS (30),
// BENCH_NODE_ARGS (node flags for the daemon, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { cpuWindow, openDescriptors, statusMiB } from "./daemon-proc.mjs";
import { startBenchSink } from "./daemon-sink.mjs";
import { daemonTable } from "./daemon-table.mjs";
import { startDaemon, telemetryLine, until, writeConfig } from "./daemon-workspace.mjs";

const env = (name, fallback) => Number(process.env[name] ?? fallback);

function defaults() {
  return {
    seconds: env("BENCH_SECONDS", 30),
    warmup: env("BENCH_WARMUP_SECONDS", 3),
    rate: env("BENCH_RATE", 10_000),
    files: env("BENCH_FILES", 4),
    // How often the writer appends (one write per file each time): 10 ms = 400 writes/s over 4 files.
    tickMs: env("BENCH_TICK_MS", 10),
    maxWaitMs: env("BENCH_MAX_WAIT_MS", 200),
    burst: env("BENCH_BURST", 200_000),
    idleFiles: env("BENCH_IDLE_FILES", 1_000),
    // 30 s: CPU time is counted in 10 ms ticks, and the window should hold the periodic work (a rescan every 10 s)
    // and V8's one-off idle-time heap reduction a few seconds after start-up (two ~20 ms GCs), not miss or be all of it.
    idleSeconds: env("BENCH_IDLE_SECONDS", 30),
    log: (message) => process.stderr.write(`bench daemon: ${message}\n`),
  };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Appends lines `from..to-1` round-robin over the descriptors, one write per file, stamping each line's time. */
function writeLines(fds, from, to, writtenAt) {
  const chunks = fds.map(() => []);
  for (let seq = from; seq < to; seq++) chunks[seq % fds.length].push(telemetryLine(seq));
  const now = performance.now();
  for (let seq = from; seq < to; seq++) writtenAt[seq] = now;
  fds.forEach((fd, i) => {
    if (chunks[i].length > 0) writeSync(fd, chunks[i].join(""));
  });
}

async function loadPhase(o, root) {
  const dir = join(root, "load");
  const capacity = 2 + Math.ceil(o.rate * (o.seconds + o.warmup) * 1.05) + o.burst + 10;
  const sink = await startBenchSink(capacity);
  const logs = writeConfig(dir, sink.url, o.maxWaitMs);
  const fds = Array.from({ length: o.files }, (_, i) => openSync(join(logs, `app-${i}.log`), "a"));
  const writtenAt = new Float64Array(capacity);
  const daemon = startDaemon(dir);
  try {
    // Seq 1 proves the daemon is up and delivering before anything is measured.
    writeLines(fds, 1, 2, writtenAt);
    if (!(await until(() => sink.counts[1] > 0, 30_000)))
      throw new Error(`daemon never delivered:\n${daemon.stderr()}`);
    o.log(`steady ${o.rate} events/s over ${o.files} files: ${o.warmup} s warm-up, then ${o.seconds} s measured`);
    let next = 2;
    const begin = performance.now();
    let start = Number.NaN;
    let measureFrom = 0;
    let cpu;
    // Warm-up (JIT, first checkpoint, connection pool) runs at the same rate but is left out of CPU and latency.
    while (performance.now() - begin < (o.warmup + o.seconds) * 1000) {
      if (cpu === undefined && performance.now() - begin >= o.warmup * 1000) {
        start = performance.now();
        measureFrom = next;
        cpu = cpuWindow(daemon.pid);
      }
      const due = 2 + Math.floor(((performance.now() - begin) / 1000) * o.rate);
      if (due > next) {
        writeLines(fds, next, due, writtenAt);
        next = due;
      }
      await new Promise((resolve) => setTimeout(resolve, o.tickMs));
      if (!daemon.running()) throw new Error(`daemon exited:\n${daemon.stderr()}`);
    }
    const cpuShare = cpu();
    const steadyEnd = next;
    await until(() => countDelivered(sink, 1, steadyEnd) === steadyEnd - 1, 30_000);
    const rssMiB = statusMiB(daemon.pid, "VmHWM");
    const latencies = [];
    let lost = 0;
    let duplicated = 0;
    for (let seq = 1; seq < steadyEnd; seq++) {
      if (sink.counts[seq] === 0) lost++;
      else {
        duplicated += sink.counts[seq] - 1;
        if (seq >= measureFrom) latencies.push(sink.arrivals[seq] - writtenAt[seq]);
      }
    }
    latencies.sort((a, b) => a - b);
    const slowSeconds = slowWindows(sink, writtenAt, start, measureFrom, steadyEnd);
    if (slowSeconds.length > 0)
      o.log(`seconds with p99 > 250 ms: ${slowSeconds.map((w) => `${w.second}s:${Math.round(w.p99)}ms`).join(" ")}`);

    o.log(`burst of ${o.burst} events as fast as the writer goes`);
    const burstStart = performance.now();
    for (let from = steadyEnd; from < steadyEnd + o.burst; from += 20_000) {
      writeLines(fds, from, Math.min(from + 20_000, steadyEnd + o.burst), writtenAt);
    }
    const burstEnd = steadyEnd + o.burst;
    const drained = await until(() => countDelivered(sink, steadyEnd, burstEnd) === o.burst, 180_000);
    const burstSeconds = (sink.state.lastArrival - burstStart) / 1000;
    const burstRssMiB = statusMiB(daemon.pid, "VmHWM");
    return {
      events: steadyEnd - 1,
      cpuShare,
      rssMiB,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? Number.NaN,
      lost,
      duplicated,
      slowSeconds: slowSeconds.length,
      maxRate: drained ? o.burst / burstSeconds : Number.NaN,
      burstRssMiB,
      exit: await daemon.stop(),
    };
  } finally {
    await daemon.stop();
    for (const fd of fds) closeSync(fd);
    await sink.close();
  }
}

/** The seconds of the steady phase whose lines' p99 latency exceeded 250 ms: periodic spikes point at a timer. */
function slowWindows(sink, writtenAt, start, from, end) {
  const bySecond = new Map();
  for (let seq = from; seq < end; seq++) {
    if (sink.counts[seq] === 0) continue;
    const second = Math.floor((writtenAt[seq] - start) / 1000);
    if (!bySecond.has(second)) bySecond.set(second, []);
    bySecond.get(second).push(sink.arrivals[seq] - writtenAt[seq]);
  }
  const slow = [];
  for (const [second, list] of bySecond) {
    list.sort((a, b) => a - b);
    const p99 = percentile(list, 99);
    if (p99 > 250) slow.push({ second, p99 });
  }
  return slow.sort((a, b) => a.second - b.second);
}

/** How many sequence numbers in [from, to) have arrived; a loop over a typed array, cheap at 300k. */
function countDelivered(sink, from, to) {
  let n = 0;
  for (let seq = from; seq < to; seq++) if (sink.counts[seq] > 0) n++;
  return n;
}

async function idlePhase(o, root) {
  const dir = join(root, "idle");
  const sink = await startBenchSink(4);
  const logs = writeConfig(dir, sink.url, o.maxWaitMs);
  for (let i = 0; i < o.idleFiles; i++)
    writeFileSync(
      join(logs, `idle-${i}.log`),
      `[2025/11/20 10:15:42.118 +08:00] [INFO] [main.go:1] ["started"] [n=${i}]\n`,
    );
  const daemon = startDaemon(dir);
  try {
    // A line in the last file proves discovery has reached all of them; then let start-up work settle.
    writeFileSync(join(logs, `idle-${o.idleFiles - 1}.log`), telemetryLine(1), { flag: "a" });
    if (!(await until(() => sink.counts[1] > 0, 60_000)))
      throw new Error(`idle daemon never delivered:\n${daemon.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    o.log(`idle with ${o.idleFiles} watched files for ${o.idleSeconds} s`);
    const cpu = cpuWindow(daemon.pid);
    await new Promise((resolve) => setTimeout(resolve, o.idleSeconds * 1000));
    return { idleCpu: cpu(), idleFds: openDescriptors(daemon.pid), idleRssMiB: statusMiB(daemon.pid, "VmRSS") };
  } finally {
    await daemon.stop();
    await sink.close();
  }
}

/** Runs the three phases and returns the figures and their markdown table. */
export async function benchDaemon(options = {}) {
  const o = { ...defaults(), ...options };
  const root = mkdtempSync(join(tmpdir(), "teletap-bench-daemon-"));
  try {
    const load = await loadPhase(o, root);
    const idle = await idlePhase(o, root);
    const figures = { ...load, ...idle };
    return { figures, markdown: daemonTable(figures, o) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { markdown } = await benchDaemon();
  process.stdout.write(markdown);
}
