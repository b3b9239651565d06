import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import type { RowDataPacket } from "mysql2/promise";
import { DependencyGuard } from "../../../src/adapters/dependencyGuard";
import { refuseFoldingCollations } from "../../../src/adapters/mysql/schema";
import { RedisStockLedger } from "../../../src/adapters/redis/stockLedger";
import type { AcceptedOrder } from "../../../src/domain/model";
import { orderIdFor } from "../../../src/domain/placeOrder";
import { Metrics } from "../../../src/observability/metrics";
import { call, connectionPool, eventually, type Reply } from "../../support/http";
import { type Context, metricValue } from "../context";

/** An order of one unit by a new user with a new key, as the API would have built it just now. */
function oneUnitOrder(sku: string, prefix: string): AcceptedOrder {
  const userId = `${prefix}${randomUUID().slice(0, 8)}`;
  const idempotencyKey = `${prefix}-${randomUUID()}`;
  return {
    orderId: orderIdFor(userId, idempotencyKey),
    userId,
    sku,
    quantity: 1,
    unitPriceCents: 1_000,
    idempotencyKey,
    acceptedAt: new Date().toISOString(),
  };
}

const statusCounts = (replies: readonly Reply[]) => {
  const counts: Record<string, number> = {};
  for (const r of replies) {
    const key = r.status === 202 ? "202" : `${r.status} ${r.body.error?.code}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
};

export async function soldOfRecord(c: Context, sku: string): Promise<number> {
  const [rows] = await (c.stack.shards[0] as NonNullable<Context["stack"]["shards"][0]>).query<
    RowDataPacket[]
  >("SELECT sold FROM sku_sales WHERE sku = ?", [sku]);
  return Number(rows[0]?.sold ?? 0);
}

export function stockScenarios(ctx: () => Context): void {
  describe("stock of record, per-user limit and recovery", () => {
    it("one user with 20 concurrent keys gets exactly the SKU's per-user limit; the rest answer limit_reached", async () => {
      const c = ctx();
      // A token bucket far above the burst, so only the per-user limit can refuse.
      const api = await c.startApi({ rateLimit: { burst: 1_000, refillPerSecond: 1_000 } });
      try {
        const sku = await c.seedSku(100, { perUserLimit: 3 });
        const user = `limit${randomUUID().slice(0, 8)}`;
        const token = await c.token(user);
        const agent = connectionPool(20);
        const replies = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            call(api.baseUrl, "POST", `/v1/flash-sales/${sku}/orders`, {
              agent,
              token,
              body: { quantity: 1 },
              headers: { "idempotency-key": `limit-${i}-${randomUUID()}` },
            }),
          ),
        );
        agent.destroy();
        assert.deepEqual(statusCounts(replies), { "202": 3, "409 limit_reached": 17 });
        assert.equal(await c.stack.redis.get(`fs:{${sku}}:stock`), "97");
        // A different buyer is not held back by the first one's limit.
        const other = await c.placeOrder(
          await c.token(`other${randomUUID().slice(0, 8)}`),
          sku,
          `o-${randomUUID()}`,
          {
            quantity: 3,
          },
          api.baseUrl,
        );
        assert.equal(other.status, 202);

        const stored = await c.waitForStoredOrders(sku, 4);
        assert.deepEqual(
          stored.filter((o) => o.userId === user).map((o) => o.status),
          ["accepted", "accepted", "accepted"],
        );
        assert.equal(await soldOfRecord(c, sku), 6);
      } finally {
        await api.stop();
      }
    });

    it("Redis restarted empty: stock restarts from what MySQL says remains, retried keys get their orders back, nothing oversold", async () => {
      const c = ctx();
      const sku = await c.seedSku(10);
      const buyers = await Promise.all(
        Array.from({ length: 6 }, async (_, i) => {
          const userId = `loss${i}x${randomUUID().slice(0, 6)}`;
          return { userId, token: await c.token(userId), key: `before-${randomUUID()}` };
        }),
      );
      const before = await Promise.all(buyers.map((b) => c.placeOrder(b.token, sku, b.key)));
      assert.ok(before.every((r) => r.status === 202));
      await c.waitForStoredOrders(sku, 6);
      assert.equal(await soldOfRecord(c, sku), 6);

      await c.stack.redis.flushall(); // what a failover to an empty replica leaves

      // A retry while stock remains: the same order, which the worker counts once.
      const [first, second] = buyers as [(typeof buyers)[0], (typeof buyers)[0]];
      const retried = await c.placeOrder(first.token, sku, first.key);
      assert.equal(retried.status, 202, JSON.stringify(retried.body));
      assert.equal(retried.body.orderId, before[0]?.body.orderId);
      assert.equal(retried.body.orderId, orderIdFor(first.userId, first.key));
      // Stock restarted from 10 − 6 sold; the retry's second reservation is given back by the worker.
      await eventually(
        "the retried order's second reservation given back",
        async () => ((await c.stack.redis.get(`fs:{${sku}}:stock`)) === "4" ? true : undefined),
        20_000,
      );

      const newcomers = await Promise.all(
        Array.from({ length: 10 }, async (_, i) =>
          c.placeOrder(await c.token(`new${i}x${randomUUID().slice(0, 6)}`), sku, `after-${randomUUID()}`),
        ),
      );
      assert.deepEqual(statusCounts(newcomers), { "202": 4, "409 sold_out": 6 });

      // A retry once Redis says sold out: MySQL still knows the key's order.
      const late = await c.placeOrder(second.token, sku, second.key);
      assert.equal(late.status, 202, JSON.stringify(late.body));
      assert.equal(late.body.orderId, before[1]?.body.orderId);
      assert.equal(late.body.replayed, true);

      const stored = await c.waitForStoredOrders(sku, 10);
      await new Promise((resolve) => setTimeout(resolve, 500)); // a late duplicate would show up by now
      const final = await c.storedOrders(sku);
      assert.equal(final.length, 10, `stored ${final.length} orders`);
      assert.ok(final.every((o) => o.status === "accepted"));
      assert.equal(
        new Set(final.map((o) => `${o.userId}/${o.idempotencyKey}`)).size,
        10,
        "a key made two orders",
      );
      assert.equal(
        stored.reduce((units, o) => units + o.quantity, 0),
        10,
      );
      assert.equal(await soldOfRecord(c, sku), 10, "oversold");
      assert.equal(await c.stack.redis.get(`fs:{${sku}}:stock`), "0");
    });

    it("MySQL refuses a second order for one user and idempotency key, whatever Redis remembers", async () => {
      const c = ctx();
      const sku = await c.seedSku(5);
      const user = c.userOnShard(1, "uniq");
      const key = `uniq-${randomUUID()}`;
      const placed = await c.placeOrder(await c.token(user), sku, key);
      assert.equal(placed.status, 202);
      await c.waitForStoredOrders(sku, 1);
      await assert.rejects(
        (c.stack.shards[1] as NonNullable<Context["stack"]["shards"][1]>).query(
          "INSERT INTO orders (order_id, user_id, sku, quantity, unit_price_cents, idempotency_key, accepted_at) VALUES (?, ?, ?, 1, 1, ?, NOW(3))",
          [randomUUID(), user, sku, key],
        ),
        (error: { code?: string }) => error.code === "ER_DUP_ENTRY",
      );
    });

    it("compares SKUs and idempotency keys exactly: another case is another SKU (404) or another order", async () => {
      const c = ctx();
      const sku = await c.seedSku(5);
      const token = await c.token(`case${randomUUID().slice(0, 8)}`);
      const shouted = await c.placeOrder(token, sku.toUpperCase(), `case-${randomUUID()}`);
      assert.equal(shouted.status, 404, JSON.stringify(shouted.body));
      const key = `case-${randomUUID()}`;
      const lower = await c.placeOrder(token, sku, key);
      const upper = await c.placeOrder(token, sku, key.toUpperCase());
      assert.deepEqual([lower.status, upper.status], [202, 202]);
      assert.notEqual(lower.body.orderId, upper.body.orderId);
      const stored = await c.waitForStoredOrders(sku, 2);
      assert.deepEqual(stored.map((r) => r.orderId).sort(), [lower.body.orderId, upper.body.orderId].sort());
      assert.equal(await soldOfRecord(c, sku), 2);
    });

    it("the schema step refuses tables that still compare case-insensitively, naming them and the fix", async () => {
      const shard = ctx().stack.shards[0] as NonNullable<Context["stack"]["shards"][0]>;
      // A table as a deployment from before the binary collation would have it (the suite's tests
      // run one at a time, and the worker checked its schema at start, so none trips over it).
      const table = `legacy_${randomUUID().slice(0, 8)}`;
      await shard.query(
        `CREATE TABLE ${table} (sku VARCHAR(64) COLLATE utf8mb4_general_ci NOT NULL PRIMARY KEY, sold BIGINT) DEFAULT CHARSET=utf8mb4`,
      );
      try {
        await assert.rejects(refuseFoldingCollations({ id: 0, writer: shard }), {
          message: `shard 0: columns ${table}.sku (utf8mb4_general_ci) compare case-insensitively; allowed: utf8mb4_bin. Convert them first: ALTER TABLE ${table} CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
        });
        await shard.query(`ALTER TABLE ${table} CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
        await refuseFoldingCollations({ id: 0, writer: shard });
      } finally {
        await shard.query(`DROP TABLE ${table}`);
      }
    });

    it("a reservation left by a dead API process is settled within seconds: the key gets its order, no stock is stranded", async () => {
      const c = ctx();
      const sku = await c.seedSku(5);
      const order = oneUnitOrder(sku, "orphan");
      const { userId: user, idempotencyKey: key } = order;
      // Exactly what an API process leaves when it dies between reserving and publishing: the
      // adapter's own reservation, with a 1 s lease, and nothing in Kafka.
      const guard = new DependencyGuard("redis", { timeoutMs: 2_000 }, new Metrics());
      const ledger = new RedisStockLedger(c.stack.redis, guard, {
        idempotencySeconds: 3_600,
        leaseSeconds: 1,
      });
      await ledger.initStock(sku, 5, false);
      const fingerprint = "not-the-api-fingerprint"; // a retry with another body must not take it over
      assert.deepEqual(await ledger.reserve({ order, fingerprint, perUserLimit: 5 }), { kind: "reserved" });
      guard.shutdown();

      const resolvedBefore = await metricValue(c.worker.baseUrl, "crest_reservations_resolved_total");
      const started = Date.now();
      const stored = await c.waitForStoredOrders(sku, 1, 30_000);
      const seconds = (Date.now() - started) / 1000;
      assert.deepEqual(
        stored.map((o) => [o.orderId, o.userId]),
        [[order.orderId, user]],
      );
      assert.equal(await c.stack.redis.hget(`fs:{${sku}}:idem:${user}:${key}`, "state"), "accepted");
      assert.equal(await c.stack.redis.zcard(`fs:{${sku}}:leases`), 0, "a lease is still open");
      assert.equal(
        await c.stack.redis.get(`fs:{${sku}}:stock`),
        "4",
        "the stock is held or given back twice",
      );
      assert.ok(
        (await metricValue(c.worker.baseUrl, "crest_reservations_resolved_total")) > resolvedBefore,
        "the sweeper did not count it",
      );
      assert.ok(seconds < 25, `settled after ${seconds.toFixed(1)} s`);
    });

    it("settling an earlier attempt of a key leaves the retry that reserved after it alone", async () => {
      const c = ctx();
      const sku = await c.seedSku(5);
      const first = oneUnitOrder(sku, "retry");
      const { userId: user, idempotencyKey: key } = first;
      const retry = { ...first, acceptedAt: new Date(Date.now() + 1_000).toISOString() };
      const guard = new DependencyGuard("redis", { timeoutMs: 2_000 }, new Metrics());
      const ledger = new RedisStockLedger(c.stack.redis, guard, {
        idempotencySeconds: 3_600,
        leaseSeconds: 60,
      });
      const record = `fs:{${sku}}:idem:${user}:${key}`;
      try {
        await ledger.initStock(sku, 5, false);
        const reservation = (order: AcceptedOrder) => ({ order, fingerprint: "f", perUserLimit: 5 });
        assert.deepEqual(await ledger.reserve(reservation(first)), { kind: "reserved" });
        await ledger.release(first); // its publish failed
        assert.deepEqual(await ledger.reserve(reservation(retry)), { kind: "reserved" });

        // A sweeper or a second release still holding the first attempt: both must be no-ops.
        await ledger.accept(first);
        await ledger.release(first);
        assert.equal(
          await c.stack.redis.hget(record, "state"),
          "reserved",
          "the retry was settled by its predecessor",
        );
        assert.equal(await c.stack.redis.get(`fs:{${sku}}:stock`), "4", "the retry's unit was given back");

        await ledger.accept(retry);
        assert.equal(await c.stack.redis.hget(record, "state"), "accepted");
        assert.equal(await c.stack.redis.zcard(`fs:{${sku}}:leases`), 0, "a lease is still open");
        assert.deepEqual(
          [...(await ledger.releasedAmong([first, retry]))].map((o) => o.acceptedAt),
          [first.acceptedAt],
        );
      } finally {
        guard.shutdown();
      }
    });

    it("an accepted order over the stock of record is stored as rejected (sold_out), shown in the history and counted", async () => {
      const c = ctx();
      const sku = await c.seedSku(2);
      // Redis believes in more stock than there is (a failover to a replica that missed writes).
      await c.stack.redis.set(`fs:{${sku}}:stock`, "5");
      const buyers = await Promise.all(
        Array.from({ length: 3 }, async (_, i) => {
          const userId = c.userOnShard(i % 2, "over");
          return { userId, token: await c.token(userId) };
        }),
      );
      const rejectedBefore = await metricValue(c.worker.baseUrl, "crest_orders_rejected_total", {
        reason: "sold_out",
      });
      for (const b of buyers)
        assert.equal((await c.placeOrder(b.token, sku, `over-${randomUUID()}`)).status, 202);
      const stored = await c.waitForStoredOrders(sku, 3);
      assert.deepEqual(stored.map((o) => o.status).sort(), ["accepted", "accepted", "rejected"]);
      assert.equal(await soldOfRecord(c, sku), 2);

      const loser = stored.find((o) => o.status === "rejected");
      const buyer = buyers.find((b) => b.userId === loser?.userId);
      assert.ok(buyer);
      const history = await eventually(
        "the rejected order in the buyer's history",
        async () => {
          const reply = await call(c.apiUrl, "GET", `/v1/users/${buyer.userId}/orders`, {
            token: buyer.token,
          });
          return reply.body.orders?.[0]?.orderId === loser?.orderId ? reply : undefined;
        },
        10_000,
      );
      assert.equal(history.body.orders?.[0]?.status, "rejected");
      assert.equal(history.body.orders?.[0]?.rejectReason, "sold_out");
      assert.equal(
        (await metricValue(c.worker.baseUrl, "crest_orders_rejected_total", { reason: "sold_out" })) -
          rejectedBefore,
        1,
      );
    });
  });
}
