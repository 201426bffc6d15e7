import { closeSync, openSync, readSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import type { Malformed } from "../engine/extractor.js";
import type { TelemetryEvent } from "../events.js";
import type { EventFilterSpec } from "../filter/event-filter.js";
import type { BufferedWriter } from "../output/buffered-writer.js";
import type { EventPrinter } from "../output/event-printer.js";
import { FileSource } from "../sources/file/file-source.js";

export interface FollowOptions {
  operands: readonly string[];
  spec: EventFilterSpec;
  maxLineBytes: number;
  /** Poll the files every this many ms instead of waiting for change notifications. */
  pollIntervalMs: number | undefined;
  keep: (event: TelemetryEvent) => boolean;
  /** Whether the printer needs the log line itself (`-o raw`): it is read back from the file by offset. */
  needsRaw: boolean;
  printer: EventPrinter;
  out: BufferedWriter;
  /** `-q`: the answer is known at the first event, as grep -q stops at its first match. */
  quiet: boolean;
  onMalformed: (malformed: Malformed) => void;
}

/** The line starting at `offset`, read back for `-o raw` (the tailer hands out events, not lines). */
function readLineAt(path: string, offset: number, maxLineBytes: number): Buffer {
  const fd = openSync(path, "r");
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    for (let at = offset; size < maxLineBytes; ) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, maxLineBytes - size));
      const count = readSync(fd, chunk, 0, chunk.length, at);
      if (count === 0) break;
      const lf = chunk.subarray(0, count).indexOf(10);
      chunks.push(chunk.subarray(0, lf < 0 ? count : lf));
      size += lf < 0 ? count : lf;
      if (lf >= 0) break;
      at += count;
    }
    return Buffer.concat(chunks).subarray(0, size);
  } catch {
    return Buffer.alloc(0);
  } finally {
    closeSync(fd);
  }
}

/** An operand as a tailer include glob: a directory means everything below it. */
function includeGlob(operand: string): string {
  const absolute = resolve(operand);
  try {
    if (statSync(absolute).isDirectory()) return join(absolute, "**");
  } catch {
    // Not there yet, or a glob: the tailer picks it up when it appears.
  }
  return absolute;
}

/**
 * `grep --follow`: the daemon's tailer without a checkpoint. Prints what the files hold, then what is appended,
 * across rotation and truncation, until SIGINT or SIGTERM.
 */
export async function follow(options: FollowOptions): Promise<number> {
  // The tailer works on absolute paths; events name their file as plain grep does, from the operands as given.
  const asGiven = options.operands.every((operand) => !isAbsolute(operand))
    ? (event: TelemetryEvent): TelemetryEvent => ({
        ...event,
        source: { ...event.source, path: relative(process.cwd(), event.source.path) },
      })
    : (event: TelemetryEvent) => event;
  let found = 0;
  let foundOne: () => void = () => {};
  const first = new Promise<void>((resolve) => {
    foundOne = resolve;
  });
  let failed = false;
  const source = new FileSource({
    id: "follow",
    config: {
      include: options.operands.map(includeGlob),
      readFrom: "beginning",
      producers: options.spec.producers?.length ? [...options.spec.producers] : undefined,
      maxLineBytes: options.maxLineBytes,
      ...(options.pollIntervalMs === undefined ? {} : { watch: "poll", pollIntervalMs: options.pollIntervalMs }),
    },
    baseDir: process.cwd(),
    checkpointPath: null,
    onMalformed: options.onMalformed,
    onError: (error) => {
      failed = true;
      process.stderr.write(`teletap grep: ${error.message}\n`);
    },
  });
  await source.start(async (batch) => {
    for (const tailed of batch.events) {
      const event = asGiven(tailed);
      if (!options.keep(event)) continue;
      found++;
      foundOne();
      const raw = options.needsRaw
        ? readLineAt(event.source.path, event.source.offset, options.maxLineBytes)
        : Buffer.alloc(0);
      options.printer.event(event, raw);
    }
    options.out.flush();
    batch.ack();
  });
  await new Promise<void>((done) => {
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
    // `grep -f … | head -1`: once the reader is gone there is no one to follow for.
    void options.out.whenClosed.then(done);
    if (options.quiet) void first.then(done);
  });
  await source.stop();
  options.printer.end();
  await options.out.end();
  if (failed) return 2;
  return found > 0 ? 0 : 1;
}
