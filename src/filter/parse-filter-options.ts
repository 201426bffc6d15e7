import { parseFieldPath } from "../field-path.js";
import { PRODUCERS, type Producer } from "../producers.js";
import type { EventFilterSpec } from "./event-filter.js";
import { parseTimeBound } from "./parse-time-bound.js";

export interface FilterOptionValues {
  producer?: string[];
  since?: string;
  until?: string;
  where?: string[];
}

/** The filter options every reading command shares, checked together so a user sees every mistake at once. */
export const FILTER_OPTIONS = {
  producer: { type: "string", short: "p", multiple: true },
  since: { type: "string" },
  until: { type: "string" },
  where: { type: "string", multiple: true },
} as const;

export function parseFilterOptions(
  values: FilterOptionValues,
  now = Date.now(),
): { spec: EventFilterSpec; errors: string[] } {
  const errors: string[] = [];
  const producers: Producer[] = [];
  for (const name of values.producer ?? []) {
    for (const part of name.split(",")) {
      if ((PRODUCERS as readonly string[]).includes(part)) producers.push(part as Producer);
      else errors.push(`--producer: unknown producer '${part}' (expected ${PRODUCERS.join(", ")})`);
    }
  }
  const bound = (flag: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const ms = parseTimeBound(text, now, flag === "until");
    if (ms === null) errors.push(`--${flag}: '${text}' is neither ISO-8601 nor a duration like 90m, 2h, 7d`);
    return ms ?? undefined;
  };
  const sinceMs = bound("since", values.since);
  const untilMs = bound("until", values.until);
  const where = (values.where ?? []).flatMap((text) => {
    const parsed = parseFieldPath(text, "=");
    if ("path" in parsed && parsed.end < text.length) return [{ path: parsed.path, value: text.slice(parsed.end + 1) }];
    const broken = "error" in parsed && text.indexOf("=") > 0;
    errors.push(broken ? `--where: '${text}': ${parsed.error}` : `--where: '${text}' is not KEY=VALUE`);
    return [];
  });
  return { spec: { producers, sinceMs, untilMs, where }, errors };
}
