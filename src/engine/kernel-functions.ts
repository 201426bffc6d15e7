// The marker kernel's WebAssembly functions, as listings in text-format instruction names (the source of the module
// MarkerKernel assembles at run time; the needles are baked in as constants).
import { type Bytes, I32, op, splat, V128, type WasmFunction } from "./wasm-encoding.js";

const LF = 10;
// A lane of the i8x16 newline accumulator holds at most 255 before it wraps: fold it into an i32 that often.
const FOLD_EVERY = 255;

/** Rough byte frequencies in logs (lower = rarer): the two rarest bytes of a needle make the SIMD prefilter. */
function commonness(byte: number): number {
  const text = ' etaoinsrhldcu:mfpg"=.,0123456789/[]-_ywbvkxjqz';
  const at = text.indexOf(String.fromCharCode(byte));
  return at < 0 ? -1 : text.length - at;
}

function rarestPair(needle: Buffer): [number, number] {
  const order = [...needle.keys()].sort((a, b) => commonness(needle[a] ?? 0) - commonness(needle[b] ?? 0) || a - b);
  const first = order[0] ?? 0;
  const second = order.find((at) => needle[at] !== needle[first]) ?? order[1] ?? first;
  return first < second ? [first, second] : [second, first];
}

// Locals shared by the listings below (params first).
const FROM = 0;
const TO = 1;

/** total += the sum of acc's 16 u8 lanes (acc is a v128 local, tmp another v128 local). */
function foldInto(total: number, acc: number, tmp: number): Bytes {
  return [
    ...op.localGet(total),
    ...op.localGet(acc),
    ...op.i16x8ExtaddPairwiseI8x16U,
    ...op.i32x4ExtaddPairwiseI16x8U,
    ...op.localTee(tmp),
    ...op.i32x4ExtractLane(0),
    ...[1, 2, 3].flatMap((lane) => [...op.localGet(tmp), ...op.i32x4ExtractLane(lane), ...op.i32Add]),
    ...op.i32Add,
    ...op.localSet(total),
  ];
}

/** acc -= (bytes[i, i+16) == LF), one lane per byte; folded into total every FOLD_EVERY blocks. */
function countBlock(i: number, acc: number, inner: number, total: number, tmp: number): Bytes {
  return [
    ...op.localGet(acc),
    ...op.localGet(i),
    ...op.v128Load(0),
    ...splat(LF),
    ...op.i8x16Eq,
    ...op.i8x16Sub,
    ...op.localSet(acc),
    ...op.localGet(inner),
    ...op.i32Const(1),
    ...op.i32Add,
    ...op.localTee(inner),
    ...op.i32Const(FOLD_EVERY),
    ...op.i32Eq,
    ...op.if,
    ...foldInto(total, acc, tmp),
    ...op.v128Const(new Array<number>(16).fill(0)),
    ...op.localSet(acc),
    ...op.i32Const(0),
    ...op.localSet(inner),
    ...op.end,
  ];
}

/** count(from, to): LF bytes in memory[from, to). */
function countFunction(): WasmFunction {
  const [i, acc, inner, total, tmp] = [2, 3, 4, 5, 6];
  return {
    name: "count",
    params: [I32, I32],
    results: [I32],
    locals: [I32, V128, I32, I32, V128],
    body: [
      ...op.localGet(FROM),
      ...op.localSet(i),
      ...op.block,
      ...op.loop,
      // while (to - i >= 16)
      ...[...op.localGet(TO), ...op.localGet(i), ...op.i32Sub, ...op.i32Const(16), ...op.i32LtS, ...op.brIf(1)],
      ...countBlock(i, acc, inner, total, tmp),
      ...[...op.localGet(i), ...op.i32Const(16), ...op.i32Add, ...op.localSet(i), ...op.br(0)],
      ...op.end,
      ...op.end,
      ...foldInto(total, acc, tmp),
      ...scalarTail(i, total, null),
      ...op.localGet(total),
    ],
  };
}

