// AssemblyScript, compiled by `npm run build` to dist/canonical-kernel.wasm; src/parsers/canonical-kernel.ts loads it.
//
// The fast path of the payloads' canonical JSON (what the event id hashes). For a ticloud payload, a pingcap/log
// quoted value holding JSON (`\"timestamp\":…`), it unescapes the value and writes the canonical JSON
// `canonicalJson` would write for it (keys sorted at every depth, JSON.stringify's spelling), one pass per layer;
// for a TiSpark report, plain JSON text, only the second pass. Anything the output could differ on is refused (-1)
// and decoded the general way in JavaScript: bytes outside ASCII, escapes for controls in keys, non-ASCII or
// surrogate `\u` escapes, numbers whose JavaScript spelling may differ (exponents, more than 15 digits, under 1e-6),
// duplicate and `__proto__` keys, nesting deeper than MAX_DEPTH, unsorted objects larger than MAX_REORDERED_MEMBERS.

const MAX_DEPTH: i32 = 64;
const MAX_SPANS: i32 = 4096;
// Members re-ordered by insertion sort; an unsorted object with more (no telemetry payload has them) would cost
// quadratic time, so it takes the general path.
const MAX_REORDERED_MEMBERS: i32 = 256;
const QUOTE: u32 = 0x22;
const BACKSLASH: u32 = 0x5c;

let p: usize = 0; // read cursor in the JSON text (the unescaped value, or the input itself)
let end: usize = 0;
let o: usize = 0; // write cursor in the canonical output
let records: usize = 0; // per object member: output start, output end, key start, key length (u32 each)
let scratch: usize = 0;
let spans: usize = 0;
let spanCount: i32 = 0;
let textLength: i32 = 0;
let failed = false;
let escapeLength: usize = 0; // bytes of the escape escapedChar() last read

/** Where the caller may lay out its buffers: past the kernel's own static data. */
export function freeBase(): usize {
  return __heap_base;
}

/** Length of the JSON text the last call unescaped. */
export function unescapedLength(): i32 {
  return textLength;
}

/** How many top-level array elements the last call spanned (0 when the value is not an array). */
export function spanTotal(): i32 {
  return spanCount;
}

/** Offset of the first quote, backslash, control or non-ASCII byte of the 16 at `at`, or 16. */
function firstSpecial(at: usize): i32 {
  const v = v128.load(at);
  const special = v128.or(
    v128.or(i8x16.eq(v, i8x16.splat(0x22)), i8x16.eq(v, i8x16.splat(0x5c))),
    // Signed: bytes 0x80-0xff are negative, so one compare finds controls and non-ASCII alike.
    i8x16.lt_s(v, i8x16.splat(0x20)),
  );
  const bits = i8x16.bitmask(special);
  return bits === 0 ? 16 : <i32>ctz(bits);
}

function hexDigit(c: u32): i32 {
  if (c >= 0x30 && c <= 0x39) return <i32>(c - 0x30);
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return <i32>(lower - 0x61 + 10);
  return -1;
}

function hex4(at: usize): i32 {
  const a = hexDigit(load<u8>(at));
  const b = hexDigit(load<u8>(at + 1));
  const c = hexDigit(load<u8>(at + 2));
  const d = hexDigit(load<u8>(at + 3));
  if ((a | b | c | d) < 0) return -1;
  return (a << 12) | (b << 8) | (c << 4) | d;
}

/** The character a one-letter escape stands for, or -1. */
function simpleEscape(e: u32): i32 {
  if (e === QUOTE || e === BACKSLASH || e === 0x2f) return <i32>e;
  if (e === 0x6e) return 0x0a;
  if (e === 0x74) return 0x09;
  if (e === 0x72) return 0x0d;
  if (e === 0x62) return 0x08;
  if (e === 0x66) return 0x0c;
  return -1;
}

/** Copies the 16 bytes at `from` to `to` whole; returns how many of them come before the first special byte. */
function copyRun(from: usize, to: usize): i32 {
  v128.store(to, v128.load(from));
  return firstSpecial(from);
}

