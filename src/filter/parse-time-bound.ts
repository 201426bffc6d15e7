const RELATIVE = /^(\d+(?:\.\d+)?)(s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

const DAY_MS = 86_400_000;
// A duration reaching before year 0000 (`--since 200000000d`) means "from the start": the earliest instant an ISO
// date can name, so reports can still print the bound.
const EARLIEST_MS = Date.parse("0000-01-01T00:00:00.000Z");

/**
 * `--since`/`--until` values: ISO-8601 (a time without zone is UTC) or a duration back from now (`90m`, `2h`,
 * `7d`). A date alone is a whole UTC day: its first millisecond as a start, its last as an end, so
 * `--since 2025-11-20 --until 2025-11-20` is that day. Returns epoch milliseconds, or null when the text is neither.
 */
export function parseTimeBound(text: string, now: number = Date.now(), end = false): number | null {
  if (end && /^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const start = Date.parse(text);
    return Number.isFinite(start) ? start + DAY_MS - 1 : null;
  }
  const relative = RELATIVE.exec(text.trim());
  if (relative) return Math.max(EARLIEST_MS, now - Number(relative[1]) * (UNIT_MS[relative[2] ?? "s"] ?? 0));
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return null;
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) || /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : `${text}Z`;
  const ms = Date.parse(zoned);
  return Number.isFinite(ms) ? ms : null;
}
