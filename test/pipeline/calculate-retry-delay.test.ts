import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { calculateRetryDelay } from "../../src/pipeline/calculate-retry-delay.js";

const policy = { initialDelayMs: 100, maxDelayMs: 5_000, maxRetryAfterMs: 60_000 };

describe("calculateRetryDelay", () => {
  it("draws from a window that doubles per attempt (full jitter)", () => {
    const top = () => 0.999999;
    assert.equal(calculateRetryDelay(policy, 1, undefined, top), 99);
    assert.equal(calculateRetryDelay(policy, 2, undefined, top), 199);
    assert.equal(calculateRetryDelay(policy, 3, undefined, top), 399);
    assert.equal(
      calculateRetryDelay(policy, 1, undefined, () => 0),
      0,
    );
  });

  it("never exceeds the cap, even after thousands of attempts", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 0.9999, noNaN: true }), (n, r) => {
        const delay = calculateRetryDelay(policy, n, undefined, () => r);
        return delay >= 0 && delay <= policy.maxDelayMs && Number.isInteger(delay);
      }),
    );
  });

  it("honours Retry-After instead of the backoff, up to maxRetryAfterMs", () => {
    assert.equal(calculateRetryDelay(policy, 1, 2_000), 2_000);
    assert.equal(calculateRetryDelay(policy, 7, 0), 0);
    assert.equal(calculateRetryDelay(policy, 1, 3_600_000), 60_000);
  });
});
