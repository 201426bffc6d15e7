import type { Fingerprint } from "./file-fingerprint.js";

/** A resume point in one file: the offset after the last complete line, its line number and fingerprint. */
export interface FilePosition {
  offset: number;
  line: number;
  fingerprint: Fingerprint;
}

interface Entry {
  acked: boolean;
  position: FilePosition;
}

/**
 * One file's batches in the order they were cut. The acknowledged position moves to a batch's position only
 * when that batch and every batch before it were acked, so a checkpoint never skips an un-acked event.
 */
export class PendingAcks {
  private readonly queue: Entry[] = [];
  private ackedPosition: FilePosition;

  constructor(
    initial: FilePosition,
    private readonly onAdvance: () => void,
  ) {
    this.ackedPosition = initial;
  }

  get acked(): FilePosition {
    return this.ackedPosition;
  }

  /** Batches cut but not yet acked (including acked ones waiting for an earlier one). */
  get pending(): number {
    return this.queue.length;
  }

  /** Queues a position reached once the batch cut there is acked; returns that batch's idempotent `ack`. */
  add(position: FilePosition): () => void {
    const entry: Entry = { acked: false, position };
    this.queue.push(entry);
    return () => {
      if (entry.acked) return;
      entry.acked = true;
      this.settle();
    };
  }

  /** Queues a position that needs no acknowledgement (no events were cut there, or the file was truncated). */
  reached(position: FilePosition): void {
    this.add(position)();
  }

  private settle(): void {
    let advanced = false;
    while (this.queue[0]?.acked) {
      this.ackedPosition = (this.queue.shift() as Entry).position;
      advanced = true;
    }
    if (advanced) this.onAdvance();
  }
}