/** The ASCII character the escape at `at` (its backslash) stands for, or -1; sets escapeLength (2 or 6). */
function escapedChar(at: usize, stop: usize): i32 {
  if (at + 1 >= stop) return -1;
  const e = <u32>load<u8>(at + 1);
  if (e !== 0x75) {
    escapeLength = 2;
    return simpleEscape(e);
  }
  if (at + 6 > stop) return -1;
  escapeLength = 6;
  // Anything past ASCII (and surrogates) is left to the general path.
  const code = hex4(at + 2);
  return code >= 0x80 ? -1 : code;
}

/** Layer one: the log's quoted value (JSON string escapes) into `dst`; the length, or -1. */
function unescapeValue(src: usize, length: usize, dst: usize): i32 {
  let r = src;
  const stop = src + length;
  let w = dst;
  while (r < stop) {
    if (r + 16 <= stop) {
      const run = copyRun(r, w);
      r += run;
      w += run;
      if (run === 16) continue;
    }
    const c = <u32>load<u8>(r);
    if (c !== BACKSLASH) {
      // A bare quote ends the value early (the general path knows the layouts with fields after it).
      if (c < 0x20 || c >= 0x80 || c === QUOTE) return -1;
      store<u8>(w++, c);
      r++;
      continue;
    }
    const v = escapedChar(r, stop);
    // A control in the JSON text is invalid JSON.
    if (v < 0x20) return -1;
    store<u8>(w++, v);
    r += escapeLength;
  }
  return <i32>(w - dst);
}

function put(c: u32): void {
  store<u8>(o, c);
  o++;
}

function skipSpace(): void {
  while (p < end) {
    const c = <u32>load<u8>(p);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
    p++;
  }
}

/** A control character as JSON.stringify writes it: the short escape where there is one, else `\u00xx`. */
function putControl(c: u32): void {
  put(BACKSLASH);
  if (c === 0x08) put(0x62);
  else if (c === 0x09) put(0x74);
  else if (c === 0x0a) put(0x6e);
  else if (c === 0x0c) put(0x66);
  else if (c === 0x0d) put(0x72);
  else {
    put(0x75);
    put(0x30);
    put(0x30);
    put(0x30 + (c >> 4));
    const low = c & 15;
    put(low < 10 ? 0x30 + low : 0x61 + low - 10);
  }
}

/** The string at p (on its opening quote) as JSON.stringify spells it. A key refuses characters it would escape. */
function string(isKey: bool): void {
  p++;
  put(QUOTE);
  while (true) {
    if (p + 16 <= end) {
      const run = copyRun(p, o);
      p += run;
      o += run;
      if (run === 16) continue;
    }
    if (p >= end) {
      failed = true;
      return;
    }
    const c = <u32>load<u8>(p);
    if (c === QUOTE) {
      p++;
      put(QUOTE);
      return;
    }
    // Controls are invalid JSON; bytes past ASCII would sort keys by UTF-8, not UTF-16, and are refused too.
    if (c < 0x20 || c >= 0x80) {
      failed = true;
      return;
    }
    if (c !== BACKSLASH) {
      put(c);
      p++;
      continue;
    }
    // Go writes `&`, `<` and `>` as \u0026, \u003c and \u003e; JSON.stringify writes them as they are.
    const v = escapedChar(p, end);
    // Keys are compared as written: one with an escape in its output would sort by the escape, not the character.
    if (v < 0 || (isKey && (v < 0x20 || v === QUOTE || v === BACKSLASH))) {
      failed = true;
      return;
    }
    p += escapeLength;
    if (v < 0x20) putControl(v);
    else if (v === QUOTE || v === BACKSLASH) {
      put(BACKSLASH);
      put(v);
    } else put(v);
  }
}

function isDigit(c: u32): bool {
  return c >= 0x30 && c <= 0x39;
}

/**
 * A number whose JavaScript spelling is known without converting it: at most 15 digits (every such decimal is the
 * shortest spelling of its double), no exponent, at least 1e-6 when below 1. Trailing fraction zeros go, as do `.`
 * with nothing after it and the sign of zero.
 */
