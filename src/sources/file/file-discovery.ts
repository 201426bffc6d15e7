import { stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { type FSWatcher, watch } from "chokidar";
import picomatch from "picomatch";
import { glob } from "tinyglobby";

/** Where discovery looks, built from the include and exclude globs of one source. */
export interface DiscoveryOptions {
  include: readonly string[];
  exclude: readonly string[];
  /** The directory relative globs are resolved against (the config file's directory). */
  baseDir: string;
  rescanIntervalMs: number;
  /** A path that may have appeared, changed, been renamed or deleted: the caller stats it and decides. */
  onPath: (path: string) => void;
  /** After each periodic rescan, with every path the globs match now. */
  onRescan: (paths: string[]) => void;
  onError: (error: unknown) => void;
}

interface WatchRoot {
  dir: string;
  /** undefined = unbounded (a `**` glob). */
  depth: number | undefined;
}

function watchRoots(globs: readonly string[]): WatchRoot[] {
  const roots = new Map<string, number | undefined>();
  for (const pattern of globs) {
    const scan = picomatch.scan(pattern);
    // A literal path is watched through its directory, so its creation and rotation are seen.
    const dir = scan.isGlob ? scan.base || "." : dirname(pattern);
    const depth = !scan.isGlob ? 0 : scan.glob.includes("**") ? undefined : scan.glob.split("/").length - 1;
    const known = roots.has(dir) ? roots.get(dir) : 0;
    roots.set(dir, known === undefined || depth === undefined ? undefined : Math.max(known, depth));
  }
  return [...roots].map(([dir, depth]) => ({ dir, depth }));
}

/**
 * Finds the files a source tails: a chokidar watch on each glob's base directory (chokidar >= 4 takes no globs,
 * so files are filtered with picomatch and directories never ignored) for changes within milliseconds, and a
 * periodic re-listing that reconciles anything a watch event missed.
 */
export class FileDiscovery {
  readonly matches: (path: string) => boolean;
  private readonly include: string[];
  private readonly exclude: string[];
  private readonly roots: WatchRoot[];
  private readonly watchers = new Map<string, FSWatcher>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly options: DiscoveryOptions) {
    this.include = options.include.map((pattern) => resolve(options.baseDir, pattern));
    this.exclude = options.exclude.map((pattern) => resolve(options.baseDir, pattern));
    const included = picomatch(this.include);
    const excluded = this.exclude.length > 0 ? picomatch(this.exclude) : () => false;
    this.matches = (path) => included(path) && !excluded(path);
    this.roots = watchRoots(this.include);
  }

  /** Starts watching; resolves once the watches are in place, so a file written afterwards is noticed. */
  async start(): Promise<void> {
    await this.watchExistingRoots();
    this.timer = setInterval(() => void this.rescan(), this.options.rescanIntervalMs);
    this.timer.unref();
  }

  /** Every path the globs match right now. */
  async list(): Promise<string[]> {
    const found = await glob(this.include, { absolute: true, onlyFiles: true, ignore: this.exclude, dot: false });
    return found.filter(this.matches);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.all([...this.watchers.values()].map((watcher) => watcher.close()));
    this.watchers.clear();
  }

  private async rescan(): Promise<void> {
    try {
      // A base directory created after the start is watched from the first rescan that sees it.
      await this.watchExistingRoots();
      const paths = await this.list();
      if (!this.closed) this.options.onRescan(paths);
    } catch (error) {
      this.options.onError(error);
    }
  }

  /** A raw event names a file relative to the watched directory, or the watched file itself. */
  private raw(name: string | undefined, watchedPath: string | undefined): void {
    if (!name || !watchedPath) return;
    const path = basename(watchedPath) === name ? watchedPath : join(watchedPath, name);
    if (this.matches(path)) this.options.onPath(path);
  }

  private async watchExistingRoots(): Promise<void> {
    for (const root of this.roots) {
      if (this.closed || this.watchers.has(root.dir)) continue;
      const isDir = await stat(root.dir).then(
        (stats) => stats.isDirectory(),
        () => false,
      );
      if (!isDir) continue;
      const watcher = watch(root.dir, {
        ignoreInitial: true,
        depth: root.depth,
        // atomic would hold back unlink events for 100 ms and hide dot files; the tailer stats every path itself.
        atomic: false,
        ignored: (path, stats) => stats?.isFile() === true && !this.matches(path),
      });
      for (const event of ["add", "change", "unlink"] as const) watcher.on(event, (path) => this.options.onPath(path));
      // chokidar drops `change` events that follow another within a few ms (measured: of 3 appends 8 ms apart,
      // each followed by a read, none was reported), so the raw inotify events are what wakes the tailer.
      watcher.on("raw", (_event, name, details) => this.raw(name, (details as { watchedPath?: string }).watchedPath));
      watcher.on("error", (error) => this.options.onError(error));
      this.watchers.set(root.dir, watcher);
      await new Promise<void>((ready) => watcher.once("ready", ready));
    }
  }
}
