import { escapeHtml } from "./escape-html.js";

const WIDTH = 1000;
const HEIGHT = 170;
const PAD = { left: 40, right: 10, top: 12, bottom: 28 };
const DAY_MS = 86_400_000;
/** A lone bar stays a bar, not a block across the whole chart. */
const MAX_BAR = 24;
/** Up to this many days the chart has a bar per day, up to the second a bar per week, beyond it a bar per month. */
const DAILY_UP_TO = 92;
const WEEKLY_UP_TO = 730;

/** How much time one bar of the chart covers. */
export type Bucket = "day" | "week" | "month";

/** The first day of the bucket holding `day` (weeks start on Monday), as YYYY-MM-DD. */
function bucketStart(day: string, bucket: Bucket): string {
  if (bucket === "day") return day;
  if (bucket === "month") return `${day.slice(0, 7)}-01`;
  const t = Date.parse(day);
  const weekday = (new Date(t).getUTCDay() + 6) % 7;
  return new Date(t - weekday * DAY_MS).toISOString().slice(0, 10);
}

function nextBucket(start: string, bucket: Bucket): string {
  const date = new Date(Date.parse(start));
  if (bucket === "month") date.setUTCMonth(date.getUTCMonth() + 1);
  else date.setUTCDate(date.getUTCDate() + (bucket === "week" ? 7 : 1));
  return date.toISOString().slice(0, 10);
}

/**
 * Every bucket from the first to the last day, empty ones included so that gaps show; the bucket grows with the
 * span so that years of history still draw visible bars.
 */
export function volumeBuckets(rows: readonly { day: string; count: number }[]): {
  bucket: Bucket;
  bars: { start: string; count: number }[];
} {
  const days = rows.map((row) => row.day).sort();
  const first = days[0];
  const last = days[days.length - 1];
  if (!first || !last) return { bucket: "day", bars: [] };
  const span = (Date.parse(last) - Date.parse(first)) / DAY_MS + 1;
  const bucket: Bucket = span <= DAILY_UP_TO ? "day" : span <= WEEKLY_UP_TO ? "week" : "month";
  const counts = new Map<string, number>();
  for (const row of rows) {
    const start = bucketStart(row.day, bucket);
    counts.set(start, (counts.get(start) ?? 0) + row.count);
  }
  const bars: { start: string; count: number }[] = [];
  for (let start = bucketStart(first, bucket); start <= last; start = nextBucket(start, bucket))
    bars.push({ start, count: counts.get(start) ?? 0 });
  return { bucket, bars };
}

/** `2025-11-20`, `week of 2025-11-17`, `2025-11`. */
export function bucketLabel(bucket: Bucket, start: string): string {
  return bucket === "day" ? start : bucket === "week" ? `week of ${start}` : start.slice(0, 7);
}

/** An inline SVG bar chart of one producer's events over time: no script, no external resource. */
export function svgVolumeChart(
  producer: string,
  rows: readonly { day: string; count: number }[],
  colour: string,
): string {
  const { bucket, bars } = volumeBuckets(rows);
  const max = Math.max(1, ...bars.map((bar) => bar.count));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const step = plotWidth / Math.max(1, bars.length);
  const width = Math.min(MAX_BAR, Math.max(2, step * 0.8));
  const baseline = PAD.top + plotHeight;
  const rects = bars
    .map((bar, i) => {
      const h = (bar.count / max) * plotHeight;
      const x = PAD.left + i * step + (step - width) / 2;
      return `<rect class="bar" data-count="${bar.count}" x="${x.toFixed(1)}" y="${(baseline - h).toFixed(1)}" width="${width.toFixed(1)}" height="${h.toFixed(1)}" fill="${colour}"><title>${escapeHtml(bucketLabel(bucket, bar.start))}: ${bar.count}</title></rect>`;
    })
    .join("");
  return [
    `<svg class="chart" data-producer="${escapeHtml(producer)}" data-bucket="${bucket}" role="img" aria-label="${escapeHtml(producer)} events per ${bucket}" viewBox="0 0 ${WIDTH} ${HEIGHT}" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">`,
    `<line x1="${PAD.left}" y1="${baseline}" x2="${WIDTH - PAD.right}" y2="${baseline}" stroke="#888"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${baseline}" stroke="#888"/>`,
    `<text x="${PAD.left - 6}" y="${PAD.top + 4}" text-anchor="end" font-size="11">${max}</text>`,
    `<text x="${PAD.left - 6}" y="${baseline}" text-anchor="end" font-size="11">0</text>`,
    rects,
    `<text x="${PAD.left}" y="${HEIGHT - 8}" font-size="11">${escapeHtml(bars[0]?.start ?? "")}</text>`,
    `<text x="${WIDTH / 2}" y="${HEIGHT - 8}" text-anchor="middle" font-size="11" fill="#666">events per ${bucket} (UTC)</text>`,
    `<text x="${WIDTH - PAD.right}" y="${HEIGHT - 8}" text-anchor="end" font-size="11">${escapeHtml(bars[bars.length - 1]?.start ?? "")}</text>`,
    "</svg>",
  ].join("");
}