function number(): void {
  let negative = false;
  if (<u32>load<u8>(p) === 0x2d) {
    negative = true;
    p++;
  }
  const intStart = p;
  if (p >= end || !isDigit(load<u8>(p))) {
    failed = true;
    return;
  }
  if (<u32>load<u8>(p) === 0x30) {
    p++;
    if (p < end && isDigit(load<u8>(p))) {
      failed = true;
      return;
    }
  } else {
    while (p < end && isDigit(load<u8>(p))) p++;
  }
  const intLength = <i32>(p - intStart);
  let fracStart = p;
  let fracEnd = p;
  if (p < end && <u32>load<u8>(p) === 0x2e) {
    p++;
    fracStart = p;
    while (p < end && isDigit(load<u8>(p))) p++;
    fracEnd = p;
    if (fracEnd === fracStart) {
      failed = true;
      return;
    }
    while (fracEnd > fracStart && <u32>load<u8>(fracEnd - 1) === 0x30) fracEnd--;
  }
  if (p < end && (<u32>load<u8>(p) | 0x20) === 0x65) {
    failed = true;
    return;
  }
  const fracLength = <i32>(fracEnd - fracStart);
  if (intLength + fracLength > 15) {
    failed = true;
    return;
  }
  const zeroInteger = intLength === 1 && <u32>load<u8>(intStart) === 0x30;
  if (zeroInteger && fracLength === 0) {
    put(0x30);
    return;
  }
  if (zeroInteger) {
    let leadingZeros = 0;
    while (<u32>load<u8>(fracStart + leadingZeros) === 0x30) leadingZeros++;
    if (leadingZeros >= 6) {
      failed = true;
      return;
    }
  }
  if (negative) put(0x2d);
  memory.copy(o, intStart, intLength);
  o += intLength;
  if (fracLength > 0) {
    put(0x2e);
    memory.copy(o, fracStart, fracLength);
    o += fracLength;
  }
}

/** `true`, `false` or `null`, given as little-endian bytes. */
function literal(bytes: u64, length: i32): void {
  for (let i = 0; i < length; i++) {
    const want = <u32>((bytes >> (8 * i)) & 0xff);
    if (p >= end || <u32>load<u8>(p) !== want) {
      failed = true;
      return;
    }
    put(want);
    p++;
  }
}

/** Byte order of two keys, which is JavaScript's UTF-16 order for ASCII keys. */
function compareKeys(aStart: usize, aLength: u32, bStart: usize, bLength: u32): i32 {
  const n = aLength < bLength ? aLength : bLength;
  for (let i: u32 = 0; i < n; i++) {
    const d = <i32>load<u8>(aStart + i) - <i32>load<u8>(bStart + i);
    if (d !== 0) return d;
  }
  return <i32>aLength - <i32>bLength;
}

function value(depth: i32): void {
  if (depth > MAX_DEPTH) {
    failed = true;
    return;
  }
  skipSpace();
  if (p >= end) {
    failed = true;
    return;
  }
  const c = <u32>load<u8>(p);
  if (c === 0x7b) object(depth);
  else if (c === 0x5b) array(depth);
  else if (c === QUOTE) string(false);
  else if (c === 0x74) literal(0x65757274, 4);
  else if (c === 0x66) literal(0x65736c6166, 5);
  else if (c === 0x6e) literal(0x6c6c756e, 4);
  else if (c === 0x2d || isDigit(c)) number();
  else failed = true;
}

/** After an element or member: 1 at `close`, 0 at a comma (either written), -1 (failed) at anything else. */
function separator(close: u32): i32 {
  skipSpace();
  if (p >= end) {
    failed = true;
    return -1;
  }
  const c = <u32>load<u8>(p);
  p++;
  if (c === close || c === 0x2c) {
    put(c);
    return c === close ? 1 : 0;
  }
  failed = true;
  return -1;
}

/** Writes the bracket at p; true when the array or object is empty (its closing bracket read and written too). */
function openEmpty(open: u32, close: u32): bool {
  p++;
  put(open);
  skipSpace();
  if (p >= end || <u32>load<u8>(p) !== close) return false;
  p++;
  put(close);
  return true;
}

