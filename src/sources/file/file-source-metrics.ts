import type { Metrics } from "../../server/metrics.js";

/** The per-file figures a file source feeds to `/metrics`; a no-op when the caller passes no registry. */
export class FileSourceMetrics {
  constructor(
    private readonly metrics: Metrics | undefined,
    private readonly source: string,
  ) {}

  read(path: string, bytes: number, lines: number, lag: number): void {
    if (!this.metrics) return;
    const labels = { source: this.source, path };
    this.metrics.inc("teletap_source_file_read_bytes_total", "bytes read from a tailed file", labels, bytes);
    this.metrics.inc("teletap_source_file_read_lines_total", "lines read from a tailed file", labels, lines);
    this.metrics.set("teletap_source_file_lag_bytes", "bytes of a tailed file not read yet", labels, lag);
  }

  malformed(path: string): void {
    this.metrics?.inc("teletap_source_malformed_lines_total", "telemetry lines that did not decode, or overlong", {
      source: this.source,
      path,
    });
  }

  openFiles(count: number): void {
    this.metrics?.set(
      "teletap_source_open_files",
      "file descriptors a file source holds",
      { source: this.source },
      count,
    );
  }

  released(path: string): void {
    this.metrics?.remove("teletap_source_file_lag_bytes", { source: this.source, path });
  }
}
