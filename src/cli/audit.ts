import { Audit } from "../audit/audit.js";
import { configStores } from "../audit/config-stores.js";
import { type AuditArgs, parseAuditArgs } from "../audit/parse-audit-args.js";
import { readStore } from "../audit/read-store.js";
import { renderReport } from "../audit/render-report.js";
import { auditReportJsonSchema } from "../audit/report-schema.js";
import { RULE_INFO } from "../audit/rules/index.js";
import { loadConfig } from "../config/load-config.js";
import type { Malformed } from "../engine/extractor.js";
import { fsErrorText } from "../errors.js";
import type { TelemetryEvent } from "../events.js";
import { createEventFilter } from "../filter/event-filter.js";
import { SEVERITIES } from "../redact/detector.js";
import { expandInputs } from "../sources/expand-inputs.js";
import { scanInput } from "../sources/scan-input.js";
import { formatConfigErrors } from "./config-args.js";

const HELP = `usage: teletap audit [options] [PATH...]

A local compliance audit of the telemetry ticloud, TiUP and TiSpark sent: is it on, what exactly left this host,
and is any of it personal data or a secret.
PATH: a file, a directory (recursive), a quoted glob, a .gz file, or - for stdin (as teletap grep).

  -p, --producer NAME      only ticloud, tiup or tispark (repeatable)
      --since TIME         events at or after TIME: ISO-8601 or a duration back from now (90m, 2h, 7d)
      --until TIME         events at or before TIME
      --where KEY=VALUE    a field of the event equals VALUE (repeatable)
      --store DIR          also read the daemon's local event store (repeatable)
  -o, --output FORMAT      text (default on a terminal), md, json (default when piped), sarif, html
      --fail-on SEVERITY   exit 1 when a finding of SEVERITY (low, medium, high) or above exists
      --policy P=VERDICT   producer allowed|forbidden (repeatable); a forbidden producer seen is a high finding
      --config FILE        take audit.policy and audit.failOn from agent.config.json; with no PATH and no
                           --store, read the stores its file sinks write
      --rules              list the rules and exit
      --schema             print the JSON Schema of the -o json report and exit
      --max-line-bytes N   skip (and report) lines longer than N bytes (default 16 MiB)
  -h, --help               this help

Exit status: 0 no finding at or above --fail-on (or no --fail-on), 1 such a finding, 2 a usage or read error.
`;

function listRules(): string {
  const width = Math.max(...RULE_INFO.map((rule) => rule.id.length));
  return `${RULE_INFO.map((rule) => `${rule.id.padEnd(width)}  ${rule.severity.padEnd(6)}  ${rule.description}`).join("\n")}\n`;
}

/** Streams every input through the one engine (and the stores) into the audit, keeping what the filters let through. */
async function collect(args: AuditArgs, audit: Audit, missingStoreIsEmpty: boolean) {
  const keep = createEventFilter(args.filter);
  const readErrors: string[] = [];
  const inputs: string[] = [];
  const onEvent = (event: TelemetryEvent) => {
    if (keep(event)) audit.add(event);
  };
  const onMalformed = (m: Malformed) => {
    if (!args.filter.producers?.length || m.producer === null || args.filter.producers.includes(m.producer))
      audit.addMalformed(m);
  };
  if (args.operands.length > 0) {
    const expanded = await expandInputs(args.operands);
    readErrors.push(...expanded.errors);
    for (const input of expanded.inputs) {
      try {
        await scanInput(input, {
          producers: args.filter.producers?.length ? args.filter.producers : undefined,
          maxLineBytes: args.maxLineBytes,
          onEvent,
          onMalformed,
        });
        inputs.push(input.path);
      } catch (error) {
        readErrors.push(`${input.path}: ${(error as Error).message}`);
      }
    }
  }
  for (const dir of args.stores) {
    try {
      inputs.push(...(await readStore(dir, onEvent, onMalformed, args.filter.sinceMs)));
    } catch (error) {
      if (missingStoreIsEmpty && (error as NodeJS.ErrnoException).code === "ENOENT") continue;
      readErrors.push(`--store ${dir}: ${fsErrorText(error)}`);
    }
  }
  return { readErrors, inputs };
}

export async function main(argv: string[]): Promise<number> {
  const parsed = parseAuditArgs(argv, { stdout: process.stdout.isTTY === true, stdin: process.stdin.isTTY === true });
  if ("errors" in parsed) {
    for (const error of parsed.errors) process.stderr.write(`teletap audit: ${error}\n`);
    process.stderr.write("Try 'teletap audit --help'.\n");
    return 2;
  }
  const { args } = parsed;
  if (args.mode !== "audit") {
    const text = { help: HELP, rules: listRules(), schema: `${JSON.stringify(auditReportJsonSchema(), null, 2)}\n` };
    process.stdout.write(text[args.mode]);
    return 0;
  }
  // A store the config names but the daemon has not written yet holds no event; a --store DIR must exist.
  let storesFromConfig = false;
  if (args.configPath !== null) {
    const result = await loadConfig(args.configPath);
    if (!result.ok) {
      process.stderr.write(formatConfigErrors(args.configPath, result.errors));
      return 2;
    }
    const { config } = result.loaded;
    args.policy = { ...config.audit?.policy, ...args.policy };
    args.failOn ??= config.audit?.failOn ?? null;
    if (args.operands.length === 0 && args.stores.length === 0) {
      args.stores = configStores(result.loaded);
      storesFromConfig = true;
    }
  }
  const audit = new Audit({ policy: args.policy });
  const { readErrors, inputs } = await collect(args, audit, storesFromConfig);
  for (const error of readErrors) process.stderr.write(`teletap audit: ${error}\n`);
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  const report = audit.report({ inputs, window: { from: iso(args.filter.sinceMs), to: iso(args.filter.untilMs) } });
  const colour = args.format === "text" && process.stdout.isTTY === true && !process.env.NO_COLOR;
  // A reader that stopped early (`| head`) is not an error of the audit.
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => (error.code === "EPIPE" ? resolve() : reject(error));
    process.stdout.once("error", onError);
    process.stdout.write(renderReport(report, args.format, colour), (error) => {
      if (error) return;
      process.stdout.off("error", onError);
      resolve();
    });
  });
  if (readErrors.length > 0) return 2;
  if (args.failOn === null) return 0;
  const threshold = SEVERITIES.indexOf(args.failOn);
  return report.findings.some((finding) => SEVERITIES.indexOf(finding.severity) >= threshold) ? 1 : 0;
}
