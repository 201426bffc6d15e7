import type { TelemetryEvent } from "../events.js";
import { forEachLeaf } from "../redact/field-path.js";
import { isDocumented } from "./documented-fields.js";
import { redactExample } from "./redact-example.js";
import type { FieldRow } from "./report-schema.js";

/** Every attribute path seen per producer: how many events carry it, one redacted example, documented or not. */
export function fieldInventory(events: readonly TelemetryEvent[]): FieldRow[] {
  const rows = new Map<string, { row: FieldRow; lastEvent: number }>();
  events.forEach((event, index) => {
    forEachLeaf(event.attributes, (path, key, value) => {
      const id = `${event.producer} ${path}`;
      const known = rows.get(id);
      // An array's items share one path: the event counts once.
      if (known?.lastEvent === index) return;
      if (known) {
        known.row.count++;
        known.lastEvent = index;
        return;
      }
      const example = redactExample(value, key);
      const documented = isDocumented(event.producer, path);
      rows.set(id, { row: { producer: event.producer, path, count: 1, example, documented }, lastEvent: index });
    });
  });
  return [...rows.values()]
    .map(({ row }) => row)
    .sort((a, b) => a.producer.localeCompare(b.producer) || a.path.localeCompare(b.path));
}
