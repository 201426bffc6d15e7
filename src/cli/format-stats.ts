import type { ScanStats } from "../engine/scan-stats.js";
import { PRODUCERS } from "../producers.js";

/** The `--stats` summary: what was scanned, what was found, and how fast. */
export function formatStats(stats: ScanStats, printed: number, seconds: number): string {
  const mb = stats.bytes / 1e6;
  const rows: [string, string][] = [
    ["bytes scanned", `${stats.bytes} (${mb.toFixed(1)} MB)`],
    ["lines scanned", String(stats.lines)],
    ["candidate lines", String(stats.candidates)],
    ["events", `${stats.events} (${PRODUCERS.map((p) => `${p} ${stats.byProducer[p]}`).join(", ")})`],
    ["events printed", String(printed)],
    ["malformed lines", `${stats.malformed}${stats.overlong ? ` (${stats.overlong} over the line limit)` : ""}`],
    ["elapsed", `${seconds.toFixed(3)} s`],
    ["throughput", `${seconds > 0 ? (mb / seconds).toFixed(1) : "-"} MB/s`],
  ];
  return rows.map(([label, value]) => `teletap: ${label.padEnd(16)} ${value}\n`).join("");
}
