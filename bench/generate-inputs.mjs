// Builds the benchmark inputs under bench/.data/ once (kept between runs; nothing large is committed).
// Telemetry lines are the reconstructed samples of ../shared/docs/samples/reconstructed, with varied payloads.
import { closeSync, existsSync, openSync, readFileSync, renameSync, statSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), ".data");
const SAMPLES = process.env.TELETAP_SAMPLES ?? "/work/shared/docs/samples/reconstructed";
const GIB = 1024 * 1024 * 1024;
const MIB = 1024 * 1024;

/** A small deterministic PRNG (mulberry32), so every run scans the same bytes. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sampleLines(file, marker) {
  const text = readFileSync(join(SAMPLES, file), "utf8");
  return text.split("\n").filter((line) => line.includes(marker));
}

function telemetryTemplates() {
  const ticloud = sampleLines("ticloud.txt", '["sending telemetry events"] [event=');
  const tispark = sampleLines("tispark.txt", "Telemetry report: ");
  const tiup = [
    ...sampleLines("tiup-cluster-debug-or-audit-log.txt", "report: {"),
    ...sampleLines("tiup-v1.7plus-cluster-deploy.stderr.txt", "report: "),
    ...sampleLines("tiup-v1.7plus-cluster-display.stderr.txt", "report: "),
    ...sampleLines("tiup-playground.stdout.txt", "report: "),
  ];
  if (ticloud.length === 0 || tispark.length === 0 || tiup.length === 0) {
    throw new Error(`no telemetry samples found under ${SAMPLES} (set TELETAP_SAMPLES)`);
  }
  return { ticloud, tispark, tiup };
}

/** Varies the figures inside a telemetry line so that events get distinct ids, as in a real log. */
function vary(line, n) {
  return line
    .replace(/(\\"duration\\":)\d+/, `$1${n % 100000}`)
    .replace(/("time":)\d+/, `$1${1668582131 + n}`)
    .replace(/(event_unix_timestamp[":]+)\d+/, `$1${1672817300 + n}`);
}

const WORDS = ["cluster", "region", "store", "leader", "txn", "lock", "backoff", "grpc", "pd", "tikv", "ddl", "schema"];
const pad = (n, width) => String(n).padStart(width, "0");

/** Ordinary DEBUG/INFO output in the three producers' layouts (pingcap/log, zap console, log4j). */
function ordinaryLine(rnd, second) {
  const w = () => WORDS[Math.floor(rnd() * WORDS.length)];
  const ms = pad(Math.floor(rnd() * 1000), 3);
  const hh = pad(Math.floor(second / 3600) % 24, 2);
  const mm = pad(Math.floor(second / 60) % 60, 2);
  const ss = pad(second % 60, 2);
  const id = Math.floor(rnd() * 1e9);
  switch (Math.floor(rnd() * 4)) {
    case 0:
      return `[2025/11/20 ${hh}:${mm}:${ss}.${ms} +08:00] [DEBUG] [client.go:${100 + (id % 400)}] ["${w()} ${w()} request sent"] [method=GET] [url=https://api.tidbcloud.com/v1beta1/clusters/${id}] [status=200] [elapsed=${(id % 9000) / 10}ms]`;
    case 1:
      return `[2025/11/20 ${hh}:${mm}:${ss}.${ms} +08:00] [DEBUG] [${w()}.go:${id % 900}] ["resolved ${w()} for ${w()}"] [region_id=${id}] [store_id=${id % 7}] [conn=${id % 100000}]`;
    case 2:
      return `2023-01-04T${hh}:${mm}:${ss}.${ms}+0800\tDEBUG\tSSHCommand\t{"host": "10.0.${id % 256}.${id % 251}", "port": "22", "cmd": "ls -la /tidb-deploy/${w()}-${id % 65536}", "stdout": "", "stderr": ""}`;
    default:
      return `22/11/16 ${hh}:${mm}:${ss} INFO DAGScheduler: Submitting ${id % 400} missing tasks from ResultStage ${id % 97} (MapPartitionsRDD[${id % 1000}] at collect at <console>:24)`;
  }
}

/** Writes `lines()` output to `path` in 8 MiB slabs until `bytes` are written; atomic via rename. */
function writeUntil(path, bytes, nextLine) {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, "w");
  let written = 0;
  while (written < bytes) {
    const slab = [];
    let size = 0;
    while (size < 8 * MIB) {
      const line = nextLine();
      slab.push(line);
      size += line.length + 1;
    }
    slab.push("");
    written += writeSync(fd, slab.join("\n"));
  }
  closeSync(fd);
  renameSync(tmp, path);
}

function ensure(name, build) {
  const path = join(DATA_DIR, name);
  if (!existsSync(path)) {
    const started = Date.now();
    build(path);
    process.stderr.write(
      `generated ${path} (${(statSync(path).size / MIB).toFixed(0)} MiB) in ${Date.now() - started} ms\n`,
    );
  }
  return path;
}

/** ~1 GiB of mixed ordinary output with one telemetry line per ~1,000 lines, cycling through the producers. */
export function sparseInput(bytes = GIB) {
  return ensure(`sparse-${bytes}.log`, (path) => {
    const templates = telemetryTemplates();
    const all = [...templates.ticloud, ...templates.tispark, ...templates.tiup];
    const rnd = random(1);
    let n = 0;
    let telemetry = 0;
    writeUntil(path, bytes, () => {
      n++;
      if (n % 1000 === 500) return vary(all[telemetry++ % all.length], n);
      return ordinaryLine(rnd, Math.floor(n / 50));
    });
  });
}

/** Every line a released-shape ticloud telemetry line (`event=` with one JSON object). */
export function denseInput(bytes = 256 * MIB) {
  return ensure(`dense-${bytes}.log`, (path) => {
    const { ticloud } = telemetryTemplates();
    let n = 0;
    writeUntil(path, bytes, () => vary(ticloud[n % ticloud.length], n++));
  });
}

/** One 64 MiB line (holding a marker, so it is a candidate) between two ordinary telemetry lines. */
export function longLineInput() {
  return ensure("long-line.log", (path) => {
    const { ticloud } = telemetryTemplates();
    const head = `${ticloud[0].slice(0, ticloud[0].indexOf("[event=") + 7)}"`;
    const fd = openSync(path, "w");
    writeSync(fd, `${ticloud[0]}\n${head}`);
    const filler = Buffer.alloc(MIB, "x");
    for (let i = 0; i < 64; i++) writeSync(fd, filler);
    writeSync(fd, `"]\n${ticloud[1]}\n`);
    closeSync(fd);
  });
}
