import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AcceptedOrder, RejectReason, StoredOrder } from "../../src/domain/model";
import { OrderHistory } from "../../src/domain/orderHistory";
import { encodeOrderMessage } from "../../src/domain/orderMessage";
import { conflictReason, OrderWriter, releasedReason } from "../../src/domain/orderWriter";
import type { OrderRepository, SoldCounter, StockClaim, StockLedger } from "../../src/domain/ports";
import { MemoryCache } from "./fakes";

const order = (n: number, userId = `user-${n}`): AcceptedOrder => ({
  orderId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  userId,
  sku: "phone",
  quantity: 1,
  unitPriceCents: 100,
  idempotencyKey: `key-${n}-abcdef`,
  acceptedAt: "2026-01-02T03:04:05.678Z",
});

/** Released markers name the attempt, as in Redis: the order id and when that attempt was made. */
const attemptOf = (o: AcceptedOrder) => `${o.orderId}@${o.acceptedAt}`;

/** Users whose name starts with "a" live on shard 0, the rest on shard 1. */
class MemoryOrders implements OrderRepository {
  readonly rows = new Map<string, StoredOrder>();
  readonly failingShards = new Set<number>();
  shardFor(userId: string): number {
    return userId.startsWith("a") ? 0 : 1;
  }
  async insertBatch(shardId: number, orders: readonly StoredOrder[]): Promise<number> {
    if (this.failingShards.has(shardId)) throw new Error(`shard ${shardId} down`);
    let inserted = 0;
    for (const o of orders) {
      if (this.rows.has(o.orderId)) continue;
      this.rows.set(o.orderId, o);
      inserted++;
    }
    return inserted;
  }
  async listByUser(): Promise<StoredOrder[]> {
    return [];
  }
}

function setUp() {
  const orders = new MemoryOrders();
  const released = new Set<string>();
  const decisions = new Map<string, StockClaim>();
  const previouslyDecided = new Set<string>();
  const reattempted = new Set<string>();
  const givenBack: string[] = [];
  const deadLettered: { value: string; reason: string }[] = [];
  const events: string[] = [];
  const failures = { redis: false, soldCounter: false, deadLetters: false, giveBack: false };
  const ledger: StockLedger = {
    reserve: async () => ({ kind: "reserved" }),
    initStock: async () => undefined,
    accept: async () => undefined,
    release: async () => undefined,
    expiredReservations: async () => [],
    giveBack: async (list) => {
      if (failures.giveBack) throw new Error("redis lost the connection");
      givenBack.push(...list.map((o) => o.orderId));
    },
    releasedAmong: async (list) => {
      if (failures.redis) throw new Error("redis down");
      return new Set(list.filter((o) => released.has(attemptOf(o))));
    },
  };
  const soldCounter: SoldCounter = {
    stockOfRecord: async () => ({ remaining: 0, decidedBefore: false }),
    decided: async () => undefined,
    claim: async (list) => {
      if (failures.soldCounter) throw new Error("catalog shard down");
      const claims = new Map(
        list.map((o) => [o.orderId, decisions.get(o.orderId) ?? { status: "accepted" as const }]),
      );
      const fresh = new Set(list.map((o) => o.orderId).filter((id) => !previouslyDecided.has(id)));
      return { claims, fresh, reattempts: list.filter((o) => reattempted.has(o.orderId)) };
    },
  };
  const cache = new MemoryCache();
  const writer = new OrderWriter(
    orders,
    ledger,
    soldCounter,
    {
      deadLetter: async (raw, reason) => {
        if (failures.deadLetters) throw new Error("kafka down");
        deadLettered.push({ value: raw.value, reason });
      },
    },
    new OrderHistory(orders, cache, { pageSize: 20, cacheSeconds: 60 }),
    {
      persisted: (shardId, inserted, redelivered) =>
        events.push(`persisted ${shardId} ${inserted}+${redelivered}`),
      rejected: (reason: RejectReason) => events.push(`rejected ${reason}`),
      deadLettered: (reason) => events.push(`dead-lettered ${reason}`),
      problem: (message) => events.push(`problem ${message}`),
    },
  );
  const message = (value: string | undefined, offset = 0) => ({
    value,
    partition: 0,
    offset: String(offset),
  });
  const write = (...values: (AcceptedOrder | string)[]) =>
    writer.write(values.map((v, i) => message(typeof v === "string" ? v : encodeOrderMessage(v), i)));
  return {
    reattempted,
    givenBack,
    writer,
    orders,
    released,
    decisions,
    previouslyDecided,
    deadLettered,
    events,
    failures,
    cache,
    write,
  };
}

