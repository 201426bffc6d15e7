import { parseArgs } from "node:util";
import { DEFAULT_MAX_LINE_BYTES, type Malformed } from "../engine/extractor.js";
import { addStats, emptyStats, type ScanStats } from "../engine/scan-stats.js";
import type { TelemetryEvent } from "../events.js";
import { createEventFilter } from "../filter/event-filter.js";
import { FILTER_OPTIONS, parseFilterOptions } from "../filter/parse-filter-options.js";
import { BufferedWriter } from "../output/buffered-writer.js";
import { createPrinter, OUTPUTS, type Output } from "../output/event-printer.js";
import { PRODUCERS } from "../producers.js";
import { expandInputs } from "../sources/expand-inputs.js";
import { scanInput } from "../sources/scan-input.js";
import { formatStats } from "./format-stats.js";

/** Past this many, malformed lines are still counted (see --stats) but no longer printed one by one. */
const MALFORMED_PRINT_LIMIT = 100;

const HELP = `usage: teletap grep [options] [PATH...]

Print the telemetry events found in ticloud, TiUP and TiSpark logs.
PATH: a file, a directory (recursive), a quoted glob ('logs/**/*.log'), a .gz file, or - for stdin.
With no PATH and stdin not a terminal, reads stdin.

  -p, --producer NAME    only ticloud, tiup or tispark (repeatable)
      --since TIME       events at or after TIME: ISO-8601 or a duration back from now (90m, 2h, 7d)
      --until TIME       events at or before TIME
      --where KEY=VALUE  a field of the event equals VALUE; dot paths into attributes (repeatable, all must hold);
                         a key holding dots as is or quoted: attributes.configuration["spark.sql.auth.enable"]=true
  -o, --output FORMAT    ndjson (default when piped), json, table (default on a terminal), raw (the log lines)
  -c, --count            print counts per producer (and per file) instead of events
  -u, --unique           print each event id once (TiUP prints some reports twice)
  -q, --quiet            print nothing; the exit status tells whether an event was found
  -f, --follow           keep reading the files as they grow, across rotation, like tail -F (until Ctrl-C)
      --poll MS          with --follow: look at the files every MS ms instead of waiting for the system's change
                         notifications, which filesystems written from other hosts (NFS, SMB) do not send
      --stats            print scan figures to stderr at the end
      --max-line-bytes N skip (and count) lines longer than N bytes (default 16 MiB)
  -h, --help             this help

Exit status: 0 an event was found, 1 none, 2 a usage error or an unreadable input.
`;

interface GrepOptions {
  output: Output;
  /** Counts print as JSON only when -o json/ndjson was asked for; piped counts stay text, like grep -c. */
  jsonCounts: boolean;
  count: boolean;
  unique: boolean;
  quiet: boolean;
  follow: boolean;
  /** With follow: poll every this many ms instead of using change notifications. */
  pollIntervalMs: number | undefined;
  stats: boolean;
  maxLineBytes: number;
  operands: string[];
}

function parse(argv: string[]): { options: GrepOptions; filter: ReturnType<typeof parseFilterOptions> } | string {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  const OPTIONS = {
    ...FILTER_OPTIONS,
    output: { type: "string", short: "o" },
    count: { type: "boolean", short: "c" },
    unique: { type: "boolean", short: "u" },
    quiet: { type: "boolean", short: "q" },
    follow: { type: "boolean", short: "f" },
    poll: { type: "string" },
    stats: { type: "boolean" },
    "max-line-bytes": { type: "string" },
    help: { type: "boolean", short: "h" },
  } as const;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    return (error as Error).message;
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  const filter = parseFilterOptions(values);
  const output = values.output ?? (process.stdout.isTTY ? "table" : "ndjson");
  if (!(OUTPUTS as readonly string[]).includes(output))
    filter.errors.push(`--output: expected one of ${OUTPUTS.join(", ")}`);
  const maxLineBytes =
    values["max-line-bytes"] === undefined ? DEFAULT_MAX_LINE_BYTES : Number(values["max-line-bytes"]);
  if (!Number.isInteger(maxLineBytes) || maxLineBytes <= 0)
    filter.errors.push("--max-line-bytes: expected a positive integer");
  const pollIntervalMs = values.poll === undefined ? undefined : Number(values.poll);
  if (pollIntervalMs !== undefined && (!Number.isInteger(pollIntervalMs) || pollIntervalMs <= 0))
    filter.errors.push("--poll: expected a positive number of milliseconds");
  if (filter.errors.length > 0) return filter.errors.join("\n");
  const operands = positionals.length > 0 ? positionals : process.stdin.isTTY ? [] : ["-"];
  if (operands.length === 0) return "no input: name a file, directory or glob, or pipe logs into stdin";
  if (values.follow && operands.includes("-")) return "--follow needs files, directories or globs, not stdin";
  if (values.follow && values.count) return "--follow and --count do not go together: counts need an end";
  if (values.follow && values.stats) return "--follow and --stats do not go together: a summary needs an end";
  if (values.poll !== undefined && !values.follow)
    return "--poll goes with --follow: it says how followed files are watched";
  return {
    options: {
      output: output as Output,
      jsonCounts: values.output === "json" || values.output === "ndjson",
      count: values.count ?? false,
      unique: values.unique ?? false,
      quiet: values.quiet ?? false,
      follow: values.follow ?? false,
      pollIntervalMs,
      stats: values.stats ?? false,
      maxLineBytes,
      operands,
    },
    filter,
  };
}

