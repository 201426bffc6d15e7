import type { Severity } from "../../redact/detector.js";
import { DETECTORS } from "../../redact/detectors/index.js";
import type { Rule } from "../rule.js";
import { parseHealth } from "./parse-health.js";
import { telemetryOldDefault } from "./telemetry-old-default.js";
import { telemetryPolicy } from "./telemetry-policy.js";
import { undocumentedField } from "./undocumented-field.js";
import { volumeAnomaly } from "./volume-anomaly.js";

/** The rules over the whole audit; the value detectors (src/redact/detectors) are rules too. */
export const RULES: readonly Rule[] = [
  telemetryPolicy,
  telemetryOldDefault,
  undocumentedField,
  parseHealth,
  volumeAnomaly,
];

/** Every rule `teletap audit` applies, as `--rules` lists them and the reports describe them. */
export const RULE_INFO: readonly { id: string; severity: Severity; description: string }[] = [
  ...RULES,
  ...DETECTORS,
].map(({ id, severity, description }) => ({ id, severity, description }));
