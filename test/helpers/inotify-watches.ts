import { readdirSync, readFileSync } from "node:fs";

/** How many inotify watches a process holds (Linux: `inotify wd:` lines in /proc/PID/fdinfo). */
export function inotifyWatches(pid: number | undefined): number {
  let watches = 0;
  for (const fd of readdirSync(`/proc/${pid}/fdinfo`)) {
    let info: string;
    try {
      info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, "utf8");
    } catch {
      // Closed since the listing (the listing's own descriptor among them).
      continue;
    }
    watches += info.split("\n").filter((line) => line.startsWith("inotify wd:")).length;
  }
  return watches;
}