/** Byte by byte from i to `to`: counts LFs and, with a matcher, returns at the first needle that fits before `to`. */
function scalarTail(i: number, total: number, matcher: number | null): Bytes {
  const onMatch =
    matcher === null
      ? []
      : [
          ...[...op.localGet(i), ...op.localGet(TO), ...op.call(matcher), ...op.if],
          ...[...op.localGet(total), ...op.globalSet(0), ...op.localGet(i), ...op.return, ...op.end],
        ];
  return [
    ...op.block,
    ...op.loop,
    ...[...op.localGet(i), ...op.localGet(TO), ...op.i32GeU, ...op.brIf(1)],
    ...onMatch,
    ...[...op.localGet(total), ...op.localGet(i), ...op.i32Load8U(0), ...op.i32Const(LF), ...op.i32Eq, ...op.i32Add],
    ...op.localSet(total),
    ...[...op.localGet(i), ...op.i32Const(1), ...op.i32Add, ...op.localSet(i), ...op.br(0)],
    ...op.end,
    ...op.end,
  ];
}

/** matchAt(p, to): 1 when some needle starts at p and ends at or before `to`, else 0. */
function matchFunction(needles: Buffer[]): WasmFunction {
  const P = 0;
  const body: Bytes = [];
  for (const needle of needles) {
    body.push(...op.block);
    body.push(...op.localGet(P), ...op.i32Const(needle.length), ...op.i32Add, ...op.localGet(TO), ...op.i32GtU);
    body.push(...op.brIf(0));
    needle.forEach((byte, at) => {
      body.push(...op.localGet(P), ...op.i32Load8U(at), ...op.i32Const(byte), ...op.i32Ne, ...op.brIf(0));
    });
    body.push(...op.i32Const(1), ...op.return, ...op.end);
  }
  body.push(...op.i32Const(0));
  return { name: "matchAt", params: [I32, I32], results: [I32], locals: [], body };
}

/** OR over the needles of (block[a] == needle[a]) & (block[b] == needle[b]): lanes where a needle may start. */
function filterBlock(needles: Buffer[], i: number, splats: number, offset: number): Bytes {
  const out: Bytes = [];
  needles.forEach((needle, k) => {
    const [a, b] = rarestPair(needle);
    out.push(...op.localGet(i), ...op.v128Load(offset + a), ...op.localGet(splats + 2 * k), ...op.i8x16Eq);
    out.push(...op.localGet(i), ...op.v128Load(offset + b), ...op.localGet(splats + 2 * k + 1), ...op.i8x16Eq);
    out.push(...op.v128And);
    if (k > 0) out.push(...op.v128Or);
  });
  return out;
}

/** Sets the needle splat locals (two per needle, from `splats` on) once, outside the loops. */
function setSplats(needles: Buffer[], splats: number): Bytes {
  return needles.flatMap((needle, k) =>
    rarestPair(needle).flatMap((at, j) => [...splat(needle[at] ?? 0), ...op.localSet(splats + 2 * k + j)]),
  );
}

/** firstIn64(i, to): the first needle start in bytes[i, i + 64) that matchAt confirms, or -1. */
function firstIn64Function(needles: Buffer[], matcher: number): WasmFunction {
  const [i, end, bits, p, splats] = [FROM, 2, 3, 4, 5];
  return {
    name: "firstIn64",
    params: [I32, I32],
    results: [I32],
    locals: [I32, I32, I32, ...needles.flatMap(() => [V128, V128])],
    body:
      needles.length === 0
        ? op.i32Const(-1)
        : [
            ...setSplats(needles, splats),
            ...[...op.localGet(i), ...op.i32Const(64), ...op.i32Add, ...op.localSet(end)],
            ...op.block,
            ...op.loop,
            ...[...op.localGet(i), ...op.localGet(end), ...op.i32GeU, ...op.brIf(1)],
            ...filterBlock(needles, i, splats, 0),
            ...[...op.i8x16Bitmask, ...op.localSet(bits)],
            ...op.block,
            ...op.loop,
            ...[...op.localGet(bits), ...op.i32Eqz, ...op.brIf(1)],
            ...[...op.localGet(i), ...op.localGet(bits), ...op.i32Ctz, ...op.i32Add, ...op.localTee(p)],
            ...[...op.localGet(TO), ...op.call(matcher), ...op.if, ...op.localGet(p), ...op.return, ...op.end],
            ...[...op.localGet(bits), ...op.localGet(bits), ...op.i32Const(1), ...op.i32Sub, ...op.i32And],
            ...[...op.localSet(bits), ...op.br(0)],
            ...op.end,
            ...op.end,
            ...[...op.localGet(i), ...op.i32Const(16), ...op.i32Add, ...op.localSet(i), ...op.br(0)],
            ...op.end,
            ...op.end,
            ...op.i32Const(-1),
          ],
  };
}