function countLines(counts: Map<string, ScanStats>, total: ScanStats, json: boolean): string {
  const byFile = Object.fromEntries(
    [...counts].map(([path, stats]) => [path, { ...stats.byProducer, total: stats.events }]),
  );
  const all = { ...total.byProducer, total: total.events };
  if (json) return `${JSON.stringify(counts.size > 1 ? { ...all, files: byFile } : all)}\n`;
  const line = (counted: Record<string, number>) =>
    `${PRODUCERS.map((p) => `${p}=${counted[p]}`).join(" ")} total=${counted.total}`;
  const perFile =
    counts.size > 1 ? [...Object.entries(byFile)].map(([path, c]) => `${path}: ${line(c)}\n`).join("") : "";
  return `${perFile}${counts.size > 1 ? "total: " : ""}${line(all)}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const parsed = parse(argv);
  if (parsed === "help") {
    process.stdout.write(HELP);
    return 0;
  }
  if (typeof parsed === "string") {
    process.stderr.write(`teletap grep: ${parsed.replace(/\n/g, "\nteletap grep: ")}\nTry 'teletap grep --help'.\n`);
    return 2;
  }
  const { options, filter } = parsed;
  const started = process.hrtime.bigint();
  const out = new BufferedWriter(process.stdout);
  const matchesFilter = createEventFilter(filter.spec);
  const seen = options.unique ? new Set<string>() : null;
  const keep = (event: TelemetryEvent): boolean => {
    if (!matchesFilter(event)) return false;
    if (seen?.has(event.id)) return false;
    seen?.add(event.id);
    return true;
  };
  let malformed = 0;
  const onMalformed = (m: Malformed) => {
    if (++malformed <= MALFORMED_PRINT_LIMIT && !options.quiet) {
      const what = m.producer ? `malformed ${m.producer} telemetry line` : "skipped line";
      process.stderr.write(`teletap grep: ${m.path}:${m.line}: ${what}: ${m.reason}\n`);
    }
  };
  const silent = options.quiet || options.count;
  if (options.follow) {
    const printer = createPrinter({ output: options.output, silent }, out, true);
    // Loaded only here: the tailer brings zod and the watcher, 0.06 s a plain grep need not pay.
    const { follow } = await import("./grep-follow.js");
    return follow({
      ...options,
      spec: filter.spec,
      keep,
      needsRaw: options.output === "raw",
      printer,
      out,
      onMalformed,
    });
  }
  const { inputs, errors } = await expandInputs(options.operands);
  for (const error of errors) process.stderr.write(`teletap grep: ${error}\n`);
  let failed = errors.length > 0;
  const printer = createPrinter({ output: options.output, silent }, out, inputs.length > 1);
  const total = emptyStats();
  const matched = emptyStats();
  const counts = new Map<string, ScanStats>();
  const progress = process.stderr.isTTY && !options.quiet;
  for (const input of inputs) {
    const fileCounts = emptyStats();
    const onEvent = (event: TelemetryEvent, raw: Buffer) => {
      if (!keep(event)) return;
      fileCounts.events++;
      fileCounts.byProducer[event.producer]++;
      printer.event(event, raw);
    };
    try {
      const stats = await scanInput(
        input,
        {
          producers: filter.spec.producers?.length ? filter.spec.producers : undefined,
          maxLineBytes: options.maxLineBytes,
          onEvent,
          onMalformed,
        },
        progress
          ? (done, size) =>
              process.stderr.write(
                `\r\x1b[Kteletap grep: ${input.path} ${(done / 1e6).toFixed(0)} MB${size ? ` of ${(size / 1e6).toFixed(0)} MB` : ""}`,
              )
          : undefined,
      );
      if (progress) process.stderr.write("\r\x1b[K");
      addStats(total, stats);
    } catch (error) {
      failed = true;
      const code = (error as NodeJS.ErrnoException).code;
      process.stderr.write(
        `teletap grep: ${input.path}: ${code ? `${code} ${(error as Error).message}` : (error as Error).message}\n`,
      );
    }
    addStats(matched, fileCounts);
    counts.set(input.path, fileCounts);
    if (out.closed) break;
  }
  printer.end();
  if (options.count && !options.quiet) out.write(countLines(counts, matched, options.jsonCounts));
  await out.end();
  if (malformed > MALFORMED_PRINT_LIMIT && !options.quiet) {
    process.stderr.write(
      `teletap grep: ${malformed - MALFORMED_PRINT_LIMIT} more malformed lines not shown (see --stats)\n`,
    );
  }
  if (options.stats) {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    process.stderr.write(formatStats(total, matched.events, seconds));
  }
  if (failed) return 2;
  return matched.events > 0 ? 0 : 1;
}
