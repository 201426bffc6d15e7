import { appendFileSync, closeSync, openSync, writeSync } from "node:fs";

/**
 * A ticloud debug line carrying one telemetry event whose command is `seq-<N>`: the oracle's key.
 * `[2025/11/20 10:15:42.118 +08:00] [DEBUG] [sender.go:47] ["sending telemetry events"] [event="{\"timestamp\":...}"]`
 */
export function telemetryLine(seq: number): string {
  const event = {
    timestamp: "2025-11-20T10:15:42.118+08:00",
    source: "ticloud",
    properties: { command: `seq-${seq}`, result: "SUCCESS" },
  };
  return `[2025/11/20 10:15:42.118 +08:00] [DEBUG] [sender.go:47] ["sending telemetry events"] [event=${JSON.stringify(JSON.stringify(event))}]\n`;
}

/** A line the daemon must read past without an event (the noise real debug logs are made of). */
export function noiseLine(n: number): string {
  return `[2025/11/20 10:15:42.118 +08:00] [DEBUG] [client.go:112] ["http request"] [n=${n}] [url=https://api.example.com/v1beta1/clusters]\n`;
}

/** Hands out unique sequence numbers and remembers which were written, across every file of a test. */
export class SequenceLog {
  private next = 1;
  readonly written = new Set<number>();

  /** The text of `count` telemetry lines with fresh sequence numbers (recorded as written by the caller's write). */
  take(count: number): { text: string; seqs: number[] } {
    const seqs: number[] = [];
    let text = "";
    for (let i = 0; i < count; i++) {
      const seq = this.next++;
      seqs.push(seq);
      text += telemetryLine(seq);
    }
    return { text, seqs };
  }

  /** Appends `count` telemetry lines to `path` in one write. */
  append(path: string, count: number): number[] {
    const { text, seqs } = this.take(count);
    appendFileSync(path, text);
    for (const seq of seqs) this.written.add(seq);
    return seqs;
  }

  /** Writes through an open descriptor (a logger that keeps its file open across a rename rotation). */
  writeFd(fd: number, count: number): number[] {
    const { text, seqs } = this.take(count);
    writeSync(fd, text);
    for (const seq of seqs) this.written.add(seq);
    return seqs;
  }

  /** Writes one telemetry line in two writes, split inside the JSON, with `between` run after the first half. */
  async appendSplit(path: string, between: () => Promise<void>): Promise<number> {
    const { text, seqs } = this.take(1);
    const cut = Math.floor(text.length / 2);
    const fd = openSync(path, "a");
    try {
      writeSync(fd, text.slice(0, cut));
      await between();
      writeSync(fd, text.slice(cut));
    } finally {
      closeSync(fd);
    }
    const seq = seqs[0] as number;
    this.written.add(seq);
    return seq;
  }
}
