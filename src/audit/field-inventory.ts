import type { TelemetryEvent } from "../events.js";
import { fieldPattern, leaves } from "../redact/field-path.js";
import { isDocumented } from "./documented-fields.js";
import { redactExample } from "./redact-example.js";
import type { FieldRow } from "./report-schema.js";

/** Every attribute path seen per producer: how many events carry it, one redacted example, documented or not. */
export function fieldInventory(events: readonly TelemetryEvent[]): FieldRow[] {
  const rows = new Map<string, FieldRow>();
  for (const event of events) {
    const seen = new Set<string>();
    for (const leaf of leaves(event.attributes)) {
      const path = fieldPattern(leaf.path);
      const key = `${event.producer}\u0000${path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const row = rows.get(key);
      if (row) row.count++;
      else
        rows.set(key, {
          producer: event.producer,
          path,
          count: 1,
          example: redactExample(leaf.value, leaf.key),
          documented: isDocumented(event.producer, path),
        });
    }
  }
  return [...rows.values()].sort((a, b) => a.producer.localeCompare(b.producer) || a.path.localeCompare(b.path));
}