function array(depth: i32): void {
  if (openEmpty(0x5b, 0x5d)) return;
  while (true) {
    const elementStart = o;
    value(depth + 1);
    if (failed) return;
    // The elements of a top-level array are events (ticloud's `body=[…]`): each is hashed on its own.
    if (depth === 0) {
      if (spanCount >= MAX_SPANS) {
        failed = true;
        return;
      }
      store<u32>(spans + 8 * spanCount, <u32>elementStart);
      store<u32>(spans + 8 * spanCount + 4, <u32>o);
      spanCount++;
    }
    const after = separator(0x5d);
    if (after !== 0) return;
  }
}

/** Writes the members as they come, then re-orders them by key unless they already were. */
function object(depth: i32): void {
  const open = o;
  if (openEmpty(0x7b, 0x7d)) return;
  const base = records;
  let count = 0;
  let sorted = true;
  while (true) {
    skipSpace();
    if (p >= end || <u32>load<u8>(p) !== QUOTE) {
      failed = true;
      return;
    }
    const memberStart = o;
    string(true);
    if (failed) return;
    const keyStart = memberStart + 1;
    const keyLength = <u32>(o - memberStart - 2);
    // JSON.parse makes `__proto__` an own key that a sorted copy could not hold: the general path handles it.
    if (
      keyLength === 9 &&
      load<u32>(keyStart) === 0x72705f5f && // "__pr", little-endian
      load<u32>(keyStart + 4) === 0x5f6f746f && // "oto_"
      <u32>load<u8>(keyStart + 8) === 0x5f
    ) {
      failed = true;
      return;
    }
    skipSpace();
    if (p >= end || <u32>load<u8>(p) !== 0x3a) {
      failed = true;
      return;
    }
    p++;
    put(0x3a);
    const record = records;
    records += 16;
    value(depth + 1);
    if (failed) return;
    store<u32>(record, <u32>memberStart);
    store<u32>(record + 4, <u32>o);
    store<u32>(record + 8, <u32>keyStart);
    store<u32>(record + 12, keyLength);
    if (count > 0) {
      const order = compareKeys(load<u32>(record - 8), load<u32>(record - 4), keyStart, keyLength);
      // JSON.parse keeps the last of duplicate keys at the first one's place: left to the general path.
      if (order === 0) {
        failed = true;
        return;
      }
      if (order > 0) sorted = false;
    }
    count++;
    const after = separator(0x7d);
    if (after < 0) return;
    if (after > 0) break;
  }
  if (!sorted) {
    if (count > MAX_REORDERED_MEMBERS) {
      failed = true;
      return;
    }
    reorder(open, base, count);
  }
  records = base;
}

/** Insertion sort of an object's member records by key (objects are small), then the members copied back. */
function reorder(open: usize, base: usize, count: i32): void {
  for (let i = 1; i < count; i++) {
    const record = base + 16 * i;
    const span = load<u64>(record);
    const key = load<u64>(record + 8);
    const keyStart = <usize>(key & 0xffffffff);
    const keyLength = <u32>(key >> 32);
    let j = i - 1;
    while (j >= 0) {
      const other = base + 16 * j;
      const order = compareKeys(load<u32>(other + 8), load<u32>(other + 12), keyStart, keyLength);
      if (order === 0) {
        failed = true;
        return;
      }
      if (order < 0) break;
      store<u64>(other + 16, load<u64>(other));
      store<u64>(other + 24, load<u64>(other + 8));
      j--;
    }
    store<u64>(base + 16 * (j + 1), span);
    store<u64>(base + 16 * (j + 1) + 8, key);
  }
  memory.copy(scratch, open, o - open);
  let w = open + 1;
  for (let i = 0; i < count; i++) {
    const record = base + 16 * i;
    const start = <usize>load<u32>(record);
    const stop = <usize>load<u32>(record + 4);
    if (i > 0) store<u8>(w++, 0x2c);
    memory.copy(w, scratch + (start - open), stop - start);
    w += stop - start;
  }
  store<u8>(w, 0x7d);
}

