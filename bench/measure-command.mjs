// Wall time and peak RSS of one command, its stdout sent where the caller says (a file, or /dev/null).
import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, readSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const GNU_TIME = "/usr/bin/time";

/** Reads the whole file once so every timed run starts from a warm page cache. */
export function warmPageCache(path) {
  const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
  const fd = openSync(path, "r");
  while (readSync(fd, buffer, 0, buffer.length, null) > 0);
  closeSync(fd);
}

function vmHwmKiB(pid) {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Runs argv once; resolves { seconds, cpuSeconds, rssMiB, status }. Peak RSS and CPU time (user + system, all
 * threads) come from GNU time when it is installed, else from VmHWM polled every 5 ms (a process living less than
 * that may then report 0) and no CPU time. CPU time is the steadier figure on a machine shared with other work.
 */
export function measure(argv, { stdout = "/dev/null" } = {}) {
  const rssFile = join(tmpdir(), `teletap-bench-rss-${process.pid}`);
  const useTime = existsSync(GNU_TIME);
  const command = useTime ? [GNU_TIME, "-f", "%M %U %S", "-o", rssFile, ...argv] : argv;
  const out = openSync(stdout, "w");
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command[0], command.slice(1), { stdio: ["ignore", out, "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    let peak = 0;
    const poll = useTime ? null : setInterval(() => (peak = Math.max(peak, vmHwmKiB(child.pid))), 5);
    child.on("error", reject);
    child.on("close", (status) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (poll) clearInterval(poll);
      closeSync(out);
      let cpuSeconds = Number.NaN;
      if (useTime) {
        const [rss, user, system] = (readFileSync(rssFile, "utf8").trim().split("\n").pop() ?? "").split(" ");
        peak = Number(rss);
        cpuSeconds = Number(user) + Number(system);
        rmSync(rssFile, { force: true });
      }
      resolve({ seconds, cpuSeconds, rssMiB: peak / 1024, status, stderr });
    });
  });
}

/** The fastest of `runs` runs (and the least CPU time, the largest RSS seen), after warming the cache of `input`. */
export async function bestOf(runs, argv, options = {}) {
  let best = null;
  let rssMiB = 0;
  let cpuSeconds = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    if (options.input) warmPageCache(options.input);
    const result = await measure(argv, options);
    rssMiB = Math.max(rssMiB, result.rssMiB);
    cpuSeconds = Math.min(cpuSeconds, result.cpuSeconds);
    if (best === null || result.seconds < best.seconds) best = result;
  }
  return { ...best, rssMiB, cpuSeconds };
}
