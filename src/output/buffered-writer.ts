import type { Writable } from "node:stream";

// 64 KiB batches cut write calls ~100x on dense output versus one write per event.
const FLUSH_AT = 64 * 1024;

/** Collects output text and writes it in large pieces; a closed pipe (`| head`) ends output quietly. */
export class BufferedWriter {
  private pending: string[] = [];
  private size = 0;
  closed = false;
  private markClosed: () => void = () => {};
  /** Resolves when the reader went away (EPIPE), so an endless reader such as `grep -f` can stop. */
  readonly whenClosed = new Promise<void>((resolve) => {
    this.markClosed = resolve;
  });

  constructor(private readonly stream: Writable) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
      this.closed = true;
      this.markClosed();
    });
  }

  write(text: string): void {
    if (this.closed) return;
    this.pending.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_AT) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0 || this.closed) return;
    this.stream.write(this.pending.join(""));
    this.pending = [];
    this.size = 0;
  }

  /** Flushes and resolves once the stream has taken everything. */
  async end(): Promise<void> {
    this.flush();
    if (this.closed || !this.stream.writableNeedDrain) return;
    await new Promise<void>((resolve) => {
      this.stream.once("drain", resolve);
      this.stream.once("error", () => resolve());
    });
  }
}
