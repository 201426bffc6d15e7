import type { TelemetryEvent } from "../events.js";
import { forEachLeaf } from "../field-path.js";
import { isDocumented } from "./documented-fields.js";
import { redactExample } from "./redact-example.js";
import type { FieldRow } from "./report-schema.js";

/** Every attribute path seen per producer: how many events carry it, one redacted example, documented or not. */
export class FieldInventory {
  private readonly rows = new Map<string, { row: FieldRow; lastEvent: number }>();
  private events = 0;

  add(event: TelemetryEvent): void {
    const index = this.events++;
    forEachLeaf(event.attributes, (path, key, value) => {
      const id = `${event.producer} ${path}`;
      const known = this.rows.get(id);
      // An array's items share one path: the event counts once.
      if (known?.lastEvent === index) return;
      if (known) {
        known.row.count++;
        known.lastEvent = index;
        return;
      }
      const example = redactExample(value, key);
      const documented = isDocumented(event.producer, path);
      this.rows.set(id, { row: { producer: event.producer, path, count: 1, example, documented }, lastEvent: index });
    });
  }

  result(): FieldRow[] {
    return [...this.rows.values()]
      .map(({ row }) => ({ ...row }))
      .sort((a, b) => a.producer.localeCompare(b.producer) || a.path.localeCompare(b.path));
  }
}
