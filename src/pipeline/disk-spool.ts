import { mkdir, open, readdir, readFile, rename, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { TelemetryEvent } from "../events.js";
import { encodeEvent } from "../sinks/encode-event.js";

/** One spooled batch: a file `<seq>-<events>.ndjson`, so opening the spool needs no read of the contents. */
interface Segment {
  seq: number;
  events: number;
  bytes: number;
  path: string;
}

const SEGMENT = /^(\d{12})-(\d+)\.ndjson$/;

/**
 * A sink's bounded disk spool under `<dataDir>/spool/<sink>`: batches the sink could not take yet, oldest first.
 * Each batch is written to a temp file, fsynced and renamed, so a batch is either wholly in the spool or not at all,
 * and what is there survives a crash or a restart.
 */
export class DiskSpool {
  private segments: Segment[] = [];
  private totalBytes = 0;
  private totalEvents = 0;
  private nextSeq = 0;

  private constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {}

  /** Opens (creating) the spool and picks up what an earlier run left in it. */
  static async open(dir: string, maxBytes: number): Promise<DiskSpool> {
    const spool = new DiskSpool(dir, maxBytes);
    await mkdir(dir, { recursive: true });
    for (const name of (await readdir(dir)).sort()) {
      const match = SEGMENT.exec(name);
      if (!match) {
        // A temp file left by a crash mid-write was never renamed: that batch was never acknowledged.
        if (name.endsWith(".tmp")) await unlink(join(dir, name));
        continue;
      }
      const path = join(dir, name);
      const { size } = await stat(path);
      spool.push({ seq: Number(match[1]), events: Number(match[2]), bytes: size, path });
    }
    spool.nextSeq = (spool.segments.at(-1)?.seq ?? -1) + 1;
    return spool;
  }

  private push(segment: Segment): void {
    this.segments.push(segment);
    this.totalBytes += segment.bytes;
    this.totalEvents += segment.events;
  }

  get events(): number {
    return this.totalEvents;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get isEmpty(): boolean {
    return this.segments.length === 0;
  }

  /** Whether `bytes` more fit; an empty spool takes any one batch so that an oversized batch cannot wedge a sink. */
  fits(bytes: number): boolean {
    return this.segments.length === 0 || this.totalBytes + bytes <= this.maxBytes;
  }

  /** Writes a batch durably; resolves once it is on disk. The caller checks `fits` first. */
  async append(events: readonly TelemetryEvent[]): Promise<void> {
    const text = events.map((event) => `${encodeEvent(event)}\n`).join("");
    const seq = this.nextSeq++;
    const path = join(this.dir, `${String(seq).padStart(12, "0")}-${events.length}.ndjson`);
    const tmp = `${path}.tmp`;
    const handle = await open(tmp, "w");
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
    await syncDir(this.dir);
    this.push({ seq, events: events.length, bytes: Buffer.byteLength(text), path });
  }

  /** The oldest batch, or undefined when the spool is empty. */
  async peek(): Promise<TelemetryEvent[] | undefined> {
    const head = this.segments[0];
    if (!head) return undefined;
    const text = await readFile(head.path, "utf8");
    return text
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as TelemetryEvent);
  }

  /** Removes the oldest batch once it was delivered or dead-lettered. */
  async shift(): Promise<void> {
    const head = this.segments.shift();
    if (!head) return;
    this.totalBytes -= head.bytes;
    this.totalEvents -= head.events;
    await unlink(head.path);
  }
}

/** fsync of the directory makes the rename itself durable (ext4/xfs), not only the file's bytes. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
