import { type FSWatcher, watch } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { FSWatcher as PollingWatcher } from "chokidar";
import picomatch from "picomatch";

/** What a watch event says about a path: its content changed, or a name appeared, moved or vanished. */
export type PathEvent = "change" | "rename";

/** Where discovery looks, built from the include and exclude globs of one source. */
export interface DiscoveryOptions {
  include: readonly string[];
  exclude: readonly string[];
  /** The directory relative globs are resolved against (the config file's directory). */
  baseDir: string;
  rescanIntervalMs: number;
  /** Set: changes are found by polling at this interval (chokidar) instead of the system's notifications. */
  pollIntervalMs?: number;
  /** A matched path that may have appeared, changed, been renamed or deleted: the caller decides which. */
  onPath: (path: string, event: PathEvent) => void;
  /** After each periodic rescan, with every path the globs match now. */
  onRescan: (paths: string[]) => void;
  onError: (error: unknown) => void;
}

interface WatchRoot {
  dir: string;
  /** How many directory levels below `dir` a glob can reach; Infinity for `**`. */
  depth: number;
}

function watchRoots(globs: readonly string[]): WatchRoot[] {
  const roots = new Map<string, number>();
  for (const pattern of globs) {
    const scan = picomatch.scan(pattern);
    // A literal path is watched through its directory, so its creation and rotation are seen.
    const dir = scan.isGlob ? scan.base || "/" : dirname(pattern);
    const depth = !scan.isGlob
      ? 0
      : scan.glob.includes("**")
        ? Number.POSITIVE_INFINITY
        : scan.glob.split("/").length - 1;
    roots.set(dir, Math.max(roots.get(dir) ?? 0, depth));
  }
  return [...roots].map(([dir, depth]) => ({ dir, depth }));
}

/**
 * Finds the files a source tails: one inotify watch (fs.watch) per directory the globs can reach, files filtered
 * with picomatch, plus a periodic walk that reconciles anything an event missed and watches new directories.
 *
 * Notifications do not come from chokidar: it re-reads a directory (readdir + lstat of every entry) and stats the
 * file on every change event, so one writer appending 1,000 lines/s next to 1,000 idle files cost 92% of a core,
 * 53% with no other file. Where the filesystem sends no notifications (`watch: "poll"`), chokidar's polling
 * stats the matched files and their directories instead: the cost is then the poll, whatever the write rate.
 */
export class FileDiscovery {
  readonly matches: (path: string) => boolean;
  private readonly roots: WatchRoot[];
  /** Watched directories, with the inode watched: a directory deleted and created again needs a new watch. */
  private readonly watchers = new Map<string, { watcher: FSWatcher; ino: number }>();
  /** With pollIntervalMs: one polling watcher per root directory, with the inode polled (as for the watches). */
  private readonly pollers = new Map<string, { poller: PollingWatcher; ino: number }>();
  private timer: NodeJS.Timeout | null = null;
  private rescanning: Promise<void> | null = null;
  private rescanAgain = false;
  private closed = false;

  constructor(private readonly options: DiscoveryOptions) {
    const included = picomatch(options.include.map((pattern) => resolve(options.baseDir, pattern)));
    const exclude = options.exclude.map((pattern) => resolve(options.baseDir, pattern));
    const excluded = exclude.length > 0 ? picomatch(exclude) : () => false;
    this.matches = (path) => included(path) && !excluded(path);
    this.roots = watchRoots(options.include.map((pattern) => resolve(options.baseDir, pattern)));
  }

  /**
   * Watches every reachable directory and returns the paths matched now. Watches are in place before the listing,
   * so a file written after start() is either listed or reported.
   */
  async start(): Promise<string[]> {
    const paths = await this.walk();
    this.timer = setInterval(() => void this.rescan(), this.options.rescanIntervalMs);
    this.timer.unref();
    return paths;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    for (const { watcher } of this.watchers.values()) watcher.close();
    this.watchers.clear();
    const pollers = [...this.pollers.values()];
    this.pollers.clear();
    await Promise.all(pollers.map(({ poller }) => poller.close()));
  }

