/** How much a finding matters: `--fail-on` compares against this order. */
export const SEVERITIES = ["low", "medium", "high"] as const;
/** `low`, `medium` or `high`. */
export type Severity = (typeof SEVERITIES)[number];

/** A half-open range [start, end) of a string value that holds something a detector looks for. */
export interface Span {
  start: number;
  end: number;
}

/**
 * One kind of personal data or secret. The audit reports what it finds; the daemon's redact step replaces it.
 * `id` is the module's file name, the registry key and the key in redact config and counters.
 */
export interface Detector {
  id: string;
  severity: Severity;
  description: string;
  /** Spans of `text` to report; `key` is the name of the field holding it (`error`, `password`, `host`...). */
  find(text: string, key: string): Span[];
  /** What a report shows, and what mask mode sends, instead of the found text. */
  mask(found: string): string;
}

/** Every match of a global regex, or of one capture group of it (a regex with the `d` flag). */
export function regexSpans(regex: RegExp, text: string, group = 0, keep?: (found: string) => boolean): Span[] {
  const spans: Span[] = [];
  regex.lastIndex = 0;
  for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
    if (m[0] === "") regex.lastIndex++;
    const range = group === 0 ? ([m.index, m.index + m[0].length] as const) : m.indices?.[group];
    if (!range) continue;
    const [start, end] = range;
    const found = text.slice(start, end);
    if (found === "" || (keep && !keep(found))) continue;
    spans.push({ start, end });
  }
  return spans;
}

/** The first `keep` characters and a marker: enough to recognise a value in a report, not to reuse it. */
export function keepStart(found: string, keep: number): string {
  return `${found.slice(0, Math.min(keep, Math.max(0, found.length - 1)))}***`;
}
