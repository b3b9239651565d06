import { demandAt, type Sale } from "./simulate";

/** The per-user token bucket on the order path, as the app's runtime settings configure it. */
export interface TokenBucket {
  readonly burst: number;
  readonly refillPerSecond: number;
}

/**
 * The share of each second's order attempts (index: second of the sale) the per-user token bucket
 * refuses. The attempts come from `attempts ÷ attemptsPerBuyerPerSecond` buyers, each trying at that
 * rate: a buyer joining the ramp starts with a full bucket of `burst`, the bucket refills by
 * `refillPerSecond` each second up to `burst`, and each attempt takes a token while there is one.
 * The baseline's buyers have been trying at that rate for long: their buckets are in the steady
 * state (full when they try no faster than the refill, empty otherwise). Buyers in the same bucket
 * state are counted together, so a long sale costs a few states per second, not one per buyer.
 */
export function rateLimitedShares(sale: Sale, bucket: TokenBucket): number[] {
  const { burst, refillPerSecond: refill } = bucket;
  const perBuyer = sale.attemptsPerBuyerPerSecond;
  // Buyers by the tokens left in their bucket after their last second's attempts.
  let buyersByTokens = new Map<number, number>();
  const buyersAt = (t: number) => demandAt(sale, t).orders / perBuyer;
  let buyers = sale.baselineOrdersPerSecond / perBuyer;
  buyersByTokens.set(perBuyer <= refill ? burst : 0, buyers);
  const shares: number[] = [];
  for (let t = 0; t <= sale.rampSeconds + sale.durationSeconds; t++) {
    const now = buyersAt(t);
    const next = new Map<number, number>();
    let allowed = 0;
    const take = (tokens: number, count: number) => {
      const granted = Math.min(perBuyer, tokens);
      allowed += granted * count;
      const left = tokens - granted;
      next.set(left, (next.get(left) ?? 0) + count);
    };
    for (const [tokens, count] of buyersByTokens) take(Math.min(burst, tokens + refill), count);
    // New buyers arrive with a full bucket (a ramp only adds buyers).
    if (now > buyers) take(burst, now - buyers);
    buyers = Math.max(buyers, now);
    buyersByTokens = next;
    const attempts = buyers * perBuyer;
    shares.push(attempts > 0 ? 1 - allowed / attempts : 0);
  }
  return shares;
}
