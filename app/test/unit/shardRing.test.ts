import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ShardRing } from "../../src/adapters/mysql/shardRing";

const users = Array.from({ length: 20_000 }, (_, i) => `user-${i}`);

describe("ShardRing (consistent hashing with virtual nodes)", () => {
  it("routes a user to the same shard every time and in every process", () => {
    const a = new ShardRing([0, 1, 2]);
    const b = new ShardRing([2, 0, 1]);
    for (const user of users.slice(0, 1000)) assert.equal(a.shardFor(user), b.shardFor(user));
  });

  it("spreads users evenly: each of 4 shards within 15% of a fair share", () => {
    const ring = new ShardRing([0, 1, 2, 3]);
    const counts = new Map<number, number>();
    for (const user of users) counts.set(ring.shardFor(user), (counts.get(ring.shardFor(user)) ?? 0) + 1);
    assert.equal(counts.size, 4);
    for (const [shard, count] of counts) {
      assert.ok(Math.abs(count - 5000) < 750, `shard ${shard} got ${count} of 20000 users`);
    }
  });

  it("moves only the users the new shard takes over when a shard is added (about 1/N)", () => {
    const before = new ShardRing([0, 1, 2]);
    const after = new ShardRing([0, 1, 2, 3]);
    let moved = 0;
    for (const user of users) {
      const from = before.shardFor(user);
      const to = after.shardFor(user);
      if (from !== to) {
        moved++;
        assert.equal(to, 3, `${user} moved from shard ${from} to ${to}, not to the new shard`);
      }
    }
    assert.ok(moved > 20_000 * 0.18 && moved < 20_000 * 0.32, `${moved} of 20000 users moved`);
  });

  it("rejects an empty or duplicated shard list", () => {
    assert.throws(() => new ShardRing([]), /at least one shard/);
    assert.throws(() => new ShardRing([1, 1]), /duplicate shard ids: 1, 1/);
  });
});
