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
// The start of the kernel's free memory holds the shapes' key tables, then a result area for `members`.
const MAX_SHAPE_KEYS = 32;
const RESULT_BYTES = 12 * MAX_SHAPE_KEYS;
const SHAPE_AREA = 4096;

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
  const src = kernel.freeBase() + SHAPE_AREA;
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

interface CompiledShape {
  keys: string[];
  /** The key table in the kernel's memory: (offset, length) per key. */
  table: number;
  nested: (CompiledShape | null)[];
}

const compiledShapes = new Map<MemberShape, CompiledShape>();
let shapeBytesUsed = RESULT_BYTES;

/** Writes the shape's keys into the kernel's shape area once; null when they do not fit (the general path then). */
function compile(shape: MemberShape, kernelExports: KernelExports): CompiledShape | null {
  const known = compiledShapes.get(shape);
  if (known !== undefined) return known;
  const keys = Object.keys(shape);
  const keyBytes = keys.reduce((sum, key) => sum + Buffer.byteLength(key), 0);
  if (keys.length > MAX_SHAPE_KEYS || shapeBytesUsed + 8 * keys.length + keyBytes > SHAPE_AREA) return null;
  const base = kernelExports.freeBase();
  const table = base + shapeBytesUsed;
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
  const compiled = { keys, table, nested };
  compiledShapes.set(shape, compiled);
  return compiled;
}

const EMPTY_OBJECT = Object.freeze({});
const EMPTY_ARRAY = Object.freeze([]);

/** The value at [start, end) of canonical JSON, as JSON.parse gives it; objects and arrays as empty stand-ins. */
function valueAt(start: number, end: number, escaped: boolean): unknown {
  switch (bytes[start]) {
    case 0x22:
      return escaped ? JSON.parse(bytes.toString("latin1", start, end)) : bytes.toString("latin1", start + 1, end - 1);
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
      return Number(bytes.toString("latin1", start, end));
  }
}

/** The members of the canonical object at `at` the shape names, or null when `at` holds no object. */
function pick(at: number, shape: CompiledShape, kernelExports: KernelExports): Record<string, unknown> | null {
  const result = kernelExports.freeBase();
  if (!kernelExports.members(at, shape.table, shape.keys.length, result)) return null;
  // Every span is read before a nested object is opened: that call reuses the result area.
  const spans: number[] = [];
  for (let i = 0; i < shape.keys.length; i++) {
    const slot = result + 12 * i;
    spans.push(bytes.readUInt32LE(slot), bytes.readUInt32LE(slot + 4), bytes.readUInt32LE(slot + 8));
  }
  const picked: Record<string, unknown> = {};
  for (let i = 0; i < shape.keys.length; i++) {
    const start = spans[3 * i] as number;
    const end = spans[3 * i + 1] as number;
    if (end === 0) continue;
    const nested = shape.nested[i];
    const key = shape.keys[i] as string;
    picked[key] =
      nested != null && bytes[start] === 0x7b
        ? pick(start, nested, kernelExports)
        : valueAt(start, end, spans[3 * i + 2] === 1);
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
    canonical.push(bytes.toString("latin1", start, end));
    members.push(pick(start, compiled, kernel));
  }
  return { array, canonical, members };
}

/** `canonicalJson(JSON.parse(json))` for a JSON text on the kernel's fast path, else null. */
export function canonicalJsonWithKernel(json: string): string | null {
  const canonicalLength = run(json, false);
  return canonicalLength < 0 ? null : bytes.toString("latin1", outAt, outAt + canonicalLength);
}
