import { FindingCollector } from "../finding-collector.js";
import type { Rule } from "../rule.js";

export const parseHealth: Rule = {
  id: "parse-health",
  severity: "medium",
  description: "telemetry lines that could not be decoded: what they sent cannot be audited (silent loss)",
  start: () => {
    const collector = new FindingCollector();
    return {
      malformed: (line) =>
        collector.add({
          rule: "parse-health",
          severity: "medium",
          producer: line.producer,
          field: null,
          value: null,
          message: line.producer
            ? `${line.producer} telemetry line(s) could not be decoded; what they sent is not audited`
            : "line(s) over the length limit were skipped unread",
          location: { path: line.path, line: line.line },
        }),
      finish: () => collector.findings(),
    };
  },
};
