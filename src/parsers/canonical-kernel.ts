import { readFileSync } from "node:fs";
import { type WasmMemory, WebAssemblyApi } from "../wasm-api.js";

/** A pingcap/log quoted value holding JSON, decoded by the WebAssembly kernel. */
export interface KernelDecoded {
  /** The unescaped value: the JSON text as the producer wrote it. */
  json: string;
  /** The canonical JSON of the whole value, or of each element when it is an array (one per event). */
  canonical: string[];
}

interface KernelExports {
  memory: WasmMemory;
  freeBase(): number;
  unescapedLength(): number;
  spanTotal(): number;
  canonicalize(
    src: number,
    length: number,
    quoted: boolean,
    text: number,
    out: number,
    recordArea: number,
    scratchArea: number,
    spanArea: number,
  ): number;
}

// Larger values take the general path: the kernel's memory never shrinks, so it is kept to a few MiB.
const MAX_VALUE_BYTES = 256 * 1024;
const SLACK = 16;
const SPAN_AREA = 8 * 4096;
const PAGE = 65536;

// Built by `npm run build` from assembly/canonical-kernel.ts; the same relative path from src/parsers and
// dist/parsers, so the tests (which run the sources) load the built kernel too.
const KERNEL_URL = new URL("../../dist/canonical-kernel.wasm", import.meta.url);

let kernel: KernelExports | null | undefined;
let bytes: Buffer;

function load(): KernelExports | null {
  try {
    const module = new WebAssemblyApi.Module(readFileSync(KERNEL_URL));
    const instance = new WebAssemblyApi.Instance(module, {
      env: {
        abort: () => {
          throw new Error("canonical kernel aborted");
        },
      },
    });
    return instance.exports as unknown as KernelExports;
  } catch {
    // Without the built kernel (sources run before any build) every value takes the general path: same output.
    return null;
  }
}

/** Whether the kernel was built and loads: a check for the tests, as its absence only costs speed. */
export function canonicalKernelLoaded(): boolean {
  kernel ??= load();
  return kernel !== null;
}

// Where the last run read and wrote in the kernel's memory: set by run(), read right after it.
let textAt = 0;
let outAt = 0;
let spanAreaAt = 0;

/**
 * Runs the kernel over `input` (`quoted`: a log value to unescape first): the canonical JSON's length at outAt,
 * or -1 when the input is off the fast path. The memory is grown to fit first.
 */
function run(input: string, quoted: boolean): number {
  const length = input.length;
  if (length > MAX_VALUE_BYTES) return -1;
  kernel ??= load();
  if (kernel === null) return -1;
  const src = kernel.freeBase();
  textAt = src + length + SLACK;
  outAt = textAt + length + SLACK;
  const scratch = outAt + length + SLACK;
  spanAreaAt = scratch + length + SLACK;
  const records = spanAreaAt + SPAN_AREA;
  const needed = records + 4 * length + 32;
  const memory = kernel.memory;
  if (memory.buffer.byteLength < needed) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE));
  if (bytes === undefined || bytes.buffer !== memory.buffer) bytes = Buffer.from(memory.buffer);
  // An ASCII string is as many bytes as characters. The count can still match with other characters (one written,
  // the next not fitting), but those bytes are past ASCII and the kernel refuses them wherever they appear.
  if (bytes.write(input, src, length + 1, "utf8") !== length) return -1;
  return kernel.canonicalize(src, length, quoted, textAt, outAt, records, scratch, spanAreaAt);
}

/**
 * The JSON text inside a quoted log value (JSON string escapes) and its canonical JSON, as `canonicalJson` would
 * write it for `JSON.parse` of that text; null when the value is off the kernel's fast path (see the kernel's
 * header), in which case the caller decodes it in JavaScript. An array's elements are canonicalized one by one.
 */
export function decodeWithKernel(quoted: string): KernelDecoded | null {
  const canonicalLength = run(quoted, true);
  if (canonicalLength < 0 || kernel == null) return null;
  const json = bytes.toString("latin1", textAt, textAt + kernel.unescapedLength());
  const elements = kernel.spanTotal();
  if (elements === 0) return { json, canonical: [bytes.toString("latin1", outAt, outAt + canonicalLength)] };
  const canonical: string[] = [];
  for (let i = 0; i < elements; i++) {
    const span = spanAreaAt + 8 * i;
    canonical.push(bytes.toString("latin1", bytes.readUInt32LE(span), bytes.readUInt32LE(span + 4)));
  }
  return { json, canonical };
}

/** `canonicalJson(JSON.parse(json))` for a JSON text on the kernel's fast path, else null. */
export function canonicalJsonWithKernel(json: string): string | null {
  const canonicalLength = run(json, false);
  return canonicalLength < 0 ? null : bytes.toString("latin1", outAt, outAt + canonicalLength);
}
