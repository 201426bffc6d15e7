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
