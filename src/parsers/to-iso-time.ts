/** ISO-8601 UTC with milliseconds, or null when the input is not a usable instant. */
export function isoFromDate(date: Date): string | null {
  const ms = date.getTime();
  return Number.isFinite(ms) ? date.toISOString() : null;
}

export function isoFromEpochSeconds(seconds: number): string | null {
  return Number.isFinite(seconds) ? isoFromDate(new Date(seconds * 1000)) : null;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;
const ZONELESS = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:[.,]\d+)?)$/;

/** RFC 3339 with offset (ticloud), or a zone-less `YYYY-MM-DD HH:MM:SS` read as UTC (TiSpark prototype). */
export function isoFromText(text: string): string | null {
  if (RFC3339.test(text)) return isoFromDate(new Date(text));
  const zoneless = ZONELESS.exec(text);
  if (zoneless) return isoFromDate(new Date(`${zoneless[1]}T${zoneless[2]?.replace(",", ".")}Z`));
  return null;
}
