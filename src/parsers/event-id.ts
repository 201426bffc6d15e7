import { createHash } from "node:crypto";
import type { Producer } from "../events.js";
import { canonicalJson } from "./canonical-json.js";

/** The idempotency key: depends only on what was sent, never on where or how often it was read. */
export function eventId(producer: Producer, attributes: Record<string, unknown>): string {
  return createHash("sha256")
    .update(producer)
    .update("\n")
    .update(canonicalJson(attributes))
    .digest("hex")
    .slice(0, 32);
}