/**
 * Writes at `out` the canonical JSON of the JSON text at `src` (`quoted`: of the text a quoted log value holds, first
 * unescaped into `text`); returns its length, or -1 when the value is not on the fast path. Each region needs
 * `length + 16` bytes (whole 16-byte stores run past the last byte), `recordArea` 4 * length + 32, `scratchArea`
 * length + 16, `spanArea` 8 * 4096.
 */
export function canonicalize(
  src: usize,
  length: usize,
  quoted: bool,
  text: usize,
  out: usize,
  recordArea: usize,
  scratchArea: usize,
  spanArea: usize,
): i32 {
  spanCount = 0;
  textLength = quoted ? unescapeValue(src, length, text) : <i32>length;
  if (textLength < 0) return -1;
  p = quoted ? text : src;
  end = p + <usize>textLength;
  o = out;
  records = recordArea;
  scratch = scratchArea;
  spans = spanArea;
  failed = false;
  value(0);
  if (failed) return -1;
  skipSpace();
  if (p !== end) return -1;
  return <i32>(o - out);
}

/** Past the string whose opening quote is at `at` in canonical JSON; sets stringEscaped when it holds a backslash. */
let stringEscaped = false;
function skipString(at: usize): usize {
  let q = at + 1;
  while (true) {
    const v = v128.load(q);
    const bits = i8x16.bitmask(v128.or(i8x16.eq(v, i8x16.splat(0x22)), i8x16.eq(v, i8x16.splat(0x5c))));
    if (bits === 0) {
      q += 16;
      continue;
    }
    q += <usize>ctz(bits);
    if (<u32>load<u8>(q) === QUOTE) return q + 1;
    stringEscaped = true;
    // The escaped character is never a quote that ends the string; `\u00xx`'s digits are no quote either.
    q += 2;
  }
}

/** Past the value at `at` in canonical JSON (no whitespace, valid: the kernel wrote it). */
function skipValue(at: usize): usize {
  const c = <u32>load<u8>(at);
  if (c === QUOTE) return skipString(at);
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    let q = at;
    while (true) {
      const d = <u32>load<u8>(q);
      if (d === QUOTE) {
        q = skipString(q);
        continue;
      }
      if (d === 0x7b || d === 0x5b) depth++;
      else if (d === 0x7d || d === 0x5d) {
        depth--;
        if (depth === 0) return q + 1;
      }
      q++;
    }
  }
  let q = at;
  while (true) {
    const d = <u32>load<u8>(q);
    if (d === 0x2c || d === 0x7d || d === 0x5d) return q;
    q++;
  }
}

/**
 * Finds members of the canonical JSON object at `at` (as canonicalize wrote it) by key: `table` lists `keyCount`
 * keys as (offset, length) u32 pairs, and for each one found its value's start, end and whether it is a string
 * holding an escape go to `result` as three u32 (zeros when the key is absent). Returns false when the value at
 * `at` is not an object. Reading stops past the object's end, which the caller's 16 bytes of slack cover.
 */
export function members(at: usize, table: usize, keyCount: i32, result: usize): bool {
  memory.fill(result, 0, 12 * keyCount);
  if (<u32>load<u8>(at) !== 0x7b) return false;
  let q = at + 1;
  if (<u32>load<u8>(q) === 0x7d) return true;
  while (true) {
    // Canonical keys hold no backslash (the kernel refuses keys it would have to escape).
    const keyStart = q + 1;
    let keyEnd = keyStart;
    while (<u32>load<u8>(keyEnd) !== QUOTE) keyEnd++;
    const keyLength = <u32>(keyEnd - keyStart);
    const valueStart = keyEnd + 2;
    stringEscaped = false;
    q = skipValue(valueStart);
    for (let i = 0; i < keyCount; i++) {
      const entry = table + 8 * i;
      if (load<u32>(entry + 4) !== keyLength) continue;
      if (memory.compare(keyStart, <usize>load<u32>(entry), keyLength) !== 0) continue;
      const slot = result + 12 * i;
      store<u32>(slot, <u32>valueStart);
      store<u32>(slot + 4, <u32>q);
      store<u32>(slot + 8, stringEscaped ? 1 : 0);
      break;
    }
    if (<u32>load<u8>(q) === 0x7d) return true;
    q++;
  }
}
