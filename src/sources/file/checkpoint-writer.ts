import type { CheckpointStore } from "./checkpoint-store.js";
import type { FileSourceMetrics } from "./file-source-metrics.js";
import type { FileTable } from "./file-table.js";

/**
 * Persists a source's acknowledged positions: every `intervalMs` while running when they moved, and at once for
 * each ack that arrives after stop() (the pipeline draining). One write at a time; a failed write is retried on
 * the next occasion. Without a store (`grep --follow`) it does nothing.
 */
export class CheckpointWriter {
  private dirty = false;
  private stopped = false;
  private saving: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: CheckpointStore | null,
    private readonly table: FileTable,
    private readonly stats: FileSourceMetrics,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  /** Positions moved (an ack, a file let go); written on the next tick, or now once stopped. */
  changed(): void {
    this.dirty = true;
    if (this.stopped) void this.flush();
  }

  /** Stops the timer and writes the current state; later acks are written as they come. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.stopped = true;
    this.dirty = true;
    await this.flush();
  }

  flush(): Promise<void> {
    this.saving = this.saving.then(async () => {
      if (!this.store || !this.dirty) return;
      this.dirty = false;
      try {
        await this.store.save(this.table.checkpoints());
        this.stats.checkpointWritten();
      } catch (error) {
        this.dirty = true;
        this.onError(error);
      }
    });
    this.store?.queue(this.saving);
    return this.saving;
  }
}
