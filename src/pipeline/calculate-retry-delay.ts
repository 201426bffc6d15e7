/** The pipeline's one retry policy, shared by every sink (see `retryConfigSchema`). */
export interface RetryPolicy {
  /** Upper bound of the first attempt's backoff window, in milliseconds. */
  initialDelayMs: number;
  /** Cap of the backoff window, in milliseconds. */
  maxDelayMs: number;
  /** The longest `Retry-After` honoured; a receiver asking for more is waited on for this long, then retried. */
  maxRetryAfterMs: number;
}

/**
 * Milliseconds to wait before retry number `attempt` (1 for the first retry): exponential backoff with full
 * jitter (a uniform draw in [0, min(cap, initial * 2^(attempt-1))]), unless the receiver said when to come back
 * with `Retry-After`, which is honoured up to `maxRetryAfterMs`. Pure: `random` is a parameter so tests can pin it.
 */
export function calculateRetryDelay(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) {
    return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  }
  // 2^30 already exceeds any sane cap; clamping the exponent keeps the product finite on long outages.
  const window = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return Math.floor(random() * window);
}
