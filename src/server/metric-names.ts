/**
 * The names, help texts and labels of every metric teletap exports on `GET /metrics`, in one place so that the
 * tailer, the pipeline, the sinks and the scheduler write the same series. Use them with `Metrics.count` /
 * `Metrics.gauge`: `metrics.count(METRIC.bytesRead, { source: "logs" }, n)`.
 */
export interface MetricDef {
  /** Prometheus name; counters end in `_total`. */
  readonly name: string;
  readonly help: string;
  readonly type: "counter" | "gauge";
  /** The label keys this metric is written with, documentation for the writers and for the README. */
  readonly labels: readonly string[];
}

const counter = (name: string, help: string, labels: readonly string[]): MetricDef => ({
  name,
  help,
  type: "counter",
  labels,
});
const gauge = (name: string, help: string, labels: readonly string[]): MetricDef => ({
  name,
  help,
  type: "gauge",
  labels,
});

export const METRIC = {
  // Sources (the file tailer, stdin)
  bytesRead: counter("teletap_read_bytes_total", "bytes read from log files and stdin", ["source"]),
  linesRead: counter("teletap_read_lines_total", "lines read from log files and stdin", ["source"]),
  events: counter("teletap_events_total", "telemetry events extracted, by producer", ["source", "producer"]),
  malformedLines: counter("teletap_malformed_lines_total", "telemetry lines that could not be decoded into an event", [
    "source",
    "producer",
  ]),
  openFiles: gauge("teletap_open_files", "file descriptors the tailer holds open", ["source"]),
  watchedFiles: gauge("teletap_watched_files", "files matched by a source's globs and followed", ["source"]),
  fileLagBytes: gauge("teletap_file_lag_bytes", "bytes between a file's size and the offset read so far", [
    "source",
    "path",
  ]),
  rotations: counter(
    "teletap_file_rotations_total",
    "rotations and truncations detected (rename, copytruncate, truncate, delete)",
    ["source", "kind"],
  ),
  checkpointWrites: counter("teletap_checkpoint_writes_total", "checkpoint files written", ["source"]),

  // Pipeline and sinks
  eventsSent: counter("teletap_sink_events_sent_total", "events a sink accepted", ["sink"]),
  eventsRetried: counter("teletap_sink_events_retried_total", "events sent again after a retry answer", ["sink"]),
  eventsDropped: counter(
    "teletap_sink_events_dropped_total",
    "events a sink refused for good, written to the dead-letter file",
    ["sink", "reason"],
  ),
  batchesSent: counter("teletap_sink_batches_total", "batches sent, by outcome (ok, retry, drop)", ["sink", "outcome"]),
  sendSeconds: counter("teletap_sink_send_seconds_total", "time spent in sink sends", ["sink"]),
  spoolDepth: gauge("teletap_spool_events", "events waiting in a sink's disk spool", ["sink"]),
  spoolBytes: gauge("teletap_spool_bytes", "bytes of a sink's disk spool", ["sink"]),
  spoolFiles: gauge("teletap_spool_files", "batch files in a sink's disk spool; compact-spool merges small ones", [
    "sink",
  ]),
  deadLetterEvents: counter("teletap_dead_letter_events_total", "events written to the dead-letter file", ["sink"]),
  deadLetterMerged: counter(
    "teletap_dead_letter_merged_total",
    "dead-letter entries compact-dead-letters folded into a later one for the same sink and event",
    [],
  ),
  deadLetterArchived: counter(
    "teletap_dead_letter_archived_total",
    "dead-letter entries compact-dead-letters moved to a dead-letter.archive-<day>.ndjson file",
    [],
  ),
  sinkFailingSeconds: gauge(
    "teletap_sink_failing_seconds",
    "seconds since a sink last succeeded, 0 when its last send was ok",
    ["sink"],
  ),

  // Scheduler
  jobRuns: counter("teletap_schedule_runs_total", "scheduled job executions, by outcome (ok, error)", [
    "id",
    "job",
    "outcome",
  ]),
  jobSkipped: counter(
    "teletap_schedule_skipped_total",
    "scheduled executions skipped because the previous one was still running",
    ["id", "job"],
  ),
  jobSeconds: counter("teletap_schedule_seconds_total", "time spent in scheduled jobs", ["id", "job"]),

  // Process
  up: gauge("teletap_up", "1 while the daemon runs", []),
  healthy: gauge("teletap_healthy", "1 when GET /health answers 200, else 0", []),
  startTime: gauge("teletap_start_time_seconds", "Unix time the daemon started", []),
  // The usual process series, under the names Prometheus clients give them, so existing dashboards work.
  cpuSeconds: counter("process_cpu_seconds_total", "user and system CPU time the daemon has used", []),
  residentBytes: gauge("process_resident_memory_bytes", "resident set size of the daemon", []),
  heapUsedBytes: gauge("nodejs_heap_size_used_bytes", "V8 heap in use", []),
  // The redact step (src/redact), applied before an event leaves the host
  redactions: counter("teletap_redactions_total", "values masked or hashed before a send, by detector", ["rule"]),
} as const satisfies Record<string, MetricDef>;
