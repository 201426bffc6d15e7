import { readSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import type { TelemetryEvent } from "../events.js";
import { Extractor, type Malformed } from "./extractor.js";
import type { ScanStats } from "./scan-stats.js";

/** What the main thread hands the worker: the shared descriptor (threads share the process's fd table). */
export interface ScanWorkerInput {
  fd: number;
  from: number;
  path: string;
  producers?: ExtractorProducers;
  maxLineBytes?: number;
  chunkBytes?: number;
  rejoinWrapped?: boolean;
  /** Int32 [outstanding raw bytes posted but not yet consumed, KiB read so far]. */
  flow: SharedArrayBuffer;
}
type ExtractorProducers = ConstructorParameters<typeof Extractor>[0]["producers"];

/** Events and malformed lines in file order; an event's line bytes are raw[previous end, end). */
export type ScanWorkerItem = { event: TelemetryEvent; end: number } | { malformed: Malformed };
export type ScanWorkerMessage =
  | { kind: "batch"; items: ScanWorkerItem[]; raw: Uint8Array; weight: number }
  | { kind: "done"; stats: ScanStats };

// Posted but unconsumed line bytes the worker may run ahead by: bounds memory when the main thread is busy with its
// own half (a dense log would otherwise queue half its events); 16 MiB of lines is about 50 MiB of event objects.
const MAX_OUTSTANDING = 16 * 1024 * 1024;
// Items per message: structured-clone cost is per message as much as per item.
const BATCH_ITEMS = 512;

const input = workerData as ScanWorkerInput;
const flow = new Int32Array(input.flow);
let items: ScanWorkerItem[] = [];
let raws: Buffer[] = [];
let rawBytes = 0;

function flush(): void {
  if (items.length === 0) return;
  for (let posted = Atomics.load(flow, 0); posted > MAX_OUTSTANDING; posted = Atomics.load(flow, 0)) {
    Atomics.wait(flow, 0, posted, 100);
  }
  const weight = Math.max(1, rawBytes);
  Atomics.add(flow, 0, weight);
  const message: ScanWorkerMessage = { kind: "batch", items, raw: Buffer.concat(raws, rawBytes), weight };
  parentPort?.postMessage(message);
  items = [];
  raws = [];
  rawBytes = 0;
}

const extractor = new Extractor({
  path: input.path,
  producers: input.producers,
  maxLineBytes: input.maxLineBytes,
  chunkBytes: input.chunkBytes,
  rejoinWrapped: input.rejoinWrapped,
  startOffset: input.from,
  onEvent(event, raw) {
    raws.push(Buffer.from(raw));
    rawBytes += raw.length;
    // Structured clone refuses the lazily parsed attributes (a Proxy): a plain copy goes instead.
    items.push({ event: { ...event, attributes: { ...event.attributes } }, end: rawBytes });
    if (items.length >= BATCH_ITEMS) flush();
  },
  onMalformed(malformed) {
    items.push({ malformed });
    if (items.length >= BATCH_ITEMS) flush();
  },
});

for (let position = input.from; ; ) {
  const region = extractor.scanner.reserve();
  const count = readSync(input.fd, region, 0, region.length, position);
  if (count === 0) break;
  position += count;
  extractor.scanner.commit(count);
  Atomics.store(flow, 1, Math.floor((position - input.from) / 1024));
}
extractor.scanner.finish();
flush();
parentPort?.postMessage({ kind: "done", stats: extractor.stats } satisfies ScanWorkerMessage);
