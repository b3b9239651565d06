import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { DependencyUnavailableError } from "../../src/domain/errors";
import { TieredCache } from "../../src/domain/tieredCache";
import { MemoryCache } from "./fakes";

const settings = { l1Seconds: 3, l1StaleSeconds: 600, redisSeconds: 60, negativeSeconds: 15 };

describe("TieredCache (L1 → Redis → origin)", () => {
  let shared: MemoryCache;
  let clock: number;
  let lookups: string[];
  let cache: TieredCache;

  beforeEach(() => {
    shared = new MemoryCache();
    clock = 1_000_000;
    lookups = [];
    cache = new TieredCache(
      shared,
      settings,
      (tier, result) => lookups.push(`${tier}:${result}`),
      () => clock,
    );
  });

  it("loads from the origin once, then answers from L1, then from Redis after L1 expires", async () => {
    let loads = 0;
    const load = async () => ({ n: ++loads });
    assert.deepEqual(await cache.get("k", load), { value: { n: 1 }, tier: "origin" });
    assert.deepEqual(await cache.get("k", load), { value: { n: 1 }, tier: "l1" });
    clock += 3_001;
    assert.deepEqual(await cache.get("k", load), { value: { n: 1 }, tier: "redis" });
    assert.equal(loads, 1);
    assert.deepEqual(lookups, ["l1:miss", "redis:miss", "l1:hit", "l1:miss", "redis:hit"]);
  });

  it("caches 'not found' with the shorter negative TTL, so repeated misses stay off the origin", async () => {
    let loads = 0;
    const load = async () => {
      loads++;
      return undefined;
    };
    assert.deepEqual(await cache.get("missing", load), { value: undefined, tier: "origin" });
    clock += 60_000;
    assert.deepEqual(await cache.get("missing", load), { value: undefined, tier: "redis" });
    assert.equal(loads, 1);
    const ttl = shared.values.get("missing")?.ttlSeconds ?? 0;
    assert.ok(ttl >= 13 && ttl <= 17, `negative TTL ${ttl}s is not 15s ± 10%`);
  });

  it("lets concurrent misses for one key share a single origin load (single-flight)", async () => {
    let loads = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const load = async () => {
      loads++;
      await gate;
      return "v";
    };
    const pending = Array.from({ length: 50 }, () => cache.get("hot", load));
    release();
    const results = await Promise.all(pending);
    assert.equal(loads, 1);
    assert.ok(results.every((r) => r.value === "v"));
  });

  it("spreads Redis TTLs by ±10% so keys cached together do not expire together", async () => {
    for (let i = 0; i < 200; i++) await cache.get(`key-${i}`, async () => i);
    const ttls = [...shared.values.values()].map((v) => v.ttlSeconds);
    assert.ok(
      ttls.every((t) => t >= 54 && t <= 66),
      `TTLs outside 60s ± 10%: ${ttls.join(",")}`,
    );
    assert.ok(new Set(ttls).size >= 5, "TTLs are not jittered");
  });

  it("falls through to the origin when Redis fails", async () => {
    shared.down = true;
    assert.deepEqual(await cache.get("k", async () => "from-db"), { value: "from-db", tier: "origin" });
    assert.ok(lookups.includes("redis:error"));
  });

  it("serves an expired L1 entry when Redis and the origin both fail, and fails without one", async () => {
    await cache.get("k", async () => "old");
    clock += 3_001;
    shared.down = true;
    const failing = async (): Promise<string> => {
      throw new DependencyUnavailableError("mysql-shard-0", "error", "down");
    };
    assert.deepEqual(await cache.get("k", failing), { value: "old", tier: "stale" });
    await assert.rejects(cache.get("never-cached", failing), DependencyUnavailableError);
  });
});
