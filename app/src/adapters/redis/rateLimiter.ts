import type { RateLimiter } from "../../domain/ports";
import type { DependencyGuard } from "../dependencyGuard";
import { LuaScript, type RedisClient } from "./client";

// Token bucket refilled continuously from the server's clock (TIME), so every API replica shares
// one bucket per user and clock skew between pods does not matter.
const takeToken = new LuaScript(`
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(bucket[1]) or burst
local ts = tonumber(bucket[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
local allowed = 0
local retry = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  retry = math.ceil((1 - tokens) / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(burst / rate) + 1)
return {allowed, retry}
`);

export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly client: RedisClient,
    private readonly guard: DependencyGuard,
    private readonly settings: { readonly burst: number; readonly refillPerSecond: number },
  ) {}

  async take(subject: string): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
    const [allowed, retry] = (await this.guard.run(() =>
      takeToken.run(this.client, [`rl:{${subject}}`], [this.settings.burst, this.settings.refillPerSecond]),
    )) as [number, number];
    return { allowed: allowed === 1, retryAfterSeconds: Math.max(1, retry) };
  }
}
