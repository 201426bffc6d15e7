import type { SendResult } from "../sink.js";

/** Reads `Retry-After` (delta-seconds or an HTTP date) into milliseconds from `now`; undefined when absent or bad. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const RETRYABLE = new Set([408, 429]);

/**
 * The receiver's answer as a SendResult: 2xx ok; 408, 429 and 5xx retry (after `Retry-After` when given); any other
 * status drops the batch, keeping the status and the start of the body as the reason, or for a redirect that was
 * not followed, `refusedRedirect`: where it pointed and why.
 */
export function classifyResponse(
  status: number,
  body: string,
  retryAfter: string | undefined,
  refusedRedirect?: string,
): SendResult {
  if (status >= 200 && status < 300) return { kind: "ok" };
  if (refusedRedirect !== undefined) return { kind: "drop", reason: `HTTP ${status}: ${refusedRedirect}`, status };
  const detail = body.trim().slice(0, 200);
  const reason = `HTTP ${status}${detail ? `: ${detail}` : ""}`;
  if (RETRYABLE.has(status) || status >= 500) {
    const afterMs = parseRetryAfter(retryAfter);
    return afterMs === undefined ? { kind: "retry", reason, status } : { kind: "retry", reason, status, afterMs };
  }
  return { kind: "drop", reason, status };
}
