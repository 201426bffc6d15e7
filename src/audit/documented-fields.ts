import type { Producer } from "../events.js";
import { childPath } from "../field-path.js";

// ticloud: the seed's "What telemetry data is collected" table (tidbcloud-cli docs/telemetry.md) and formats.md §1.3.
const TICLOUD = [
  "timestamp",
  "source",
  ...[
    "alias",
    "arch",
    "auth_method",
    "command",
    "duration",
    "error",
    "flags[]",
    "git_commit",
    "installer",
    "interactive",
    "os",
    "project_id",
    "result",
    "terminal",
    "version",
  ].map((name) => `properties.${name}`),
];

const NODE = [
  "node_id",
  "hardware.virtualization",
  ...["numcpu", "sockets", "cores", "model", "mhz", "features[]"].map((name) => `hardware.cpu.${name}`),
  "hardware.mem.total",
  "hardware.mem.available",
  "hardware.loadavg15",
  "os.family",
  "os.platform",
  "os.version",
].map((name) => `nodes[].${name}`);

// TiUP: the wire JSON of formats.md §2.3 (report.proto), v1.4.3-v1.16.2, plus the v1.0.1-v1.4.2 shapes.
const CLUSTER = ["ID", "command", "take_milliseconds", "exit_code", "topology", ...NODE];
const TIUP = [
  "installationUUID",
  "eventUUID",
  "event_unix_timestamp",
  ...["TiUPVersion", "ComponentVersion", "GitRef", "GitCommit", "VerName", "os", "arch", "go"].map(
    (n) => `version.${n}`,
  ),
  ...["command", "tag", "take_milliseconds", "exit_code", "custom_mirror"].map((n) => `EventDetail.tiup.${n}`),
  ...["TiUPVersion", "ComponentVersion", "GitCommit", "os", "arch"].map((n) => `EventDetail.tiup.${n}`),
  ...CLUSTER.map((name) => `EventDetail.cluster.${name}`),
  ...["UUID", "command", "take_milliseconds", "exit_code", "topology", ...NODE].map((n) => `EventDetail.Cluster.${n}`),
  ...["topology", "take_milliseconds", "exit_code"].map((name) => `EventDetail.playground.${name}`),
];

// TiSpark: TeleMsg, formats.md §3.3 (the 14 configuration keys TiSparkTeleConf reads).
const TISPARK_CONFIGURATION = [
  "spark.tispark.plan.allow_agg_pushdown",
  "spark.tispark.plan.allow_index_read",
  "spark.tispark.index.scan_batch_size",
  "spark.tispark.index.scan_concurrency",
  "spark.tispark.request.command.priority",
  "spark.tispark.request.isolation.level",
  "spark.tispark.plan.use_index_scan_first",
  "spark.tispark.coprocess.streaming",
  "spark.tispark.coprocess.codec_format",
  "spark.tispark.type.unsupported_mysql_types",
  "spark.tispark.coprocessor.chunk_batch_size",
  "spark.tispark.show_rowid",
  "spark.tispark.isolation_read_engines",
  "spark.sql.auth.enable",
];
const TISPARK = [
  "track_id",
  "time",
  // `"hardware": null` when OSHI fails.
  "hardware",
  "hardware.os",
  "hardware.disks[].name",
  "hardware.disks[].size",
  "hardware.version",
  "hardware.cpu.model",
  "hardware.cpu.logicalCores",
  "hardware.cpu.physicalCores",
  "hardware.memory",
  "instance.tispark_version",
  "instance.tidb_version",
  "instance.spark_version",
  ...TISPARK_CONFIGURATION.map((key) => childPath("configuration", key)),
];

/** The attribute paths each producer documents, in the inventory's notation (array indices as []). */
export const DOCUMENTED_FIELDS: Readonly<Record<Producer, ReadonlySet<string>>> = {
  ticloud: new Set(TICLOUD),
  tiup: new Set(TIUP),
  tispark: new Set(TISPARK),
};

/** Whether a path is documented. An empty object or array (`configuration: {}`, `flags: []`) is a leaf of its own:
 * documented when a documented field lies under it. */
export function isDocumented(producer: Producer, path: string): boolean {
  const documented = DOCUMENTED_FIELDS[producer];
  if (documented.has(path)) return true;
  for (const known of documented) if (known.startsWith(`${path}.`) || known.startsWith(`${path}[`)) return true;
  return false;
}
