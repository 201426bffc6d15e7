import type { Producer, TelemetryEvent } from "../events.js";
import { type FieldPath, readFieldPath } from "../field-path.js";

/** What to keep, as grep and audit take it from `--producer`, `--since`, `--until` and `--where`. */
export interface EventFilterSpec {
  producers?: readonly Producer[];
  sinceMs?: number;
  untilMs?: number;
  /** Every condition must hold: a field path into the event, and the value as text. */
  where?: readonly { path: FieldPath; value: string }[];
}

// An array matches when any element does, so `attributes.properties.flags=debug` reads naturally.
function matches(value: unknown, expected: string): boolean {
  if (Array.isArray(value)) return value.some((item) => matches(item, expected));
  if (value === undefined) return false;
  if (value === null) return expected === "null";
  if (typeof value === "object") return JSON.stringify(value) === expected;
  return String(value) === expected;
}

/** A predicate over normalized events; `--since`/`--until` compare the event's own time. */
export function createEventFilter(spec: EventFilterSpec): (event: TelemetryEvent) => boolean {
  const producers = spec.producers && spec.producers.length > 0 ? new Set(spec.producers) : null;
  const where = spec.where ?? [];
  return (event) => {
    if (producers && !producers.has(event.producer)) return false;
    if (spec.sinceMs !== undefined || spec.untilMs !== undefined) {
      const ms = Date.parse(event.time);
      if (spec.sinceMs !== undefined && ms < spec.sinceMs) return false;
      if (spec.untilMs !== undefined && ms > spec.untilMs) return false;
    }
    return where.every((condition) => matches(readFieldPath(event, condition.path), condition.value));
  };
}
