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
  canonicalizeQuoted(
    src: number,
    length: number,
    text: number,
    out: number,
    recordArea: number,
    scratchArea: number,
    spanArea: number,
  ): number;
  canonicalizeJson(
    src: number,
    length: number,
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

/** The kernel's regions for an input of `length` bytes, the memory grown to hold them. */
function layout(api: KernelExports, length: number) {
  const src = api.freeBase();
  const text = src + length + SLACK;
  const out = text + length + SLACK;
  const scratch = out + length + SLACK;
  const spans = scratch + length + SLACK;
  const records = spans + SPAN_AREA;
  const needed = records + 4 * length + 32;
  const memory = api.memory;
  if (memory.buffer.byteLength < needed) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE));
  if (bytes === undefined || bytes.buffer !== memory.buffer) bytes = Buffer.from(memory.buffer);
  return { src, text, out, scratch, spans, records };
}

/** Writes the input at `src`; false when it is not ASCII (the kernel's fast path is ASCII only). */
function writeAscii(input: string, src: number): boolean {
  // An ASCII string is as many bytes as characters. The count can still match with other characters (one written,
  // the next not fitting), but those bytes are past ASCII and the kernel refuses them wherever they appear.
  return bytes.write(input, src, input.length + 1, "utf8") === input.length;
}

/**
 * The JSON text inside a quoted log value (JSON string escapes) and its canonical JSON, as `canonicalJson` would
 * write it for `JSON.parse` of that text; null when the value is off the kernel's fast path (see the kernel's
 * header), in which case the caller decodes it in JavaScript. An array's elements are canonicalized one by one.
 */
export function decodeWithKernel(quoted: string): KernelDecoded | null {
  const length = quoted.length;
  if (length > MAX_VALUE_BYTES) return null;
  kernel ??= load();
  if (kernel === null) return null;
  const { src, text, out, scratch, spans, records } = layout(kernel, length);
  if (!writeAscii(quoted, src)) return null;
  const canonicalLength = kernel.canonicalizeQuoted(src, length, text, out, records, scratch, spans);
  if (canonicalLength < 0) return null;
  const json = bytes.toString("latin1", text, text + kernel.unescapedLength());
  const elements = kernel.spanTotal();
  if (elements === 0) return { json, canonical: [bytes.toString("latin1", out, out + canonicalLength)] };
  const canonical: string[] = [];
  for (let i = 0; i < elements; i++) {
    canonical.push(bytes.toString("latin1", bytes.readUInt32LE(spans + 8 * i), bytes.readUInt32LE(spans + 8 * i + 4)));
  }
  return { json, canonical };
}

/** `canonicalJson(JSON.parse(json))` for a JSON text on the kernel's fast path, else null. */
export function canonicalJsonWithKernel(json: string): string | null {
  const length = json.length;
  if (length > MAX_VALUE_BYTES) return null;
  kernel ??= load();
  if (kernel === null) return null;
  const { src, out, scratch, spans, records } = layout(kernel, length);
  if (!writeAscii(json, src)) return null;
  const canonicalLength = kernel.canonicalizeJson(src, length, out, records, scratch, spans);
  return canonicalLength < 0 ? null : bytes.toString("latin1", out, out + canonicalLength);
}
