import { mkdir, open, readFile, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Runs `work` holding `<dead-letter file>.lock`, the one lock between the daemon's `compact-dead-letters` job and
 * `teletap replay`, two processes that both rewrite or move the file: compaction reads the file and renames its
 * rewrite over it, and a replay writing lines back in between would lose them. A lock file created with O_EXCL
 * holds the owner's pid, so one left by a process that died is taken over. Daemon appends need no lock (they
 * check where their lines landed). Resolves to null when the lock stayed held for `waitMs`.
 */
export async function withDeadLetterLock<T>(path: string, waitMs: number, work: () => Promise<T>): Promise<T | null> {
  const lock = `${path}.lock`;
  await mkdir(dirname(lock), { recursive: true });
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (await tryLock(lock)) break;
    if (Date.now() >= deadline) return null;
    await sleep(Math.min(25, Math.max(1, deadline - Date.now())));
  }
  try {
    return await work();
  } finally {
    await unlink(lock).catch(() => {});
  }
}

async function tryLock(lock: string): Promise<boolean> {
  try {
    const handle = await open(lock, "wx");
    try {
      await handle.writeFile(String(process.pid));
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const owner = Number(await readFile(lock, "utf8").catch(() => ""));
  // An empty file is a lock being written this instant: held. A pid that no longer runs left it behind.
  if (Number.isInteger(owner) && owner > 0 && !isRunning(owner)) await unlink(lock).catch(() => {});
  return false;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
