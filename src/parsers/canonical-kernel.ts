import { readFileSync } from "node:fs";
import { type WasmMemory, WebAssemblyApi } from "../wasm-api.js";

/** Which members of an event to read off its canonical JSON: `true` for a value, a shape for an object's members. */
export interface MemberShape {
  readonly [key: string]: true | MemberShape;
}

/** A pingcap/log quoted value holding JSON, decoded by the WebAssembly kernel. */
export interface KernelDecoded {
  /** Whether the value is an array (ticloud's `body=[…]`), whose elements are the events. */
  array: boolean;
  /** The canonical JSON of the value, or of each element when it is an array (one per event). */
  canonical: string[];
  /**
   * Per event, the members the shape names, as `JSON.parse` would give them, except that objects and arrays the
   * shape does not open are empty stand-ins; null when the event is not a JSON object.
   */
  members: (Record<string, unknown> | null)[];
}

interface KernelExports {
  memory: WasmMemory;
  freeBase(): number;
  unescapedLength(): number;
  spanTotal(): number;
  members(at: number, table: number, keyCount: number, result: number): boolean;
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
// The start of the kernel's free memory holds the shapes: each one's result area for `members`, then its key table.
const SHAPE_AREA = 4096;

// Built by `npm run build` from assembly/canonical-kernel.ts; the same relative path from src/parsers and
// dist/parsers, so the tests (which run the sources) load the built kernel too.
const KERNEL_URL = new URL("../../dist/canonical-kernel.wasm", import.meta.url);

let kernel: KernelExports | null | undefined;
let bytes: Buffer;
/** The same memory as u32: `members` results are read through it (its result area is 4-byte aligned). */
let words: Uint32Array;

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
  const src = kernel.freeBase() + SHAPE_AREA;
  textAt = src + length + SLACK;
  outAt = textAt + length + SLACK;
  const scratch = outAt + length + SLACK;
  spanAreaAt = scratch + length + SLACK;
  const records = spanAreaAt + SPAN_AREA;
  const needed = records + 4 * length + 32;
  const memory = kernel.memory;
  if (memory.buffer.byteLength < needed) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE));
  if (bytes === undefined || bytes.buffer !== memory.buffer) {
    bytes = Buffer.from(memory.buffer);
    words = new Uint32Array(memory.buffer);
  }
  // An ASCII string is as many bytes as characters. The count can still match with other characters (one written,
  // the next not fitting), but those bytes are past ASCII and the kernel refuses them wherever they appear.
  if (bytes.write(input, src, length + 1, "utf8") !== length) return -1;
  return kernel.canonicalize(src, length, quoted, textAt, outAt, records, scratch, spanAreaAt);
}

interface CompiledShape {
  keys: string[];
  /** Where `members` writes (start, end, escaped) per key, as an index into the memory's u32 words. */
  result: number;
  /** The key table in the kernel's memory: (offset, length) per key. */
  table: number;
  nested: (CompiledShape | null)[];
}

const compiledShapes = new Map<MemberShape, CompiledShape>();
let shapeBytesUsed = 0;

/** Writes the shape's keys into the kernel's shape area once; null when they do not fit (the general path then). */
function compile(shape: MemberShape, kernelExports: KernelExports): CompiledShape | null {
  const known = compiledShapes.get(shape);
  if (known !== undefined) return known;
  const keys = Object.keys(shape);
  const keyBytes = keys.reduce((sum, key) => sum + Buffer.byteLength(key), 0);
  const base = kernelExports.freeBase();
  // Results are read as u32 words: their area starts on a 4-byte boundary.
  const result = (base + shapeBytesUsed + 3) & ~3;
  const table = result + 12 * keys.length;
  if (table + 8 * keys.length + keyBytes > base + SHAPE_AREA) return null;
  let at = table + 8 * keys.length;
  keys.forEach((key, i) => {
    const length = bytes.write(key, at, "utf8");
    bytes.writeUInt32LE(at, table + 8 * i);
    bytes.writeUInt32LE(length, table + 8 * i + 4);
    at += length;
  });
  shapeBytesUsed = at - base;
  const nested: (CompiledShape | null)[] = [];
  for (const key of keys) {
    const inner = shape[key];
    if (inner === true || inner === undefined) nested.push(null);
    else {
      const compiled = compile(inner, kernelExports);
      if (compiled === null) return null;
      nested.push(compiled);
    }
  }
  const compiled = { keys, result, table, nested };
  compiledShapes.set(shape, compiled);
  return compiled;
}