// 64 bytes per iteration: one any_true over four blocks' filters, and four LF compares summed before one fold
// check, so a lane can take 63 iterations (252) before it must be folded.
const QUAD_FOLD_EVERY = 63;

/**
 * find(from, to): the first needle occurrence lying wholly in [from, to), or -1; the global `result2` is then the
 * LF count in [from, hit) (or [from, to)). One pass does both, 64 bytes at a time: LF compares are accumulated and
 * each needle's two rarest bytes are compared at their offsets (Muła's SIMD substring filter); only where both agree
 * are candidates confirmed byte by byte.
 */
function findFunction(needles: Buffer[], matcher: number, counter: number, firstIn64: number): WasmFunction {
  const [i, limit, acc, inner, p, total, tmp, lf, splats] = [2, 3, 4, 5, 6, 7, 8, 9, 10];
  const longest = Math.max(1, ...needles.map((needle) => needle.length));
  const onCandidates: Bytes =
    needles.length === 0
      ? []
      : [
          ...filterBlock(needles, i, splats, 0),
          ...[16, 32, 48].flatMap((offset) => [...filterBlock(needles, i, splats, offset), ...op.v128Or]),
          ...op.v128AnyTrue,
          ...op.if,
          ...[...op.localGet(i), ...op.localGet(TO), ...op.call(firstIn64), ...op.localTee(p)],
          ...[...op.i32Const(-1), ...op.i32Ne, ...op.if],
          // A hit: LFs of the folded iterations + the unfolded ones + those of this stretch before p.
          ...foldInto(total, acc, tmp),
          ...[...op.localGet(total), ...op.localGet(i), ...op.localGet(p), ...op.call(counter), ...op.i32Add],
          ...[...op.globalSet(0), ...op.localGet(p), ...op.return],
          ...op.end,
          ...op.end,
        ];
  const countQuad: Bytes = [
    ...op.localGet(acc),
    ...[0, 16, 32, 48].flatMap((offset) => [
      ...op.localGet(i),
      ...op.v128Load(offset),
      ...op.localGet(lf),
      ...op.i8x16Eq,
      ...op.i8x16Sub,
    ]),
    ...op.localSet(acc),
    ...[...op.localGet(inner), ...op.i32Const(1), ...op.i32Add, ...op.localTee(inner)],
    ...[...op.i32Const(QUAD_FOLD_EVERY), ...op.i32Eq, ...op.if],
    ...foldInto(total, acc, tmp),
    ...[...op.v128Const(new Array<number>(16).fill(0)), ...op.localSet(acc), ...op.i32Const(0), ...op.localSet(inner)],
    ...op.end,
  ];
  return {
    name: "find",
    params: [I32, I32],
    results: [I32],
    locals: [I32, I32, V128, I32, I32, I32, V128, V128, ...needles.flatMap(() => [V128, V128])],
    body: [
      ...[...op.localGet(FROM), ...op.localSet(i)],
      ...[...splat(LF), ...op.localSet(lf)],
      ...setSplats(needles, splats),
      // The last stretch start whose candidates' needles all end before `to`.
      ...[...op.localGet(TO), ...op.i32Const(63 + longest), ...op.i32Sub, ...op.localSet(limit)],
      ...op.block,
      ...op.loop,
      ...[...op.localGet(i), ...op.localGet(limit), ...op.i32GtS, ...op.brIf(1)],
      ...onCandidates,
      ...countQuad,
      ...[...op.localGet(i), ...op.i32Const(64), ...op.i32Add, ...op.localSet(i), ...op.br(0)],
      ...op.end,
      ...op.end,
      ...foldInto(total, acc, tmp),
      ...scalarTail(i, total, needles.length === 0 ? null : matcher),
      ...[...op.localGet(total), ...op.globalSet(0), ...op.i32Const(-1)],
    ],
  };
}

/** The kernel's functions, in index order: matchAt 0, count 1, firstIn64 2, find 3 (the module exports them). */
export function kernelFunctions(needles: Buffer[]): WasmFunction[] {
  return [matchFunction(needles), countFunction(), firstIn64Function(needles, 0), findFunction(needles, 0, 1, 2)];
}
