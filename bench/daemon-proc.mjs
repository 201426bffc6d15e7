// Reads a process's CPU time, peak RSS and open descriptors from /proc (Linux only, as the targets are).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

let ticksPerSecond;

/** Clock ticks per second of utime/stime (USER_HZ), 100 on every common Linux. */
function clockTicks() {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU seconds (user + system) the process has used so far. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / clockTicks();
}

/** A `kB` field of /proc/<pid>/status in MiB (VmHWM: peak RSS, VmRSS: current). */
export function statusMiB(pid, field) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

export function openDescriptors(pid) {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** Measures a process's CPU share of one core over a window: call `start()`, then `stop()` for the share. */
export function cpuWindow(pid) {
  const wall0 = performance.now();
  const cpu0 = cpuSeconds(pid);
  return () => (cpuSeconds(pid) - cpu0) / ((performance.now() - wall0) / 1000);
}