  /**
   * Polls a root directory that exists, resolved once chokidar has taken stock of it: before the listing, so that a
   * file written after it is polled. A root that appears later (a mount, a directory created after the start) is
   * polled from the rescan that finds it; one deleted and created again gets a new poller.
   */
  private async pollRoot(root: WatchRoot, intervalMs: number): Promise<void> {
    const stats = await stat(root.dir).catch(() => null);
    const current = this.pollers.get(root.dir);
    if (current?.ino === stats?.ino && stats?.isDirectory()) return;
    if (current) {
      this.pollers.delete(root.dir);
      await current.poller.close();
    }
    if (!stats?.isDirectory()) return;
    // Loaded only in this mode: the native watches need none of it.
    const { watch: watchPolling } = await import("chokidar");
    if (this.closed) return;
    const poller = watchPolling(root.dir, {
      usePolling: true,
      interval: intervalMs,
      binaryInterval: intervalMs,
      ignoreInitial: true,
      ...(Number.isFinite(root.depth) ? { depth: root.depth } : {}),
      // Only the files the globs match are polled (directories are, to see files appear).
      ignored: (path, fileStats) => fileStats?.isFile() === true && !this.matches(path),
    });
    // A poll compares stats of a path: a file renamed away with a new one in its place is a "change" to it, so
    // every event goes to the caller as a possible rename, which it tells apart by the path's device and inode.
    poller.on("all", (event, path) => {
      if (event !== "addDir" && event !== "unlinkDir" && !this.closed && this.matches(path))
        this.options.onPath(path, "rename");
    });
    poller.on("error", (error) => this.options.onError(error));
    this.pollers.set(root.dir, { poller, ino: stats.ino });
    await new Promise<void>((ready) => poller.once("ready", () => ready()));
  }

  /**
   * One walk at a time: a walk slower than the interval (a hung network mount) must not start a second one beside
   * it, and a rescan asked for during a walk (an overflowed event queue) runs once it ends.
   */
  private rescan(): Promise<void> {
    if (this.rescanning) {
      this.rescanAgain = true;
      return this.rescanning;
    }
    this.rescanning = (async () => {
      do {
        this.rescanAgain = false;
        try {
          const paths = await this.walk();
          if (!this.closed) this.options.onRescan(paths);
        } catch (error) {
          this.options.onError(error);
        }
      } while (this.rescanAgain && !this.closed);
    })().finally(() => {
      this.rescanning = null;
    });
    return this.rescanning;
  }

  /** Watches each reachable directory not watched yet; returns the matching files found on the way. */
  private async walk(): Promise<string[]> {
    const found: string[] = [];
    const { pollIntervalMs } = this.options;
    for (const root of this.roots) {
      if (pollIntervalMs !== undefined) await this.pollRoot(root, pollIntervalMs);
      await this.walkDir(root.dir, root.depth, found);
    }
    return found;
  }

  private async walkDir(dir: string, depth: number, found: string[]): Promise<void> {
    if (this.closed) return;
    const stats = await stat(dir).catch(() => null);
    if (!stats?.isDirectory()) {
      this.unwatch(dir);
      return;
    }
    if (this.options.pollIntervalMs === undefined) this.watchDir(dir, depth, stats.ino);
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth > 0) await this.walkDir(path, depth - 1, found);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && this.matches(path)) {
        found.push(path);
      }
    }
  }

  private watchDir(dir: string, depth: number, ino: number): void {
    if (this.watchers.get(dir)?.ino === ino) return;
    this.unwatch(dir);
    try {
      const watcher = watch(dir, (event, name) => this.event(dir, depth, event, name));
      // The directory was deleted or became unreadable; a rescan watches it again if it comes back.
      watcher.on("error", () => this.unwatch(dir));
      this.watchers.set(dir, { watcher, ino });
    } catch (error) {
      this.options.onError(error);
    }
  }

  private unwatch(dir: string): void {
    this.watchers.get(dir)?.watcher.close();
    this.watchers.delete(dir);
  }

  private event(dir: string, depth: number, event: string, name: string | Buffer | null): void {
    if (this.closed) return;
    if (name === null) {
      // The kernel's event queue overflowed: only a full walk can tell what happened.
      void this.rescan();
      return;
    }
    const path = join(dir, name.toString());
    if (this.matches(path)) this.options.onPath(path, event === "change" ? "change" : "rename");
    if (event === "rename" && depth > 0) void this.newDir(path, depth - 1);
  }

  /** A name appeared or vanished: if it is a new directory, watch it and report what was written in it already. */
  private async newDir(path: string, depth: number): Promise<void> {
    const found: string[] = [];
    await this.walkDir(path, depth, found);
    for (const file of found) this.options.onPath(file, "rename");
  }
}
