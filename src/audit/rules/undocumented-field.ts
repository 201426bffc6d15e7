import { forEachLeaf } from "../../redact/field-path.js";
import { FindingCollector, locationOf } from "../finding-collector.js";
import type { Rule } from "../rule.js";

export const undocumentedField: Rule = {
  id: "undocumented-field",
  severity: "medium",
  description: "a payload field the producer does not document (seeds and formats.md): data nobody said would be sent",
  check: ({ fields, events }) => {
    const undocumented = new Map(
      fields.filter((row) => !row.documented).map((row) => [`${row.producer} ${row.path}`, row]),
    );
    if (undocumented.size === 0) return [];
    const collector = new FindingCollector();
    for (const event of events) {
      forEachLeaf(event.attributes, (field) => {
        const row = undocumented.get(`${event.producer} ${field}`);
        if (!row) return;
        collector.add({
          rule: "undocumented-field",
          severity: "medium",
          producer: row.producer,
          field: row.path,
          value: row.example,
          message: `${row.producer} sent ${row.path}, which its telemetry documentation does not list`,
          location: locationOf(event),
        });
      });
    }
    return collector.findings();
  },
};
