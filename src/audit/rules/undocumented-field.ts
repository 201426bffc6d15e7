import { forEachLeaf } from "../../field-path.js";
import { isDocumented } from "../documented-fields.js";
import { FindingCollector, locationOf } from "../finding-collector.js";
import { redactExample } from "../redact-example.js";
import type { Rule } from "../rule.js";

export const undocumentedField: Rule = {
  id: "undocumented-field",
  severity: "medium",
  description: "a payload field the producer does not document (seeds and formats.md): data nobody said would be sent",
  start: () => {
    const collector = new FindingCollector();
    // The first example of each undocumented field stands for all its occurrences, as in the field inventory.
    const examples = new Map<string, string>();
    return {
      event: (event) => {
        const reported = new Set<string>();
        forEachLeaf(event.attributes, (field, key, value) => {
          if (reported.has(field) || isDocumented(event.producer, field)) return;
          reported.add(field);
          const id = `${event.producer} ${field}`;
          const example = examples.get(id) ?? redactExample(value, key);
          examples.set(id, example);
          collector.add({
            rule: "undocumented-field",
            severity: "medium",
            producer: event.producer,
            field,
            value: example,
            message: `${event.producer} sent ${field}, which its telemetry documentation does not list`,
            location: locationOf(event),
          });
        });
      },
      finish: () => collector.findings(),
    };
  },
};
