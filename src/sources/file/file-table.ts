import { type FileHandle, open } from "node:fs/promises";
import { dirname } from "node:path";
import type { FileCheckpoint } from "./checkpoint-store.js";
import { fileKey } from "./file-fingerprint.js";
import type { FileSourceMetrics, RotationKind } from "./file-source-metrics.js";
import { findByKey } from "./find-by-key.js";
import type { TailedFile } from "./tailed-file.js";

/** What the table tells its source about the files' lifecycle. */
export interface FileTableHooks {
  /** The file has bytes to read (or, detached, a last turn to take). */
  ready(file: TailedFile): void;
  /** The file was let go: no more turns. */
  forget(file: TailedFile): void;
  /** The set of checkpoint entries changed. */
  changed(): void;
}

/** Limits the table enforces. */
export interface FileTableLimits {
  maxOpenFiles: number;
  rotateWaitMs: number;
}

/**
 * The files one source tracks, by dev:inode and by current path, and their lifecycle: tracked, detached (the
 * path leads elsewhere; read to the end, kept rotateWaitMs for late writes), let go. Caps descriptors: opening
 * one more than `maxOpenFiles` first closes the least recently read file whose path still leads to it (a
 * detached file could not be found again, so it keeps its descriptor until let go).
 */
export class FileTable {
  private readonly files = new Map<string, TailedFile>();
  private readonly byPath = new Map<string, TailedFile>();
  /** Let go of, but with batches still un-acked: their checkpoint entries must survive until the acks come. */
  private readonly letGo = new Set<TailedFile>();

  constructor(
    private readonly limits: FileTableLimits,
    private readonly stats: FileSourceMetrics,
    private readonly hooks: FileTableHooks,
  ) {}

  get(key: string): TailedFile | undefined {
    return this.files.get(key);
  }

  has(file: TailedFile): boolean {
    return this.files.get(file.key) === file;
  }

  atPath(path: string): TailedFile | undefined {
    return this.byPath.get(path);
  }

  /** The paths of files still reachable by their path. */
  paths(): string[] {
    return [...this.byPath.keys()];
  }

  add(file: TailedFile): void {
    this.files.set(file.key, file);
    this.byPath.set(file.path, file);
  }

  moved(file: TailedFile, path: string): void {
    this.unlinkPath(file);
    // The lag series follows the file to its new name: left behind, a stale lag would read as a stuck reader.
    if (file.path !== path) this.stats.released(file.path);
    file.path = path;
    this.byPath.set(path, file);
  }

  unlinkPath(file: TailedFile): void {
    if (this.byPath.get(file.path) === file) this.byPath.delete(file.path);
  }

  /**
   * Opens `path` if it still is `key`, making room under the cap first; `pinned` is never closed for it. Null when
   * the path is gone or leads elsewhere; other failures (EACCES) are thrown for the caller to report.
   */
  async openChecked(path: string, key: string, pinned: TailedFile | null): Promise<FileHandle | null> {
    await this.makeRoom(pinned);
    let handle: FileHandle;
    try {
      handle = await open(path, "r");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
    if (fileKey(await handle.stat({ bigint: true })) !== key) {
      await handle.close();
      return null;
    }
    return handle;
  }

  async reopen(file: TailedFile, pinned: TailedFile | null): Promise<boolean> {
    await this.makeRoom(pinned);
    return file.open();
  }

  /** The path no longer leads to `file`: read it to its end, wait rotateWaitMs for late writes, let it go. */
  async detach(file: TailedFile, kind: RotationKind | null, pinned: TailedFile | null): Promise<void> {
    if (kind) this.stats.rotation(kind);
    this.unlinkPath(file);
    file.detached = true;
    file.detachedAt = Date.now();
    if (!file.handle) {
      const movedTo = await findByKey(dirname(file.path), file.key);
      if (movedTo !== null) file.path = movedTo;
      if (movedTo === null || !(await this.reopen(file, pinned))) {
        await this.release(file);
        return;
      }
    }
    this.hooks.ready(file);
    this.releaseLater(file);
  }

  /** Whether a detached file's rotate wait is over, so that reaching its end lets it go. */
  waitedOut(file: TailedFile): boolean {
    return file.detached && Date.now() - file.detachedAt >= this.limits.rotateWaitMs;
  }

  /** Gives a detached file one more turn when its rotate wait is over; that turn lets it go. */
  releaseLater(file: TailedFile): void {
    if (file.releaseTimer) return;
    const left = file.detachedAt + this.limits.rotateWaitMs - Date.now();
    file.releaseTimer = setTimeout(() => {
      file.releaseTimer = null;
      if (this.has(file)) this.hooks.ready(file);
    }, Math.max(0, left) + 1);
    file.releaseTimer.unref();
  }

  async release(file: TailedFile): Promise<void> {
    this.hooks.forget(file);
    this.unlinkPath(file);
    if (this.has(file)) this.files.delete(file.key);
    await file.close();
    if (file.acks.pending > 0) this.letGo.add(file);
    this.stats.released(file.path);
    this.report();
    this.hooks.changed();
  }

  /** Closes files unread for `idleMs`; they reopen on their next change. */
  async closeIdle(idleMs: number, closable: (file: TailedFile) => boolean): Promise<void> {
    const before = Date.now() - idleMs;
    for (const file of this.files.values()) {
      if (file.handle && !file.detached && file.lastActive < before && closable(file)) await file.close();
    }
  }

  async closeAll(): Promise<void> {
    for (const file of this.files.values()) {
      if (file.releaseTimer) clearTimeout(file.releaseTimer);
      await file.close();
    }
  }

  /** Every position to persist; files let go of drop out once all their batches were acked. */
  checkpoints(): FileCheckpoint[] {
    for (const file of this.letGo) if (file.acks.pending === 0) this.letGo.delete(file);
    // A file let go may share its inode with a newer file (inode reuse): the newer one comes last and wins on load.
    return [...this.letGo, ...this.files.values()].map((file) => {
      const { offset, line, fingerprint } = file.acks.acked;
      return { key: file.key, path: file.path, offset, line, ...fingerprint };
    });
  }

  /** Feeds the open and watched file gauges. */
  report(): void {
    this.stats.files(this.openCount(), this.byPath.size);
  }

  private openCount(): number {
    let count = 0;
    for (const file of this.files.values()) if (file.handle) count++;
    return count;
  }

  private async makeRoom(pinned: TailedFile | null): Promise<void> {
    if (this.openCount() < this.limits.maxOpenFiles) return;
    let oldest: TailedFile | null = null;
    for (const file of this.files.values()) {
      if (!file.handle || file.detached || file === pinned) continue;
      if (!oldest || file.lastActive < oldest.lastActive) oldest = file;
    }
    await oldest?.close();
  }
}