const EMPTY_OBJECT = Object.freeze({});
const EMPTY_ARRAY = Object.freeze([]);

/** The value at [start, end) of `text`, canonical JSON, as JSON.parse gives it; objects and arrays as stand-ins. */
function valueAt(text: string, start: number, end: number, escaped: boolean): unknown {
  switch (text.charCodeAt(start)) {
    case 0x22:
      return escaped ? JSON.parse(text.slice(start, end)) : text.slice(start + 1, end - 1);
    case 0x7b:
      return EMPTY_OBJECT;
    case 0x5b:
      return EMPTY_ARRAY;
    case 0x74:
      return true;
    case 0x66:
      return false;
    case 0x6e:
      return null;
    default:
      // Canonical numbers are spelled as JavaScript spells them, so this is the value JSON.parse gives.
      return Number(text.slice(start, end));
  }
}

/**
 * The members the shape names of the object at byte `at` of the kernel's output, or null when no object is there.
 * `text` is the event's canonical JSON, which starts at byte `textAt`: ASCII, so its characters are those bytes.
 */
function pick(
  at: number,
  shape: CompiledShape,
  text: string,
  textAt: number,
  kernelExports: KernelExports,
): Record<string, unknown> | null {
  const count = shape.keys.length;
  if (!kernelExports.members(at, shape.table, count, shape.result)) return null;
  const picked: Record<string, unknown> = {};
  // A nested shape has its own result area, so these words stay as they are while it is read.
  for (let i = 0, word = shape.result >> 2; i < count; i++, word += 3) {
    const end = words[word + 1] as number;
    if (end === 0) continue;
    const start = words[word] as number;
    const nested = shape.nested[i];
    picked[shape.keys[i] as string] =
      nested != null && bytes[start] === 0x7b
        ? pick(start, nested, text, textAt, kernelExports)
        : valueAt(text, start - textAt, end - textAt, words[word + 2] === 1);
  }
  return picked;
}

/**
 * The canonical JSON of the events in a quoted log value (JSON string escapes), as `canonicalJson` would write it
 * for `JSON.parse` of the unescaped text, with the members `shape` names read off it; null when the value is off
 * the kernel's fast path (see the kernel's header), in which case the caller decodes it in JavaScript.
 */
export function decodeWithKernel(quoted: string, shape: MemberShape): KernelDecoded | null {
  const canonicalLength = run(quoted, true);
  if (canonicalLength < 0 || kernel == null) return null;
  const compiled = compile(shape, kernel);
  if (compiled === null) return null;
  const canonical: string[] = [];
  const members: (Record<string, unknown> | null)[] = [];
  const array = bytes[outAt] === 0x5b;
  const elements = kernel.spanTotal();
  for (let i = 0; i < (array ? elements : 1); i++) {
    const start = array ? bytes.readUInt32LE(spanAreaAt + 8 * i) : outAt;
    const end = array ? bytes.readUInt32LE(spanAreaAt + 8 * i + 4) : outAt + canonicalLength;
    const text = bytes.toString("latin1", start, end);
    canonical.push(text);
    members.push(pick(start, compiled, text, start, kernel));
  }
  return { array, canonical, members };
}

/** `canonicalJson(JSON.parse(json))` for a JSON text on the kernel's fast path, else null. */
export function canonicalJsonWithKernel(json: string): string | null {
  const canonicalLength = run(json, false);
  return canonicalLength < 0 ? null : bytes.toString("latin1", outAt, outAt + canonicalLength);
}
