import { type FileHandle, open } from "node:fs/promises";
import type { FileCheckpoint } from "./checkpoint-store.js";
import { fileKey } from "./file-fingerprint.js";
import type { FileSourceMetrics } from "./file-source-metrics.js";
import type { TailedFile } from "./tailed-file.js";

/**
 * The files one source tracks, by dev:inode and by current path, and the cap on descriptors: opening one more
 * than `maxOpenFiles` first closes the least recently read file whose path still leads to it (a detached file
 * could not be found again, so it keeps its descriptor until let go).
 */
export class FileTable {
  private readonly files = new Map<string, TailedFile>();
  private readonly byPath = new Map<string, TailedFile>();
  /** Let go of, but with batches still un-acked: their checkpoint entries must survive until the acks come. */
  private readonly letGo = new Set<TailedFile>();

  constructor(
    private readonly maxOpenFiles: number,
    private readonly stats: FileSourceMetrics,
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
    file.path = path;
    this.byPath.set(path, file);
  }

  unlinkPath(file: TailedFile): void {
    if (this.byPath.get(file.path) === file) this.byPath.delete(file.path);
  }

  /** Opens `path` if it still is `key`, making room under the cap first; `pinned` is never closed for it. */
  async openChecked(path: string, key: string, pinned: TailedFile | null): Promise<FileHandle | null> {
    await this.makeRoom(pinned);
    const handle = await open(path, "r").catch(() => null);
    if (handle && fileKey(await handle.stat({ bigint: true })) !== key) {
      await handle.close();
      return null;
    }
    return handle;
  }

  async reopen(file: TailedFile, pinned: TailedFile | null): Promise<boolean> {
    await this.makeRoom(pinned);
    return file.open();
  }

  async release(file: TailedFile): Promise<void> {
    this.unlinkPath(file);
    if (this.has(file)) this.files.delete(file.key);
    await file.close();
    if (file.acks.pending > 0) this.letGo.add(file);
    this.stats.released(file.path);
  }

  /** Closes files unread for `idleMs`; they reopen on their next change. */
  async closeIdle(idleMs: number, closable: (file: TailedFile) => boolean): Promise<void> {
    const before = Date.now() - idleMs;
    for (const file of this.files.values()) {
      if (file.handle && !file.detached && file.lastActive < before && closable(file)) await file.close();
    }
  }

  async closeAll(): Promise<void> {
    for (const file of this.files.values()) await file.close();
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
    if (this.openCount() < this.maxOpenFiles) return;
    let oldest: TailedFile | null = null;
    for (const file of this.files.values()) {
      if (!file.handle || file.detached || file === pinned) continue;
      if (!oldest || file.lastActive < oldest.lastActive) oldest = file;
    }
    await oldest?.close();
  }
}
