import { canonicalJson } from "./canonical-json.js";
import { canonicalJsonWithKernel } from "./canonical-kernel.js";

// Kept on the attributes object itself, non-enumerable so that JSON, Object.keys, spread copies and deep equality
// never see it. A WeakMap did the same job but its ephemeron tables tripled the dense scan's GC time (3% -> 11%).
// Events are never modified in place (the redact step copies on write), so the text stays true for the object.
const CANONICAL = Symbol("canonical JSON");

/**
 * The canonical JSON of an event's attributes, computed once per attributes object: the id hashes it and the
 * event's JSON embeds it, so each event's payload is serialized once instead of twice.
 */
export function canonicalAttributes(attributes: Record<string, unknown>): string {
  const known = (attributes as { [CANONICAL]?: string })[CANONICAL];
  if (known !== undefined) return known;
  const text = canonicalJson(attributes);
  rememberCanonical(attributes, text);
  return text;
}

/** Records the canonical JSON of a payload decoded elsewhere (the WebAssembly kernel), so it is not computed again. */
export function rememberCanonical(attributes: Record<string, unknown>, text: string): void {
  // A frozen payload (a caller's own) is serialized each time instead.
  if (Object.isExtensible(attributes)) Object.defineProperty(attributes, CANONICAL, { value: text });
}

/** For a payload `JSON.parse` read from `json`: its canonical JSON read off that text by the kernel, when it can. */
export function rememberCanonicalOfText(attributes: Record<string, unknown>, json: string): void {
  const text = canonicalJsonWithKernel(json);
  if (text !== null) rememberCanonical(attributes, text);
}

/**
 * Parses the attributes from their canonical JSON the first time anything reads them. The id and every printed or
 * sent event use only the text (through canonicalAttributes, answered without parsing), so on the usual paths the
 * `JSON.parse` and the payload's objects, 1.6 µs of a ticloud event, never happen. A Proxy rather than a getter:
 * spreads, Object.entries, JSON.stringify and deep equality see the members as on a plain object, while a getter on
 * a class would vanish from them and an own getter puts every event into V8's slow dictionary mode (0.6 µs each).
 * Structured clone refuses a Proxy: the scan worker sends a plain copy.
 */
class LazyAttributes implements ProxyHandler<Record<string | symbol, unknown>> {
  private parsed = false;

  /** Undefined once the attributes were changed: the text no longer describes them. */
  constructor(private text: string | undefined) {}

  private target(target: Record<string | symbol, unknown>): Record<string | symbol, unknown> {
    if (!this.parsed) {
      this.parsed = true;
      Object.assign(target, JSON.parse(this.text as string));
    }
    return target;
  }

  /** The parsed target, about to be changed: the text no longer describes it. */
  private changed(target: Record<string | symbol, unknown>): Record<string | symbol, unknown> {
    const parsed = this.target(target);
    this.text = undefined;
    return parsed;
  }

  get(target: Record<string | symbol, unknown>, key: string | symbol): unknown {
    if (key === CANONICAL && this.text !== undefined) return this.text;
    return Reflect.get(this.target(target), key);
  }

  has(target: Record<string | symbol, unknown>, key: string | symbol): boolean {
    return Reflect.has(this.target(target), key);
  }

  ownKeys(target: Record<string | symbol, unknown>): (string | symbol)[] {
    return Reflect.ownKeys(this.target(target));
  }

  getOwnPropertyDescriptor(target: Record<string | symbol, unknown>, key: string | symbol) {
    return Reflect.getOwnPropertyDescriptor(this.target(target), key);
  }

  set(target: Record<string | symbol, unknown>, key: string | symbol, value: unknown): boolean {
    return Reflect.set(this.changed(target), key, value);
  }

  defineProperty(target: Record<string | symbol, unknown>, key: string | symbol, descriptor: PropertyDescriptor) {
    // rememberCanonical after a change records the new text on the target, where `get` then finds it.
    const parsed = key === CANONICAL ? this.target(target) : this.changed(target);
    return Reflect.defineProperty(parsed, key, descriptor);
  }

  deleteProperty(target: Record<string | symbol, unknown>, key: string | symbol): boolean {
    return Reflect.deleteProperty(this.changed(target), key);
  }

  preventExtensions(target: Record<string | symbol, unknown>): boolean {
    return Reflect.preventExtensions(this.target(target));
  }
}

/** Attributes that stay their canonical JSON text until something reads them (see LazyAttributes). */
export function lazyAttributes(canonical: string): Record<string, unknown> {
  return new Proxy<Record<string | symbol, unknown>>({}, new LazyAttributes(canonical));
}
