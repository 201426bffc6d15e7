/**
 * Just enough of the WebAssembly binary format (core 2.0 + fixed-width SIMD) to hand-assemble the marker kernel at
 * run time: no .wasm file to build or ship, and the needles become constants in the code. Opcode names follow the
 * text format, so `kernel-functions.ts` reads like a .wat listing.
 */

export type Bytes = number[];

export function uleb(value: number): Bytes {
  const out: Bytes = [];
  let rest = value >>> 0;
  do {
    const byte = rest & 0x7f;
    rest >>>= 7;
    out.push(rest === 0 ? byte : byte | 0x80);
  } while (rest !== 0);
  return out;
}

export function sleb(value: number): Bytes {
  const out: Bytes = [];
  let rest = value | 0;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

export const I32 = 0x7f;
export const V128 = 0x7b;
const VOID = 0x40;

const simd = (code: number): Bytes => [0xfd, ...uleb(code)];
/** memarg: alignment hint (log2) then a constant offset added to the address operand. */
const memarg = (align: number, offset: number): Bytes => [...uleb(align), ...uleb(offset)];

/** Instructions, named as in the text format. */
export const op = {
  block: [0x02, VOID],
  loop: [0x03, VOID],
  if: [0x04, VOID],
  end: [0x0b],
  br: (depth: number): Bytes => [0x0c, ...uleb(depth)],
  brIf: (depth: number): Bytes => [0x0d, ...uleb(depth)],
  return: [0x0f],
  call: (index: number): Bytes => [0x10, ...uleb(index)],
  localGet: (index: number): Bytes => [0x20, ...uleb(index)],
  localSet: (index: number): Bytes => [0x21, ...uleb(index)],
  localTee: (index: number): Bytes => [0x22, ...uleb(index)],
  globalGet: (index: number): Bytes => [0x23, ...uleb(index)],
  globalSet: (index: number): Bytes => [0x24, ...uleb(index)],
  i32Load8U: (offset: number): Bytes => [0x2d, ...memarg(0, offset)],
  i32Const: (value: number): Bytes => [0x41, ...sleb(value)],
  i32Eqz: [0x45],
  i32Eq: [0x46],
  i32Ne: [0x47],
  i32LtS: [0x48],
  i32GtS: [0x4a],
  i32GtU: [0x4b],
  i32GeU: [0x4f],
  i32Ctz: [0x68],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32And: [0x71],
  v128Load: (offset: number): Bytes => [...simd(0x00), ...memarg(0, offset)],
  v128Const: (lanes: readonly number[]): Bytes => [...simd(0x0c), ...lanes.map((lane) => lane & 0xff)],
  i32x4ExtractLane: (lane: number): Bytes => [...simd(0x1b), lane],
  i8x16Eq: simd(0x23),
  v128And: simd(0x4e),
  v128Or: simd(0x50),
  v128AnyTrue: simd(0x53),
  i8x16Bitmask: simd(0x64),
  i8x16Sub: simd(0x71),
  i16x8ExtaddPairwiseI8x16U: simd(0x7d),
  i32x4ExtaddPairwiseI16x8U: simd(0x7f),
};

export const splat = (byte: number): Bytes => op.v128Const(new Array<number>(16).fill(byte));

function section(id: number, body: Bytes): Bytes {
  return [id, ...uleb(body.length), ...body];
}

function vector(items: Bytes[]): Bytes {
  return [...uleb(items.length), ...items.flat()];
}

function name(text: string): Bytes {
  const bytes = [...Buffer.from(text, "utf8")];
  return [...uleb(bytes.length), ...bytes];
}

export interface WasmFunction {
  name: string;
  params: number[];
  results: number[];
  /** Extra locals after the params, in order, each one value type. */
  locals: number[];
  body: Bytes;
}

/** A module with one exported memory (`memory`), one exported mutable i32 global (`result2`) and the functions. */
export function encodeModule(functions: WasmFunction[], memoryPages: number, maxPages: number): Uint8Array {
  const types = functions.map((fn) => [
    0x60,
    ...vector(fn.params.map((t) => [t])),
    ...vector(fn.results.map((t) => [t])),
  ]);
  const bodies = functions.map((fn) => {
    const code = [...vector(fn.locals.map((t) => [1, t])), ...fn.body, ...op.end];
    return [...uleb(code.length), ...code];
  });
  const exports = [
    [...name("memory"), 0x02, 0],
    [...name("result2"), 0x03, 0],
    ...functions.map((fn, index) => [...name(fn.name), 0x00, ...uleb(index)]),
  ];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(3, vector(functions.map((_, index) => uleb(index)))),
    ...section(5, vector([[0x01, ...uleb(memoryPages), ...uleb(maxPages)]])),
    ...section(6, vector([[I32, 0x01, ...op.i32Const(0), ...op.end]])),
    ...section(7, vector(exports)),
    ...section(10, vector(bodies)),
  ]);
}