describe("OrderWriter", () => {
  it("stores each order on its user's shard with the ledger's decision, counting fresh rejections", async () => {
    const t = setUp();
    const [a, b, c] = [order(1, "alice"), order(2, "bob"), order(3, "carol")];
    t.decisions.set(b.orderId, { status: "rejected", reason: "sold_out" });
    t.decisions.set(c.orderId, { status: "rejected", reason: "limit_reached" });
    t.previouslyDecided.add(c.orderId); // decided before: a redelivery, not a new rejection

    assert.deepEqual(await t.write(a, b, c), ["persisted", "persisted", "persisted"]);
    assert.deepEqual(t.orders.rows.get(a.orderId), { ...a, status: "accepted" });
    assert.deepEqual(t.orders.rows.get(b.orderId), { ...b, status: "rejected", rejectReason: "sold_out" });
    assert.equal(t.orders.rows.get(c.orderId)?.rejectReason, "limit_reached");
    assert.deepEqual(t.events.sort(), ["persisted 0 1+0", "persisted 1 2+0", "rejected sold_out"]);
    // Each persisted user's cached first page is invalidated (their version moved).
    assert.deepEqual([...t.cache.values.keys()].sort(), [
      "orders:{alice}:version",
      "orders:{bob}:version",
      "orders:{carol}:version",
    ]);
  });

  it("gives back the second reservation of an order retried after Redis forgot its key", async () => {
    const t = setUp();
    const a = order(1, "alice");
    t.reattempted.add(a.orderId);
    assert.deepEqual(await t.write(a, order(2, "anna")), ["persisted", "persisted"]);
    assert.deepEqual(t.givenBack, [a.orderId]);
  });

  it("stores a retried order even when its second reservation cannot be given back (an undersell, reported)", async () => {
    const t = setUp();
    const a = order(1, "alice");
    t.reattempted.add(a.orderId);
    t.failures.giveBack = true;
    assert.deepEqual(await t.write(a), ["persisted"]);
    assert.deepEqual(t.givenBack, []);
    assert.ok(t.events.includes("problem could not give back a retried order's second reservation"));
    assert.ok(t.orders.rows.has(a.orderId));
  });

  it("asks the ledger of record nothing for a batch without a valid order", async () => {
    const t = setUp();
    t.failures.soldCounter = true; // would park the batch if the writer asked
    assert.deepEqual(await t.write("{not json", ""), ["dead_lettered", "dead_lettered"]);
    assert.equal(t.orders.rows.size, 0);
    assert.ok(!t.events.some((e) => e.startsWith("problem")));
  });

  it("counts orders already stored as redelivered and leaves them as they were", async () => {
    const t = setUp();
    const a = order(1, "alice");
    await t.write(a);
    t.events.length = 0;
    assert.deepEqual(await t.write(a, order(2, "anna")), ["persisted", "persisted"]);
    assert.deepEqual(t.events, ["persisted 0 1+1"]);
  });

  it("dead-letters undecodable messages, released attempts and reused order ids, with the reason", async () => {
    const t = setUp();
    const [released, reused, good] = [order(1), order(2), order(3)];
    t.released.add(attemptOf(released));
    t.decisions.set(reused.orderId, { status: "conflict" });
    const dispositions = await t.write("{not json", released, reused, good);
    assert.deepEqual(dispositions, ["dead_lettered", "dead_lettered", "dead_lettered", "persisted"]);
    assert.deepEqual(
      t.deadLettered.map((d) => d.reason),
      ["not JSON", releasedReason, conflictReason],
    );
    assert.deepEqual([...t.orders.rows.keys()], [good.orderId]);
  });

  it("stores a retry that shares its batch with the released attempt of the same order id", async () => {
    // A publish that timed out may still reach Kafka; the client's retry (same user and key, so
    // the same order id, a later acceptedAt) then lands right behind it, often in one batch.
    const t = setUp();
    const failed = order(1);
    const retry = { ...failed, acceptedAt: "2026-01-02T03:04:07.001Z" };
    t.released.add(attemptOf(failed));

    assert.deepEqual(await t.write(failed, retry), ["dead_lettered", "persisted"]);
    assert.deepEqual(t.orders.rows.get(retry.orderId), { ...retry, status: "accepted" });
    assert.deepEqual(
      t.deadLettered.map((d) => d.reason),
      [releasedReason],
    );
  });

  it("parks every valid order when Redis cannot say which were released, but still dead-letters junk", async () => {
    const t = setUp();
    t.failures.redis = true;
    assert.deepEqual(await t.write(order(1), ""), ["parked", "dead_lettered"]);
    assert.equal(t.orders.rows.size, 0);
    assert.ok(t.events.some((e) => e.startsWith("problem cannot check released")));
  });

  it("parks the batch when the ledger of record is unavailable: nothing is stored undecided", async () => {
    const t = setUp();
    t.failures.soldCounter = true;
    assert.deepEqual(await t.write(order(1), order(2)), ["parked", "parked"]);
    assert.equal(t.orders.rows.size, 0);
    assert.ok(t.events.some((e) => e.startsWith("problem stock ledger unavailable; 2 orders parked")));
  });

  it("parks only the orders of a failing shard, and a message whose dead-letter publish fails", async () => {
    const t = setUp();
    t.orders.failingShards.add(1);
    assert.deepEqual(await t.write(order(1, "alice"), order(2, "bob")), ["persisted", "parked"]);
    assert.deepEqual(
      [...t.orders.rows.values()].map((o) => o.userId),
      ["alice"],
    );

    t.failures.deadLetters = true;
    assert.deepEqual(await t.write("junk"), ["parked"]);
  });

  it("still reports the stored orders when invalidating cached pages fails", async () => {
    const t = setUp();
    t.cache.down = true;
    assert.deepEqual(await t.write(order(1, "alice")), ["persisted"]);
    assert.ok(t.events.includes("problem order-history invalidation failed; first pages expire by TTL"));
  });
});
