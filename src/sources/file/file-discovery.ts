import { type FSWatcher, statSync, watch } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
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
  /** Set: changes are found by listing and stat'ing at this interval instead of the system's notifications. */
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
 * Where the filesystem sends no notifications (`watch: "poll"`), the walk runs every pollIntervalMs instead and
 * each matched file is stat'ed: a path whose device, inode, size or mtime moved is reported.
 *
 * Not chokidar, in either mode. Its events re-read a directory (readdir + lstat of every entry) and stat the file
 * on every change, so one writer appending 1,000 lines/s next to 1,000 idle files cost 92% of a core, 53% with no
 * other file. Its polling, tried for the poll mode, lost lines: it drops a second change to a path within 50 ms,
 * shares one stat poller per path between watchers of different intervals (one source's poller stopped
 * another's), follows directory symlinks into loops, and stops polling a file it lost track of (a file created
 * as its directory was listed, a symlink whose target was briefly gone) while the source still tails it.
 */
export class FileDiscovery {
  readonly matches: (path: string) => boolean;
  private readonly roots: WatchRoot[];
  /** Watched directories, with the inode watched: a directory deleted and created again needs a new watch. */
  private readonly watchers = new Map<string, { watcher: FSWatcher; ino: number }>();
  /** With pollIntervalMs: what each matched path was at the last poll (device, inode, size, mtime). */
  private readonly polled = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private rescanning: Promise<void> | null = null;
  private rescanAgain = false;
  private reconciledAt = 0;
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
    const { pollIntervalMs } = this.options;
    if (pollIntervalMs !== undefined) this.changedSincePoll(paths);
    this.timer = setInterval(() => void this.rescan(), pollIntervalMs ?? this.options.rescanIntervalMs);
    // The poll is the watch, and keeps the process alive as a watch does (`grep -f --poll`); a rescan beside the
    // watches does not.
    if (pollIntervalMs === undefined) this.timer.unref();
    return paths;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    for (const { watcher } of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  /**
   * The matched paths that appeared, vanished or changed (device, inode, size or mtime) since the last poll. A
   * synchronous stat, as the reads are: a few microseconds each, where a promise per file would cost more.
   */
  private changedSincePoll(paths: readonly string[]): string[] {
    const changed: string[] = [];
    const listed = new Set(paths);
    for (const path of paths) {
      // Numbers, not bigints: this only tells a change, which the caller then identifies with exact stats.
      const stats = statSync(path, { throwIfNoEntry: false });
      const now = stats ? `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}` : "";
      if (this.polled.get(path) !== now) changed.push(path);
      this.polled.set(path, now);
    }
    for (const path of this.polled.keys()) {
      if (listed.has(path)) continue;
      this.polled.delete(path);
      changed.push(path);
    }
    return changed;
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
          if (this.closed) return;
          // Polling: every walk is a poll; a changed path goes to the caller as a possible rename, which it tells
          // apart (an append, a new file, a rotation, a deletion) by stat'ing it again.
          if (this.options.pollIntervalMs !== undefined) {
            for (const path of this.changedSincePoll(paths)) this.options.onPath(path, "rename");
            // The caller's own reconciling (idle files closed, gauges) keeps its slower pace.
            if (Date.now() - this.reconciledAt < this.options.rescanIntervalMs) continue;
          }
          this.reconciledAt = Date.now();
          this.options.onRescan(paths);
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
    for (const root of this.roots) await this.walkDir(root.dir, root.depth, found);
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
