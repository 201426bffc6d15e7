// Why the tailer watches with fs.watch and not chokidar: the CPU each spends only to be told that files changed,
// under the daemon benchmark's write pattern, with and without 1,000 idle files in the same directory.
// Run: node bench/watch-cost.mjs [seconds]
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, watch } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { watch as chokidarWatch } from "chokidar";

const seconds = Number(process.argv[2] ?? 10);
const WRITES_PER_TICK = 25; // every 10 ms over 4 files: 2,500 appends/s

async function measure(kind, idleFiles) {
  const dir = mkdtempSync(join(tmpdir(), "teletap-watch-"));
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < idleFiles; i++) closeSync(openSync(join(dir, `idle-${i}.log`), "w"));
  let notifications = 0;
  let close;
  if (kind === "chokidar") {
    const watcher = chokidarWatch(dir, { ignoreInitial: true, alwaysStat: false, atomic: false });
    watcher.on("all", () => notifications++);
    await new Promise((resolve) => watcher.on("ready", resolve));
    close = () => watcher.close();
  } else {
    const watcher = watch(dir, () => notifications++);
    close = () => watcher.close();
  }
  const writer = spawn(process.execPath, [
    "-e",
    `const fs=require("fs");const fds=[0,1,2,3].map(i=>fs.openSync(${JSON.stringify(dir)}+"/f"+i+".log","a"));
     const line="x".repeat(700)+"\\n";let n=0;const t=setInterval(()=>{for(let k=0;k<${WRITES_PER_TICK};k++){fs.writeSync(fds[n%4],line);n++}},10);
     setTimeout(()=>{clearInterval(t);process.exit(0)},${seconds * 1000});`,
  ]);
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  await new Promise((resolve) => writer.on("exit", resolve));
  const cpu = process.cpuUsage(cpu0);
  const share = ((cpu.user + cpu.system) / 1000 / (Date.now() - t0)) * 100;
  await close();
  rmSync(dir, { recursive: true, force: true });
  return { kind, idleFiles, share, notifications };
}

console.log(`| watcher | idle files beside the 4 written | CPU, share of one core | notifications |`);
console.log(`|---|---|---|---|`);
for (const idle of [0, 1000]) {
  for (const kind of ["chokidar", "fs.watch"]) {
    const r = await measure(kind, idle);
    console.log(`| ${r.kind} | ${r.idleFiles} | ${r.share.toFixed(1)}% | ${r.notifications} |`);
  }
}
