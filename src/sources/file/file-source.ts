import { stat } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import type { Malformed } from "../../engine/extractor.js";
import { TeletapError } from "../../errors.js";
import type { Logger } from "../../log/logger.js";
import type { Metrics } from "../../server/metrics.js";
import type { Source, SourceBatch } from "../source.js";
import { CheckpointStore, type FileCheckpoint } from "./checkpoint-store.js";
import { FileDiscovery } from "./file-discovery.js";
import { fileKey } from "./file-fingerprint.js";
import { type FileSourceConfig, type FileSourceConfigInput, fileSourceConfigSchema } from "./file-source-config.js";
import { FileSourceMetrics, type RotationKind } from "./file-source-metrics.js";
import { FileTable } from "./file-table.js";
import { findByKey } from "./find-by-key.js";
import { endPosition, FILE_START, resumePosition } from "./start-position.js";
import { TailedFile } from "./tailed-file.js";

/** How a FileSource is built: the `sources.<id>` config plus what the daemon (or `grep --follow`) provides. */
export interface FileSourceOptions {
  id: string;
  /** The source's config; `type` may be left out. Defaults are filled in by fileSourceConfigSchema. */
  config: Omit<FileSourceConfigInput, "type"> & { type?: "file" };
  /** The directory relative include/exclude globs are resolved against: the config file's directory. */
  baseDir: string;
  /** The checkpoint file in the daemon's dataDir; null to follow like `tail -f`, remembering nothing. */
  checkpointPath: string | null;
  metrics?: Metrics;
  /** Where malformed lines (warn) and read or checkpoint errors (error) go when no callback is given. */
  logger?: Logger;
  /** Each malformed or overlong telemetry line, with file and line; logged (or printed to stderr) when not given. */
  onMalformed?: (malformed: Malformed) => void;
  /** A file that could not be read or a checkpoint that could not be written; logged when not given. */
  onError?: (error: TeletapError) => void;
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
  private emit: ((batch: SourceBatch) => Promise<void>) | null = null;
  private saved = new Map<string, FileCheckpoint>();
  private firstStart = true;
  /** Paths a watch event or rescan named: stat them to learn what happened. */
  private readonly dirtyPaths = new Set<string>();
  /** Files with bytes to read, in turn order. */
  private readonly ready = new Set<TailedFile>();
  private current: TailedFile | null = null;
  private wake: (() => void) | null = null;
  private loop: Promise<void> = Promise.resolve();
  private inEmit = false;
  private stopping = false;
  private stopped = false;
  private dirty = false;
  private saving: Promise<void> = Promise.resolve();
  private persistTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: FileSourceOptions) {
    this.id = options.id;
    const parsed = fileSourceConfigSchema.safeParse({ type: "file", ...options.config });
    if (!parsed.success) {
      throw new TeletapError("E_CONFIG", `sources.${options.id}: ${z.prettifyError(parsed.error)}`);
    }
    this.config = parsed.data;
    this.store = options.checkpointPath === null ? null : new CheckpointStore(options.checkpointPath, options.id);
    this.stats = new FileSourceMetrics(options.metrics, options.id);
    this.table = new FileTable(this.config.maxOpenFiles, this.stats);
    this.discovery = new FileDiscovery({
      include: this.config.include,
      exclude: this.config.exclude,
      baseDir: options.baseDir,
      rescanIntervalMs: this.config.rescanIntervalMs,
      onPath: (path) => this.touch(path),
      onRescan: (paths) => this.reconcile(paths),
      onError: (error) => this.report(error, "watching files"),
    });
  }

  /** Loads the checkpoint, starts watching and queues every matched file; resolves once reading is under way. */
  async start(emit: (batch: SourceBatch) => Promise<void>): Promise<void> {
    this.emit = emit;
    const saved = this.store ? await this.store.load() : null;
    this.firstStart = saved === null;
    this.saved = saved ?? new Map();
    await this.discovery.start();
    for (const path of await this.discovery.list()) await this.sync(path, true);
    await this.adoptOrphans();
    this.saved.clear();
    this.dirty = true;
    await this.persist();
    this.persistTimer = setInterval(() => void this.persist(), this.config.checkpointIntervalMs);
    this.persistTimer.unref();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.wake?.();
    await this.discovery.close();
    if (this.persistTimer) clearInterval(this.persistTimer);
    // An emit the pipeline never resolves must not hang the shutdown: the loop stops right after it returns.
    if (!this.inEmit) await this.loop;
    await this.table.closeAll();
    this.stopped = true;
    this.dirty = true;
    await this.persist();
  }

  private touch(path: string): void {
    this.dirtyPaths.add(path);
    this.wake?.();
  }

  /**
   * After a rescan: paths not tracked yet, and tracked paths no longer listed (deleted or excluded). Changes to
   * tracked files come from inotify (a watch on the file and one on its directory); stat'ing 1,000 files on
   * every 10 s rescan was measured at 0.7% of a core, three times the idle cost of everything else.
   */
  private reconcile(paths: string[]): void {
    const listed = new Set(paths);
    for (const path of paths) if (!this.table.atPath(path)) this.dirtyPaths.add(path);
    for (const path of this.table.paths()) if (!listed.has(path)) this.dirtyPaths.add(path);
    void this.table
      .closeIdle(this.config.idleCloseMs, (file) => file !== this.current && !this.ready.has(file))
      .then(() => this.table.report());
    this.wake?.();
  }

  private markReady(file: TailedFile): void {
    this.ready.add(file);
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const path = first(this.dirtyPaths);
      const file = path === undefined ? first(this.ready) : undefined;
      try {
        if (path !== undefined) {
          this.dirtyPaths.delete(path);
          await this.sync(path, false);
        } else if (file !== undefined) {
          this.ready.delete(file);
          this.current = file;
          await this.turn(file);
        } else {
          await new Promise<void>((resolve) => {
            this.wake = resolve;
          });
          this.wake = null;
        }
      } catch (error) {
        this.report(error, `reading ${path ?? file?.path}`);
      } finally {
        this.current = null;
      }
    }
  }

  /** Works out what a path now is: a new file, more data, a rename, a rotation, a deletion or an exclusion. */
  private async sync(path: string, initial: boolean): Promise<void> {
    const stats = this.discovery.matches(path) ? await stat(path, { bigint: true }).catch(() => null) : null;
    const previous = this.table.atPath(path);
    if (stats === null || !stats.isFile()) {
      if (previous) await this.detach(previous, stats === null && this.discovery.matches(path) ? "delete" : null);
      return;
    }
    const key = fileKey(stats);
    if (previous && previous.key !== key) await this.detach(previous, "rename");
    const known = this.table.get(key);
    if (known) {
      this.table.moved(known, path);
      known.detached = false;
      if (Number(stats.size) !== known.seenSize || stats.mtimeNs !== known.seenMtimeNs) this.markReady(known);
      return;
    }
    await this.track(path, key, initial);
  }

  /** Starts following a file not tracked yet: from its checkpoint, its end (readFrom) or its first byte. */
  private async track(path: string, key: string, initial: boolean): Promise<TailedFile | null> {
    const handle = await this.table.openChecked(path, key, this.current);
    if (!handle) return null;
    const checkpoint = this.saved.get(key);
    const start = checkpoint
      ? await resumePosition(handle, checkpoint)
      : initial && this.firstStart && this.config.readFrom === "end"
        ? await endPosition(handle)
        : FILE_START;
    const file = new TailedFile({
      key,
      path,
      start,
      producers: this.config.producers,
      maxLineBytes: this.config.maxLineBytes,
      onMalformed: (malformed) => this.malformed(malformed),
      onAdvance: () => this.advanced(),
      onTruncate: () => this.stats.rotation("truncate"),
    });
    file.adopt(handle);
    this.table.add(file);
    this.table.report();
    this.saved.delete(key);
    this.markReady(file);
    return file;
  }

  /** Checkpointed files the globs no longer reach, e.g. rotated to app.log.1 while teletap was down. */
  private async adoptOrphans(): Promise<void> {
    for (const checkpoint of [...this.saved.values()]) {
      const path = await findByKey(dirname(checkpoint.path), checkpoint.key);
      if (path === null || this.table.get(checkpoint.key)) continue;
      const file = await this.track(path, checkpoint.key, false);
      if (file) await this.detach(file, null);
    }
  }

  /** The path no longer leads to `file`: read it to its end, wait rotateWaitMs for late writes, let it go. */
  private async detach(file: TailedFile, kind: RotationKind | null): Promise<void> {
    if (kind) this.stats.rotation(kind);
    this.table.unlinkPath(file);
    file.detached = true;
    file.detachedAt = Date.now();
    if (!file.handle) {
      const movedTo = await findByKey(dirname(file.path), file.key);
      if (movedTo !== null) file.path = movedTo;
      if (movedTo === null || !(await this.table.reopen(file, this.current))) {
        await this.release(file);
        return;
      }
    }
    this.markReady(file);
    setTimeout(() => this.table.has(file) && this.markReady(file), this.config.rotateWaitMs).unref();
  }

  private async turn(file: TailedFile): Promise<void> {
    if (!file.handle) {
      if (!(await this.table.reopen(file, file))) {
        // The path now leads elsewhere: what is at it now is synced, and this file is looked for by inode.
        this.dirtyPaths.add(file.path);
        await this.detach(file, "rename");
        return;
      }
      this.table.report();
    }
    const result = await file.readTurn(this.config.readBudgetBytes);
    this.stats.read(file.path, result.bytes, result.lines, file.lag);
    const letGo = file.detached && result.eof && Date.now() - file.detachedAt >= this.config.rotateWaitMs;
    if (letGo) file.finish();
    const batch = await file.cut();
    if (!result.eof) this.markReady(file);
    if (letGo) await this.release(file);
    if (!batch) return;
    if (batch.events.length === 0) {
      batch.ack();
      return;
    }
    // Not emitted while stopping: the batch stays un-acked, so it is read again after the restart.
    if (this.stopping || !this.emit) return;
    for (const event of batch.events) this.stats.events(event.producer, 1);
    this.inEmit = true;
    try {
      await this.emit({ sourceId: this.id, events: batch.events, ack: batch.ack });
    } finally {
      this.inEmit = false;
    }
  }

  private async release(file: TailedFile): Promise<void> {
    this.ready.delete(file);
    await this.table.release(file);
    this.table.report();
    this.dirty = true;
  }

  private malformed(malformed: Malformed): void {
    this.stats.malformed(malformed.producer);
    if (this.options.onMalformed) this.options.onMalformed(malformed);
    else if (this.options.logger)
      this.options.logger.warn("malformed telemetry line", { source: this.id, ...malformed });
    else process.stderr.write(`teletap: ${malformed.path}:${malformed.line}: ${malformed.reason}\n`);
  }

  private advanced(): void {
    this.dirty = true;
    // Acks that arrive after stop() (the pipeline draining) are persisted at once: no timer runs any more.
    if (this.stopped) void this.persist();
  }

  /** Writes the acked positions if they changed; one write at a time. */
  private persist(): Promise<void> {
    this.saving = this.saving.then(async () => {
      if (!this.store || !this.dirty) return;
      this.dirty = false;
      try {
        await this.store.save(this.table.checkpoints());
        this.stats.checkpointWritten();
      } catch (error) {
        this.dirty = true;
        this.report(error, "saving the checkpoint");
      }
    });
    return this.saving;
  }

  private report(error: unknown, doing: string): void {
    const wrapped =
      error instanceof TeletapError
        ? error
        : new TeletapError("E_READ", `${doing}: ${String(error)}`, { cause: error });
    if (this.options.onError) this.options.onError(wrapped);
    else if (this.options.logger) this.options.logger.error(wrapped.message, { source: this.id, error: wrapped });
    else process.stderr.write(`teletap: ${wrapped.message}\n`);
  }
}

function first<T>(set: Set<T>): T | undefined {
  for (const item of set) return item;
  return undefined;
}
