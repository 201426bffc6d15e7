import { escapeHtml } from "./escape-html.js";

const WIDTH = 720;
const HEIGHT = 160;
const PAD = { left: 40, right: 10, top: 12, bottom: 28 };
const DAY_MS = 86_400_000;

/** Every day from the first to the last, with zero for the days without events so that gaps show. */
function fillDays(rows: readonly { day: string; count: number }[]): { day: string; count: number }[] {
  const counts = new Map(rows.map((row) => [row.day, row.count]));
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (!first || !last) return [];
  const days: { day: string; count: number }[] = [];
  for (let t = Date.parse(first.day); t <= Date.parse(last.day); t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    days.push({ day, count: counts.get(day) ?? 0 });
  }
  return days;
}

/** An inline SVG bar chart of events per UTC day for one producer: no script, no external resource. */
export function svgDayChart(producer: string, rows: readonly { day: string; count: number }[], colour: string): string {
  const days = fillDays(rows);
  const max = Math.max(1, ...days.map((d) => d.count));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const step = plotWidth / Math.max(1, days.length);
  const bar = Math.max(1, step * 0.8);
  const bars = days
    .map((d, i) => {
      const h = (d.count / max) * plotHeight;
      const x = PAD.left + i * step + (step - bar) / 2;
      return `<rect class="bar" x="${x.toFixed(1)}" y="${(PAD.top + plotHeight - h).toFixed(1)}" width="${bar.toFixed(1)}" height="${h.toFixed(1)}" fill="${colour}"><title>${escapeHtml(d.day)}: ${d.count}</title></rect>`;
    })
    .join("");
  const first = days[0]?.day ?? "";
  const last = days[days.length - 1]?.day ?? "";
  const baseline = PAD.top + plotHeight;
  return [
    `<svg class="chart" data-producer="${escapeHtml(producer)}" role="img" aria-label="${escapeHtml(producer)} events per day" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" xmlns="http://www.w3.org/2000/svg">`,
    `<line x1="${PAD.left}" y1="${baseline}" x2="${WIDTH - PAD.right}" y2="${baseline}" stroke="#888"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${baseline}" stroke="#888"/>`,
    `<text x="${PAD.left - 6}" y="${PAD.top + 4}" text-anchor="end" font-size="11">${max}</text>`,
    `<text x="${PAD.left - 6}" y="${baseline}" text-anchor="end" font-size="11">0</text>`,
    bars,
    `<text x="${PAD.left}" y="${HEIGHT - 8}" font-size="11">${escapeHtml(first)}</text>`,
    `<text x="${WIDTH - PAD.right}" y="${HEIGHT - 8}" text-anchor="end" font-size="11">${escapeHtml(last)}</text>`,
    "</svg>",
  ].join("");
}
