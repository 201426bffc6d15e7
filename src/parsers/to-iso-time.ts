// Years 0000-9999: beyond them toISOString writes `+033658-…`, which is not the ISO-8601 the event model promises.
const MIN_MS = Date.parse("0000-01-01T00:00:00.000Z");
const MAX_MS = Date.parse("9999-12-31T23:59:59.999Z");

/** ISO-8601 UTC with milliseconds, or null when the input is not a usable instant in years 0000-9999. */
export function isoFromDate(date: Date): string | null {
  const ms = date.getTime();
  return Number.isFinite(ms) && ms >= MIN_MS && ms <= MAX_MS ? date.toISOString() : null;
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
