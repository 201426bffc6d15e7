// `npm run bench` (builds first): `node bench/run.mjs [sparse] [dense] [long] [daemon] [--record]`.
// Generates its inputs under bench/.data/, times `teletap grep` against GNU grep and ripgrep on a warm page cache
// (best of 3), prints one markdown report, and with --record writes it to bench/RESULTS.md.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DATA_DIR, denseInput, longLineInput, sparseInput } from "./generate-inputs.mjs";
import { bestOf, measure, warmPageCache } from "./measure-command.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const CLI = join(ROOT, "dist", "main.js");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SCENARIOS = ["sparse", "dense", "long", "daemon"];

const args = process.argv.slice(2);
const record = args.includes("--record");
const chosen = args.filter((arg) => !arg.startsWith("--"));
for (const name of chosen) if (!SCENARIOS.includes(name)) throw new Error(`unknown scenario ${name}: ${SCENARIOS}`);
const selected = chosen.length > 0 ? chosen : SCENARIOS;

function which(tool) {
  try {
    return execFileSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}

const teletap = (...rest) => [process.execPath, CLI, "grep", ...rest];
const lineCount = (path) => readFileSync(path).reduce((count, byte) => count + (byte === 10 ? 1 : 0), 0);
const gib = (path) => statSync(path).size / 1024 ** 3;
const s = (seconds) => (Number.isFinite(seconds) ? `${seconds.toFixed(3)} s` : "n/a");
const mib = (value) => (value > 0 ? `${value.toFixed(0)} MiB` : "n/a");
const table = (rows) => rows.map((row) => `| ${row.join(" | ")} |`).join("\n");
const verdict = (met) => (met ? "met" : "not met");
/** One row per target, filled by the scenarios: the report's first table. */
const summary = [];

/** The engine alone in a child process (no CLI start-up, no output): { seconds, events }, best of RUNS. */
function engineAlone(file, mode, pin = []) {
  const argv = [...pin, process.execPath, join(ROOT, "bench", "engine-scan.mjs"), file, mode, String(RUNS)];
  warmPageCache(file);
  return JSON.parse(execFileSync(argv[0], argv.slice(1), { encoding: "utf8" }));
}

/** One run with the events kept, to check the timed runs do real work; returns how many events were printed. */
async function eventsPrinted(file) {
  const out = join(DATA_DIR, "events.ndjson");
  const result = await measure(teletap("-o", "ndjson", file), { stdout: out });
  if (result.status !== 0) throw new Error(`teletap grep exited ${result.status}: ${result.stderr}`);
  return lineCount(out);
}

async function sparse() {
  const file = sparseInput();
  const size = gib(file);
  warmPageCache(file);
  const events = await eventsPrinted(file);
  const peers = join(DATA_DIR, "peer-count.txt");
  const rows = [];
  const tap = await bestOf(RUNS, teletap("-o", "ndjson", file), { input: file });
  const grep = await bestOf(RUNS, ["grep", "-F", "-c", "sending telemetry events", file], {
    input: file,
    stdout: peers,
  });
  rows.push(["`teletap grep -o ndjson > /dev/null`", tap, `${events} events`]);
  rows.push(["GNU `grep -F -c 'sending telemetry events' > file`", grep, "ticloud lines only"]);
  const one = engineAlone(file, "one");
  const halves = engineAlone(file, "halves");
  const rg = which("rg")
    ? await bestOf(RUNS, ["rg", "-F", "-c", "sending telemetry events", file], { input: file, stdout: peers })
    : null;
  const peersText = `grep ${s(grep.seconds)}${rg ? `, rg ${s(rg.seconds)}` : ""}`;
  const vsGrep = (seconds) => `${(seconds / grep.seconds).toFixed(2)}x grep`;
  summary.push(
    [
      "sparse 1 GiB, `teletap grep -o ndjson` wall",
      s(tap.seconds),
      peersText,
      vsGrep(tap.seconds),
      "<= 1.00x grep",
      verdict(tap.seconds <= grep.seconds),
    ],
    [
      "sparse 1 GiB, engine alone (no start-up, no output)",
      s(one.seconds),
      peersText,
      vsGrep(one.seconds),
      "<= 1.00x grep",
      verdict(one.seconds <= grep.seconds),
    ],
    ["sparse, peak RSS", mib(tap.rssMiB), `grep ${mib(grep.rssMiB)}`, "", "< 150 MiB", verdict(tap.rssMiB < 150)],
  );
  rows.push([
    "engine alone, in-process, one thread (bench/engine-scan.mjs)",
    { ...one, cpuSeconds: NaN, rssMiB: 0 },
    "",
  ]);
  rows.push([
    "engine alone, in-process, scanInHalves (a worker only if a CPU is idle)",
    { ...halves, cpuSeconds: NaN, rssMiB: 0 },
    "",
  ]);
  if (rg) {
    rows.push(["ripgrep `rg -F -c` (same pattern)", rg, "mmap: RSS counts the file's pages"]);
  }
  return [
    `### Sparse: ${size.toFixed(2)} GiB, one telemetry line per 1,000 (all three producers), warm cache, best of ${RUNS}`,
    "",
    table([
      ["command", "wall", "GiB/s", "CPU (user+sys)", "peak RSS", "teletap wall / this", "note"],
      ["---", "---:", "---:", "---:", "---:", "---:", "---"],
      ...rows.map(([name, r, note]) => [
        name,
        s(r.seconds),
        (size / r.seconds).toFixed(2),
        s(r.cpuSeconds),
        mib(r.rssMiB),
        `${(tap.seconds / r.seconds).toFixed(2)}x`,
        note,
      ]),
    ]),
    rows.length < 5 ? "\nripgrep is not installed: its row is skipped (`apt-get install ripgrep`)." : "",
  ].join("\n");
}

async function dense() {
  const file = denseInput();
  const lines = lineCount(file);
  warmPageCache(file);
  const events = await eventsPrinted(file);
  // One core: the scan may use worker threads on large files, so pin the whole process when taskset exists.
  const pin = which("taskset") ? ["taskset", "-c", "0"] : [];
  const tap = await bestOf(RUNS, [...pin, ...teletap("-o", "ndjson", file)], { input: file });
  const alone = engineAlone(file, "one", pin);
  const rate = events / tap.seconds;
  const aloneRate = alone.events / alone.seconds;
  const perSecond = (value) => `${Math.round(value).toLocaleString("en-US")} events/s`;
  const vsTarget = (value) => `${(value / 300_000).toFixed(2)}x target`;
  summary.push(
    [
      "dense, `teletap grep -o ndjson` on one core",
      perSecond(rate),
      "",
      vsTarget(rate),
      ">= 300,000 events/s",
      verdict(rate >= 300_000),
    ],
    [
      "dense, engine alone on one core (no output)",
      perSecond(aloneRate),
      "",
      vsTarget(aloneRate),
      ">= 300,000 events/s",
      verdict(aloneRate >= 300_000),
    ],
    ["dense, peak RSS", mib(tap.rssMiB), "", "", "< 150 MiB", verdict(tap.rssMiB < 150)],
  );
  return [
    `### Dense: every line a ticloud telemetry line (${(statSync(file).size / 1024 ** 2).toFixed(0)} MiB, ${lines} lines), best of ${RUNS}`,
    "",
    table([
      ["command", "events", "wall", "events/s", "CPU (user+sys)", "events/CPU-s", "peak RSS", "target"],
      ["---", "---:", "---:", "---:", "---:", "---:", "---:", "---"],
      [
        `${pin.length > 0 ? "`taskset -c 0` " : ""}\`teletap grep -o ndjson > /dev/null\``,
        String(events),
        s(tap.seconds),
        Math.round(events / tap.seconds).toLocaleString("en-US"),
        s(tap.cpuSeconds),
        Number.isFinite(tap.cpuSeconds) ? Math.round(events / tap.cpuSeconds).toLocaleString("en-US") : "n/a",
        mib(tap.rssMiB),
        ">= 300,000 events/s, < 150 MiB",
      ],
      [
        "engine alone, in-process, no output (bench/engine-scan.mjs)",
        String(alone.events),
        s(alone.seconds),
        Math.round(alone.events / alone.seconds).toLocaleString("en-US"),
        "",
        "",
        "",
        "",
      ],
    ]),
  ].join("\n");
}

async function long() {
  const file = longLineInput();
  warmPageCache(file);
  const out = join(DATA_DIR, "long-line.ndjson");
  const result = await measure(teletap("-o", "ndjson", "--stats", file), { stdout: out });
  const events = lineCount(out);
  const handled = result.status === 0 && events === 2 && /longer than/.test(result.stderr);
  summary.push([
    "one 64 MiB line, peak RSS (line skipped and counted, both neighbours found)",
    mib(result.rssMiB),
    "",
    "",
    "< 150 MiB",
    verdict(handled && result.rssMiB < 150),
  ]);
  return [
    "### One 64 MiB line (holding a marker) between two telemetry lines",
    "",
    table([
      ["command", "exit", "events printed", "wall", "peak RSS", "target"],
      ["---", "---:", "---:", "---:", "---:", "---"],
      [
        "`teletap grep -o ndjson --stats`",
        String(result.status),
        String(events),
        s(result.seconds),
        mib(result.rssMiB),
        "line skipped and counted, < 150 MiB",
      ],
    ]),
  ].join("\n");
}

async function daemon() {
  const path = join(ROOT, "bench", "daemon.mjs");
  if (!existsSync(path)) return "### Daemon\n\nbench/daemon.mjs is not there yet: skipped.";
  const { benchDaemon } = await import(path);
  const { markdown } = await benchDaemon();
  return `### Daemon\n\n${markdown}`;
}

function machine() {
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? "unknown";
  const version = (tool, flag) =>
    which(tool) ? execFileSync(tool, [flag], { encoding: "utf8" }).split("\n")[0] : "absent";
  return [
    `- date: ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
    `- machine: ${availableParallelism()} CPUs (${cpu}), ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM`,
    `- node ${process.version}; ${version("grep", "--version")}; ${version("rg", "--version")}`,
  ].join("\n");
}

if (!existsSync(CLI)) throw new Error("dist/main.js is missing: run `npm run build` (npm run bench does)");
const runners = { sparse, dense, long, daemon };
const sections = [];
for (const name of selected) {
  process.stderr.write(`bench: ${name}...\n`);
  sections.push(await runners[name]());
}
const summaryTable = table([
  ["figure", "teletap", "peers", "ratio", "target", ""],
  ["---", "---:", "---", "---:", "---", "---"],
  ...summary,
]);
const head = summary.length > 0 ? `### Against the targets\n\n${summaryTable}\n\n` : "";
const report = `## Figures\n\n${machine()}\n\n${head}${sections.join("\n\n")}\n`;
process.stdout.write(report);
if (record) {
  const path = join(ROOT, "bench", "RESULTS.md");
  const notes = existsSync(path) ? readFileSync(path, "utf8").split("## Figures")[0] : "# Benchmark results\n\n";
  writeFileSync(path, `${notes.trimEnd()}\n\n${report}`);
  process.stderr.write(`bench: wrote ${path}\n`);
}
