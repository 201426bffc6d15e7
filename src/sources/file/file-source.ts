import { type FileHandle, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { TeletapError } from "../../errors.js";
import type { Metrics } from "../../server/metrics.js";
import type { Source, SourceBatch } from "../source.js";
import { CheckpointStore, type SavedCheckpoint } from "./checkpoint-store.js";
import { CheckpointWriter } from "./checkpoint-writer.js";
import { FileDiscovery, type PathEvent } from "./file-discovery.js";
import { fileKey } from "./file-fingerprint.js";
import { type FileSourceConfig, type FileSourceConfigInput, fileSourceConfigSchema } from "./file-source-config.js";
import { FileSourceMetrics } from "./file-source-metrics.js";
import { FileTable } from "./file-table.js";
import { findByKey } from "./find-by-key.js";
import { ReadLoop } from "./read-loop.js";
import { type ReporterOptions, SourceReporter } from "./source-reporter.js";
import { endPoint, FROM_FILE_START, resumePoint } from "./start-position.js";
import { TailedFile } from "./tailed-file.js";

/** How a FileSource is built: the `sources.<id>` config plus what the daemon (or `grep --follow`) provides. */
export interface FileSourceOptions extends ReporterOptions {
  id: string;
  /** The source's config; `type` may be left out. Defaults are filled in by fileSourceConfigSchema. */
  config: Omit<FileSourceConfigInput, "type"> & { type?: "file" };
  /** The directory relative include/exclude globs are resolved against: the config file's directory. */
  baseDir: string;
  /** The checkpoint file in the daemon's dataDir; null to follow like `tail -f`, remembering nothing. */
  checkpointPath: string | null;
  metrics?: Metrics;
}

/**
 * Tails the files matched by globs and emits their events in batches, never losing or duplicating an
 * acknowledged event across restarts, rotation (rename or copytruncate), truncation and sink outages: a file's
 * checkpoint advances only past batches that were acked, in order. One read loop serves every file in turns
 * of at most `readBudgetBytes`; awaiting `emit` pauses it, which is the backpressure.
 */
export class FileSource implements Source {
  readonly id: string;
  readonly config: FileSourceConfig;
  private readonly discovery: FileDiscovery;
  private readonly store: CheckpointStore | null;
  private readonly stats: FileSourceMetrics;
  private readonly table: FileTable;
  private readonly checkpoints: CheckpointWriter;
  private readonly reporter: SourceReporter;
  private emit: ((batch: SourceBatch) => Promise<void>) | null = null;
  private saved = new Map<string, SavedCheckpoint>();
  private firstStart = true;
  private readonly loop: ReadLoop<TailedFile>;
  private inEmit = false;
  /** Paths that could not be opened (EACCES), reported once until they can. */
  private readonly unreadable = new Set<string>();

  constructor(options: FileSourceOptions) {
    this.id = options.id;
    const parsed = fileSourceConfigSchema.safeParse({ type: "file", ...options.config });
    if (!parsed.success) {
      throw new TeletapError("E_CONFIG", `sources.${options.id}: ${z.prettifyError(parsed.error)}`);
    }
    this.config = parsed.data;
    this.store = options.checkpointPath === null ? null : new CheckpointStore(options.checkpointPath, options.id);
    this.stats = new FileSourceMetrics(options.metrics, options.id);
    this.table = new FileTable(this.config, this.stats, {
      ready: (file) => this.loop.markReady(file),
      forget: (file) => this.loop.forget(file),
      changed: () => this.checkpoints.changed(),
    });
    this.reporter = new SourceReporter(options.id, options);
    this.loop = new ReadLoop({
      sync: (path) => this.sync(path, false),
      turn: (file) => this.turn(file),
      onError: (error, subject) => this.reporter.error(error, `reading ${subject}`),
    });
    this.checkpoints = new CheckpointWriter(this.store, this.table, this.stats, (error) =>
      this.reporter.error(error, "saving the checkpoint"),
    );
    this.discovery = new FileDiscovery({
      include: this.config.include,
      exclude: this.config.exclude,
      baseDir: options.baseDir,
      rescanIntervalMs: this.config.rescanIntervalMs,
      pollIntervalMs: this.config.watch === "poll" ? this.config.pollIntervalMs : undefined,
      onPath: (path, event) => this.noticed(path, event),
      onRescan: (paths) => this.reconcile(paths),
      onError: (error) => this.reporter.error(error, "watching files"),
    });
  }

  /** Loads the checkpoint, starts watching and queues every matched file; resolves once reading is under way. */
  async start(emit: (batch: SourceBatch) => Promise<void>): Promise<void> {
    this.emit = emit;
    const saved = this.store ? await this.store.load() : null;
    this.firstStart = saved === null;
    this.saved = saved ?? new Map();
    for (const path of await this.discovery.start()) await this.sync(path, true);
    await this.adoptOrphans();
    this.saved.clear();
    // The start positions are written at once: a restart before the first ack is no longer the first start.
    this.checkpoints.changed();
    await this.checkpoints.flush();
    this.checkpoints.start(this.config.checkpointIntervalMs);
    this.loop.start();
  }

  async stop(): Promise<void> {
    if (this.loop.stopped) return;
    const ended = this.loop.stop();
    await this.discovery.close();
    // An emit the pipeline never resolves must not hang the shutdown: the loop stops right after it returns.
    if (!this.inEmit) await ended;
    await this.table.closeAll();
    await this.checkpoints.stop();
  }

  /**
   * Writes the acked positions now. A daemon calls it after the pipeline drained, so acks that arrived after
   * stop() are on disk before the process exits.
   */
  flush(): Promise<void> {
    return this.checkpoints.flush();
  }

  /**
   * A content change of a tracked file only needs a read turn (the turn notices truncation); a name event may be
   * a creation, rotation or deletion, which sync() tells apart by stat'ing the path.
   */
  private noticed(path: string, event: PathEvent): void {
    const file = event === "change" ? this.table.atPath(path) : undefined;
    if (file) this.loop.markReady(file);
    else this.loop.touch(path);
  }

  /**
   * After a rescan: paths not tracked yet, and tracked paths no longer listed (deleted or excluded). Changes to
   * tracked files come from their directory's inotify watch; stat'ing 1,000 files on every 10 s rescan was
   * measured at 0.7% of a core, three times the idle cost of everything else.
   */
  private reconcile(paths: string[]): void {
    const listed = new Set(paths);
    for (const path of paths) if (!this.table.atPath(path)) this.loop.touch(path);
    for (const path of this.table.paths()) if (!listed.has(path)) this.loop.touch(path);
    void this.table
      .closeIdle(this.config.idleCloseMs, (file) => file !== this.loop.current && !this.loop.isReady(file))
      .then(() => this.table.report());
  }

  /** Works out what a path now is: a new file, more data, a rename, a rotation, a deletion or an exclusion. */
  private async sync(path: string, initial: boolean): Promise<void> {
    const matched = this.discovery.matches(path);
    const stats = matched ? await stat(path, { bigint: true }).catch(() => null) : null;
    const previous = this.table.atPath(path);
    if (stats === null || !stats.isFile()) {
      if (previous) await this.table.detach(previous, matched && stats === null ? "delete" : null, null);
      return;
    }
    const key = fileKey(stats);
    if (previous && previous.key !== key) await this.table.detach(previous, "rename", null);
    const known = this.table.get(key);
    if (known) {
      this.table.moved(known, path);
      known.detached = false;
      if (Number(stats.size) !== known.seenSize || stats.mtimeNs !== known.seenMtimeNs) this.loop.markReady(known);
      return;
    }
    await this.track(path, key, initial);
  }

  /** Starts following a file not tracked yet: from its checkpoint, its end (readFrom) or its first byte. */
  private async track(path: string, key: string, initial: boolean): Promise<TailedFile | null> {
    let handle: FileHandle | null;
    try {
      handle = await this.table.openChecked(path, key, this.loop.current);
    } catch (error) {
      // Reported once: every write to an unreadable file would report it again.
      if (!this.unreadable.has(path)) this.reporter.error(error, `opening ${path}`);
      this.unreadable.add(path);
      return null;
    }
    this.unreadable.delete(path);
    if (!handle) return null;
    const checkpoint = this.saved.get(key);
    const start = checkpoint
      ? await resumePoint(handle, checkpoint)
      : initial && this.firstStart && this.config.readFrom === "end"
        ? await endPoint(handle)
        : FROM_FILE_START;
    const file = new TailedFile({
      key,
      path,
      start: start.position,
      head: start.head,
      startText: start.text,
      producers: this.config.producers,
      maxLineBytes: this.config.maxLineBytes,
      onMalformed: (malformed) => {
        this.stats.malformed(malformed.producer);
        this.reporter.malformed(malformed);
      },
      onAdvance: () => this.checkpoints.changed(),
      onTruncate: () => this.stats.rotation("truncate"),
    });
    file.adopt(handle);
    this.table.add(file);
    this.table.report();
    this.saved.delete(key);
    this.loop.markReady(file);
    return file;
  }

  /** Checkpointed files the globs no longer reach, e.g. rotated to app.log.1 while teletap was down. */
  private async adoptOrphans(): Promise<void> {
    for (const checkpoint of [...this.saved.values()]) {
      const path = await findByKey(dirname(checkpoint.path), checkpoint.key);
      // Still at its own path yet not tracked: the globs exclude it now, so it is not read again.
      if (path === null || path === checkpoint.path || this.table.get(checkpoint.key)) continue;
      const file = await this.track(path, checkpoint.key, false);
      if (file) await this.table.detach(file, null, null);
    }
  }

  private async turn(file: TailedFile): Promise<void> {
    if (!file.handle) {
      if (!(await this.table.reopen(file, file))) {
        // The path now leads elsewhere: what is at it now is synced, and this file is looked for by inode.
        this.loop.touch(file.path);
        await this.table.detach(file, "rename", file);
        return;
      }
      this.table.report();
    }
    const result = file.readTurn(this.config.readBudgetBytes);
    this.stats.read(file.path, result.bytes, result.lines, file.lag);
    const letGo = result.eof && this.table.waitedOut(file);
    if (letGo) file.finish();
    const batch = await file.cut();
    if (!result.eof) this.loop.markReady(file);
    else if (file.detached && !letGo) this.table.releaseLater(file);
    if (letGo) await this.table.release(file);
    if (!batch) return;
    if (batch.events.length === 0) {
      batch.ack();
      return;
    }
    // Not emitted while stopping: the batch stays un-acked, so it is read again after the restart.
    if (this.loop.stopped || !this.emit) return;
    this.stats.events(batch.events);
    this.inEmit = true;
    try {
      await this.emit({ sourceId: this.id, events: batch.events, ack: batch.ack });
    } finally {
      this.inEmit = false;
    }
  }
}
