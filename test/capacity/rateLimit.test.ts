import assert from "node:assert/strict";
import { test } from "node:test";
import { rateLimitedShares } from "../../tools/capacity/rateLimit";
import type { Sale } from "../../tools/capacity/simulate";

// The app's default bucket: 5 at once, then 1 a second.
const bucket = { burst: 5, refillPerSecond: 1 };
const attempts = (peak: number, rampSeconds: number, attemptsPerBuyerPerSecond: number): Sale => ({
  baselineReadsPerSecond: 0,
  peakReadsPerSecond: 0,
  baselineOrdersPerSecond: 0,
  peakOrdersPerSecond: peak,
  expectedOrdersPerSecond: 0,
  rampSeconds,
  durationSeconds: 9 - rampSeconds,
  attemptsPerBuyerPerSecond,
});

test("buyers within the refill are never refused, however many they are", () => {
  assert.deepEqual(rateLimitedShares(attempts(100_000, 0, 1), bucket), Array(10).fill(0));
});

test("a buyer trying 2/s spends the burst in 4 s, then half its attempts are refused", () => {
  // 100 buyers from t 0 with 5 tokens: t 0 takes 2 (3 left), t 1 refills to 4, takes 2 (2), t 2: 3 → 1,
  // t 3: 2 → 0, from t 4 the refill's 1 of the 2 tries.
  assert.deepEqual(
    rateLimitedShares(attempts(200, 0, 2), bucket),
    [0, 0, 0, 0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
  );
});

test("buyers joining the ramp bring full buckets: the early ones run dry first", () => {
  // 2 s ramp: 0, 100, 200 attempts/s, so 50 buyers join at t 1 and 50 at t 2. The first 50 run dry one
  // second before the second 50: at t 5 the first get 1 of 2, the second 2 → 150 of 200 allowed.
  assert.deepEqual(rateLimitedShares(attempts(200, 2, 2), bucket), [0, 0, 0, 0, 0, 0.25, 0.5, 0.5, 0.5, 0.5]);
});

test("the baseline's buyers trying faster than the refill have been refused all along", () => {
  const steady = { ...attempts(20, 0, 2), baselineOrdersPerSecond: 20 };
  assert.deepEqual(rateLimitedShares(steady, bucket), Array(10).fill(0.5));
});
