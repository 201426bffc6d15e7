import { mkdir, open, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { TelemetryEvent } from "../events.js";

/** One line of the dead-letter file: an event a sink refused for good, and why. */
export interface DeadLetterEntry {
  time: string;
  sink: string;
  status: number | null;
  reason: string;
  event: TelemetryEvent;
}

/** The dead-letter file's path under the data directory. */
export const deadLetterPath = (dataDir: string) => `${dataDir}/dead-letter.ndjson`;

/**
 * Appends refused events to the dead-letter NDJSON file, fsynced before it resolves: a dead-lettered event is as
 * durable as a delivered one, which is what lets the pipeline acknowledge it.
 */
export class DeadLetter {
  private chain: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  append(sink: string, events: readonly TelemetryEvent[], reason: string, status?: number): Promise<void> {
    const time = new Date().toISOString();
    const text = events
      .map(
        (event) =>
          `${JSON.stringify({ time, sink, status: status ?? null, reason, event } satisfies DeadLetterEntry)}\n`,
      )
      .join("");
    // Sinks write concurrently; chaining keeps each batch's lines together in the file.
    const write = this.chain.then(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      const handle = await open(this.path, "a");
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
    });
    this.chain = write.catch(() => {});
    return write;
  }
}

/** Reads the dead-letter file; a missing file is an empty one. Unreadable lines are returned as `bad`, never lost. */
export async function readDeadLetters(path: string): Promise<{ entries: DeadLetterEntry[]; bad: string[] }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { entries: [], bad: [] };
    throw error;
  }
  const entries: DeadLetterEntry[] = [];
  const bad: string[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    try {
      const entry = JSON.parse(line) as DeadLetterEntry;
      if (typeof entry.sink === "string" && entry.event && typeof entry.event.id === "string") entries.push(entry);
      else bad.push(line);
    } catch {
      bad.push(line);
    }
  }
  return { entries, bad };
}
