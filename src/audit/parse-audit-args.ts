import { parseArgs } from "node:util";
import { DEFAULT_MAX_LINE_BYTES } from "../engine/extractor.js";
import { PRODUCERS, type Producer } from "../events.js";
import type { EventFilterSpec } from "../filter/event-filter.js";
import { FILTER_OPTIONS, parseFilterOptions } from "../filter/parse-filter-options.js";
import { SEVERITIES, type Severity } from "../redact/detector.js";
import { REPORT_FORMATS, type ReportFormat } from "./render-report.js";

const OPTIONS = {
  ...FILTER_OPTIONS,
  output: { type: "string", short: "o" },
  "fail-on": { type: "string" },
  store: { type: "string", multiple: true },
  policy: { type: "string", multiple: true },
  config: { type: "string" },
  rules: { type: "boolean" },
  schema: { type: "boolean" },
  "max-line-bytes": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** A parsed `teletap audit` command line. */
export interface AuditArgs {
  mode: "audit" | "help" | "rules" | "schema";
  format: ReportFormat;
  failOn: Severity | null;
  operands: string[];
  stores: string[];
  /** From --policy; the config's audit.policy fills in the producers it leaves out. */
  policy: Partial<Record<Producer, "allowed" | "forbidden">>;
  /** agent.config.json to take audit.policy, audit.failOn and the stores from. */
  configPath: string | null;
  filter: EventFilterSpec;
  maxLineBytes: number;
}

/** argv -> options, or every usage error at once; `tty` says whether stdout and stdin are terminals. */
export function parseAuditArgs(
  argv: string[],
  tty: { stdout: boolean; stdin: boolean },
): { args: AuditArgs } | { errors: string[] } {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    return { errors: [(error as Error).message] };
  }
  const { values, positionals } = parsed;
  const filter = parseFilterOptions(values);
  const errors = filter.errors;
  const format = values.output ?? (tty.stdout ? "text" : "json");
  if (!(REPORT_FORMATS as readonly string[]).includes(format))
    errors.push(`--output: expected one of ${REPORT_FORMATS.join(", ")}`);
  const failOn = values["fail-on"] ?? null;
  if (failOn !== null && !(SEVERITIES as readonly string[]).includes(failOn))
    errors.push(`--fail-on: expected one of ${SEVERITIES.join(", ")}`);
  const policy: AuditArgs["policy"] = {};
  for (const text of values.policy ?? []) {
    const [producer, verdict] = text.split("=");
    if ((PRODUCERS as readonly string[]).includes(producer ?? "") && (verdict === "allowed" || verdict === "forbidden"))
      policy[producer as Producer] = verdict;
    else errors.push(`--policy: '${text}' is not PRODUCER=allowed|forbidden`);
  }
  const maxLineBytes =
    values["max-line-bytes"] === undefined ? DEFAULT_MAX_LINE_BYTES : Number(values["max-line-bytes"]);
  if (!Number.isInteger(maxLineBytes) || maxLineBytes <= 0)
    errors.push("--max-line-bytes: expected a positive integer");
  const mode = values.help ? "help" : values.rules ? "rules" : values.schema ? "schema" : "audit";
  const stores = values.store ?? [];
  const configPath = values.config ?? null;
  // With --config and nothing named, the config's stores are read rather than stdin.
  const named = positionals.length > 0 || stores.length > 0 || configPath !== null;
  const operands = named ? positionals : tty.stdin ? [] : ["-"];
  if (mode === "audit" && !named && operands.length === 0)
    errors.push("no input: name a file, directory or glob, use --store DIR, or pipe logs into stdin");
  if (errors.length > 0 && mode === "audit") return { errors };
  return {
    args: {
      mode,
      format: format as ReportFormat,
      failOn: failOn as Severity | null,
      operands,
      stores,
      policy,
      configPath,
      filter: filter.spec,
      maxLineBytes,
    },
  };
}
