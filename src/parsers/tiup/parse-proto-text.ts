/**
 * golang/protobuf compact text format, as TiUP prints its report:
 *   installationUUID:"3f1c…" event_unix_timestamp:1667900123 version:<TiUPVersion:"1.11.0" > cluster:<… >
 * Strings escape per byte (`\n`, `\"`, `\\`, 3-digit octal for bytes outside 0x20-0x7E); repeated fields repeat
 * their name. Returns fields in order, or a reason when the text is cut off or malformed.
 */
export type ProtoValue = string | number | boolean | ProtoField[];
export type ProtoField = readonly [name: string, value: ProtoValue];

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const SCALAR = /-?(?:inf|nan|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|true|false/y;
const SIMPLE_ESCAPES: Record<string, number> = {
  n: 10,
  r: 13,
  t: 9,
  '"': 34,
  "'": 39,
  "\\": 92,
  a: 7,
  b: 8,
  f: 12,
  v: 11,
};
const utf8 = new TextDecoder();

class ProtoTextError extends Error {}

class Reader {
  pos = 0;
  // Next backslash at or after the last string's start; kept so the no-escape fast path stays linear on 100 kB lines.
  private backslashAt = -1;
  constructor(readonly text: string) {}

  skipSpaces(): void {
    while (this.text.charCodeAt(this.pos) === 32) this.pos++;
  }

  fail(what: string): never {
    throw new ProtoTextError(
      this.pos >= this.text.length ? `truncated report: ${what} at end of line` : `${what} at column ${this.pos + 1}`,
    );
  }

  message(close: string | null): ProtoField[] {
    const fields: ProtoField[] = [];
    for (;;) {
      this.skipSpaces();
      if (this.pos >= this.text.length) {
        if (close === null) return fields;
        this.fail(`expected '${close}'`);
      }
      if (close !== null && this.text[this.pos] === close) {
        this.pos++;
        return fields;
      }
      NAME.lastIndex = this.pos;
      const name = NAME.exec(this.text)?.[0];
      if (name === undefined) this.fail("expected a field name");
      this.pos += name.length;
      this.skipSpaces();
      const nested = this.text[this.pos] === "<" || this.text[this.pos] === "{";
      if (this.text[this.pos] === ":") this.pos++;
      else if (!nested) this.fail(`expected ':' after ${name}`);
      this.skipSpaces();
      fields.push([name, this.value()]);
    }
  }

  value(): ProtoValue {
    const c = this.text[this.pos];
    if (c === "<") return this.enter(">");
    if (c === "{") return this.enter("}");
    if (c === '"' || c === "'") return this.string(c);
    SCALAR.lastIndex = this.pos;
    const token = SCALAR.exec(this.text)?.[0];
    if (token === undefined) this.fail("expected a value");
    this.pos += token.length;
    if (token === "true" || token === "false") return token === "true";
    if (token.endsWith("inf")) return token.startsWith("-") ? -Infinity : Infinity;
    if (token.endsWith("nan")) return Number.NaN;
    return Number(token);
  }

  enter(close: string): ProtoField[] {
    this.pos++;
    return this.message(close);
  }

  string(quote: string): string {
    const text = this.text;
    const start = ++this.pos;
    const end = text.indexOf(quote, start);
    // Fast path: no escapes at all between the quotes.
    if (this.backslashAt < start) {
      const found = text.indexOf("\\", start);
      this.backslashAt = found < 0 ? Number.POSITIVE_INFINITY : found;
    }
    if (end >= 0 && this.backslashAt > end) {
      this.pos = end + 1;
      return text.slice(start, end);
    }
    const bytes: number[] = [];
    for (;;) {
      if (this.pos >= text.length) this.fail("unterminated string");
      const code = text.charCodeAt(this.pos);
      if (text[this.pos] === quote) {
        this.pos++;
        return utf8.decode(Uint8Array.from(bytes));
      }
      if (code !== 92) {
        this.pushChar(bytes);
        continue;
      }
      const next = text[this.pos + 1];
      if (next === undefined) this.fail("unterminated escape");
      const simple = SIMPLE_ESCAPES[next];
      if (simple !== undefined) {
        bytes.push(simple);
        this.pos += 2;
      } else if (/[0-7]{3}/y.test(text.slice(this.pos + 1, this.pos + 4))) {
        bytes.push(Number.parseInt(text.slice(this.pos + 1, this.pos + 4), 8) & 0xff);
        this.pos += 4;
      } else if ((next === "x" || next === "X") && /^[0-9a-fA-F]{2}$/.test(text.slice(this.pos + 2, this.pos + 4))) {
        bytes.push(Number.parseInt(text.slice(this.pos + 2, this.pos + 4), 16));
        this.pos += 4;
      } else {
        this.fail(`bad escape \\${next}`);
      }
    }
  }

  // Raw characters outside the escapes are kept as their UTF-8 bytes, so mixed text decodes once at the end.
  pushChar(bytes: number[]): void {
    const codePoint = this.text.codePointAt(this.pos) ?? 0;
    const char = String.fromCodePoint(codePoint);
    this.pos += char.length;
    if (codePoint < 0x80) bytes.push(codePoint);
    else for (const byte of Buffer.from(char, "utf8")) bytes.push(byte);
  }
}

export function parseProtoText(text: string): { fields: ProtoField[] } | { error: string } {
  const reader = new Reader(text);
  try {
    return { fields: reader.message(null) };
  } catch (error) {
    if (error instanceof ProtoTextError) return { error: error.message };
    throw error;
  }
}
