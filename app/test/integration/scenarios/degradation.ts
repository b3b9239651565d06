import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it, type TestContext } from "node:test";
import type { ControllableServer } from "../../../../tools/services";
import { call, eventually, type Reply } from "../../support/http";
import type { Context } from "../context";

/** External servers (REDIS_URL, MYSQL_SHARDS, KAFKA_BROKERS) cannot be stopped by a test. */
function skipIfExternal(
  t: TestContext,
  server: ControllableServer | undefined,
  variable: string,
): server is undefined {
  if (server && !server.external) return false;
  t.skip(`needs a server this suite started; ${variable} names an external one that a test must not stop`);
  return true;
}

/**
 * What a client library says (and the addresses it names) belongs in the log, never in a public
 * body: these are the texts ioredis, mysql2 and the Kafka client produce when a server is down.
 */
const clientText =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Stream isn't writeable|enableOfflineQueue|Connection is closed|initProducerId|failed \d+ times|\b\d{1,3}(\.\d{1,3}){3}\b|localhost|:\d{2,5}\b/;

function assertNoClientText(reply: Reply, what: string): void {
  const text = JSON.stringify(reply.body);
  assert.doesNotMatch(text, clientText, `${what} leaks client-library text or an address: ${text}`);
}

const waitReady = (c: Context, timeoutMs = 30_000) =>
  eventually(
    "/readyz ready again",
    async () => {
      const reply = await call(c.apiUrl, "GET", "/readyz");
      return reply.status === 200 ? reply : undefined;
    },
    timeoutMs,
    250,
  );

