import { canonicalJson } from "./canonical-json.js";

// Events are never modified in place (the redact step copies on write), so text recorded for an attributes object
// stays true for as long as the object lives.
const texts = new WeakMap<object, string>();

/**
 * The canonical JSON of an event's attributes, computed once per attributes object: the id hashes it and the
 * event's JSON embeds it, so each event's payload is serialized once instead of twice.
 */
export function canonicalAttributes(attributes: Record<string, unknown>): string {
  let text = texts.get(attributes);
  if (text === undefined) {
    text = canonicalJson(attributes);
    texts.set(attributes, text);
  }
  return text;
}