export function degradationScenarios(ctx: () => Context): void {
  describe("degradation and recovery", () => {
    it("Redis stopped: catalog from L1, orders 503 within the timeout, /readyz reports it; all recovers after restart", async (t) => {
      const c = ctx();
      const redis = c.stack.services.redis;
      if (skipIfExternal(t, redis, "REDIS_URL")) return;
      const sku = await c.seedSku(10);
      const token = await c.token(`redis${randomUUID().slice(0, 8)}`);
      await call(c.apiUrl, "GET", "/v1/catalog/home");
      const warm = await call(c.apiUrl, "GET", "/v1/catalog/home");
      assert.equal(warm.headers["x-cache-tier"], "l1");

      await redis.stop();
      try {
        const home = await call(c.apiUrl, "GET", "/v1/catalog/home");
        assert.equal(home.status, 200);
        assert.equal(home.headers["x-cache-tier"], "l1");
        assert.deepEqual(home.body, warm.body);

        const order = await c.placeOrder(token, sku, `down-${randomUUID()}`);
        assert.equal(order.status, 503);
        assert.equal(order.body.error?.code, "dependency_unavailable");
        assert.match(
          order.body.error?.message ?? "",
          /^redis unavailable: (request failed|timed out|circuit open)$/,
        );
        assertNoClientText(order, "the 503 body");
        // The Redis timeout is 250 ms and its breaker 500 ms: well under a second, never a hang.
        assert.ok(order.ms < 1_000, `the order took ${order.ms.toFixed(0)} ms to fail`);

        const ready = await call(c.apiUrl, "GET", "/readyz");
        assert.equal(ready.status, 503);
        assert.match(ready.body.checks?.redis ?? "", /^redis unavailable: /);
        assert.equal(ready.body.checks?.["mysql-shard-0-writer"], "ok");
        assertNoClientText(ready, "/readyz");
        const workerReady = await call(c.worker.baseUrl, "GET", "/readyz");
        assert.equal(workerReady.status, 503);
        assertNoClientText(workerReady, "the worker's /readyz");
        // The detail is logged instead, for the operator.
        await eventually(
          "the client's own words in the log",
          async () =>
            c.api.lines.find(
              (l) => l.includes('"msg":"readiness check failed"') && l.includes('"check":"redis","err":"'),
            ),
          5_000,
        );
      } finally {
        await redis.start();
      }
      await waitReady(c);
      const placed = await eventually(
        "an order accepted after Redis came back",
        async () => {
          const reply = await c.placeOrder(token, sku, `back-${randomUUID()}`);
          return reply.status === 202 ? reply : undefined;
        },
        10_000,
        250,
      );
      assert.ok(placed.body.orderId);
      await c.waitForStoredOrders(sku, 1);
    });

    it("one MySQL shard stopped: only its users are affected, and their orders are stored once it is back", async (t) => {
      const c = ctx();
      const shard1 = c.stack.services.mysqlShards[1];
      if (skipIfExternal(t, shard1, "MYSQL_SHARDS")) return;
      const sku = await c.seedSku(10);
      const onShard0 = c.userOnShard(0, "s0");
      const onShard1 = c.userOnShard(1, "s1");
      const [token0, token1] = await Promise.all([c.token(onShard0), c.token(onShard1)]);

      await shard1.stop();
      let order1: string | undefined;
      try {
        const list0 = await call(c.apiUrl, "GET", `/v1/users/${onShard0}/orders`, { token: token0 });
        assert.equal(list0.status, 200);
        assert.equal((await call(c.apiUrl, "POST", "/v1/sign-in", { token: token0 })).status, 201);
        const list1 = await call(c.apiUrl, "GET", `/v1/users/${onShard1}/orders`, { token: token1 });
        assert.equal(list1.status, 503);
        assert.match(list1.body.error?.message ?? "", /^mysql-shard-1 unavailable/);
        assertNoClientText(list1, "the 503 body");
        assert.equal((await call(c.apiUrl, "POST", "/v1/sign-in", { token: token1 })).status, 503);
        const ready = await call(c.apiUrl, "GET", "/readyz");
        assert.equal(ready.status, 503);
        assert.notEqual(ready.body.checks?.["mysql-shard-1-writer"], "ok");
        assertNoClientText(ready, "/readyz");
        assert.equal(ready.body.checks?.["mysql-shard-0-writer"], "ok");

        // Orders are accepted for both (the write path needs no database); shard 0's is stored now.
        const placed0 = await c.placeOrder(token0, sku, `s0-${randomUUID()}`);
        const placed1 = await c.placeOrder(token1, sku, `s1-${randomUUID()}`);
        assert.deepEqual([placed0.status, placed1.status], [202, 202]);
        order1 = placed1.body.orderId;
        await eventually(
          "shard 0's order stored while shard 1 is down",
          async () => {
            const rows = await c.storedOrders(sku, [0]);
            return rows.some((r) => r.orderId === placed0.body.orderId) ? rows : undefined;
          },
          20_000,
        );
      } finally {
        await shard1.start();
      }
      const stored = await c.waitForStoredOrders(sku, 2, 60_000);
      assert.ok(stored.some((r) => r.orderId === order1 && r.userId === onShard1));
      const list1 = await eventually(
        "shard 1 user's orders readable again",
        async () => {
          const reply = await call(c.apiUrl, "GET", `/v1/users/${onShard1}/orders`, { token: token1 });
          return reply.status === 200 ? reply : undefined;
        },
        20_000,
        250,
      );
      assert.equal(list1.body.orders?.[0]?.orderId, order1);
      await waitReady(c);
    });

    it("Kafka stopped: the order answers 503, its stock is given back, and the key can be used again", async (t) => {
      const c = ctx();
      const kafka = c.stack.services.kafka;
      if (skipIfExternal(t, kafka, "KAFKA_BROKERS")) return;
      const sku = await c.seedSku(3);
      const token = await c.token(`kafka${randomUUID().slice(0, 8)}`);
      assert.equal((await c.placeOrder(token, sku, `warm-${randomUUID()}`)).status, 202);
      assert.equal(await c.stack.redis.get(`fs:{${sku}}:stock`), "2");
      const key = `kafka-down-${randomUUID()}`;

      await kafka.stop();
      try {
        const failed = await c.placeOrder(token, sku, key);
        assert.equal(failed.status, 503);
        assert.match(failed.body.error?.message ?? "", /^kafka unavailable/);
        assert.equal(failed.body.error?.dependency, "kafka");
        assertNoClientText(failed, "the 503 body");
        const ready = await call(c.apiUrl, "GET", "/readyz");
        assert.equal(ready.status, 503);
        assert.match(ready.body.checks?.kafka ?? "", /^kafka unavailable: /);
        assertNoClientText(ready, "/readyz");
        assert.ok(failed.ms < 5_000, `the order took ${failed.ms.toFixed(0)} ms to fail`);
        assert.equal(await c.stack.redis.get(`fs:{${sku}}:stock`), "2", "the reservation was not given back");
      } finally {
        await kafka.start();
      }
      const retried = await eventually(
        "the same key accepted once Kafka is back",
        async () => {
          const reply = await c.placeOrder(token, sku, key);
          return reply.status === 202 ? reply : undefined;
        },
        60_000,
        500,
      );
      assert.equal(retried.body.replayed, false);
      assert.equal(await c.stack.redis.get(`fs:{${sku}}:stock`), "1");
      await c.waitForStoredOrders(sku, 2, 60_000);
    });
  });
}
