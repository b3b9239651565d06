import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { call, connectionPool, type Reply } from "../../support/http";
import type { Context } from "../context";

export function flashSaleScenarios(ctx: () => Context): void {
  describe("flash-sale orders", () => {
    it("2,000 concurrent attempts for 100 units: exactly 100 orders stored, none twice, stock never below zero", async (t) => {
      const c = ctx();
      const sku = await c.seedSku(100);
      const users = Array.from({ length: 2_000 }, (_, i) => `flash${i}x${randomUUID().slice(0, 6)}`);
      const tokens = await Promise.all(users.map((u) => c.token(u)));
      // Watch the stock key while the sale runs: it must never go negative.
      let lowest = Number.POSITIVE_INFINITY;
      let watching = true;
      const watcher = (async () => {
        while (watching) {
          const value = await c.stack.redis.get(`fs:{${sku}}:stock`);
          if (value !== null) lowest = Math.min(lowest, Number(value));
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      })();

      const agent = connectionPool(64);
      const started = performance.now();
      const replies: Reply[] = await Promise.all(
        users.map((_, i) =>
          call(c.apiUrl, "POST", `/v1/flash-sales/${sku}/orders`, {
            agent,
            token: tokens[i],
            body: { quantity: 1 },
            headers: { "idempotency-key": `attempt-${i}-${sku}` },
            timeoutMs: 60_000,
          }),
        ),
      );
      const seconds = (performance.now() - started) / 1000;
      watching = false;
      await watcher;
      agent.destroy();

      const statuses = new Map<number, number>();
      for (const r of replies) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      assert.deepEqual(Object.fromEntries(statuses), { 202: 100, 409: 1_900 });
      assert.ok(replies.filter((r) => r.status === 409).every((r) => r.body.error?.code === "sold_out"));
      const accepted = new Set(replies.filter((r) => r.status === 202).map((r) => r.body.orderId));
      assert.equal(accepted.size, 100);

      const stored = await c.waitForStoredOrders(sku, 100);
      await new Promise((resolve) => setTimeout(resolve, 500)); // a late duplicate would show up by now
      const final = await c.storedOrders(sku);
      assert.equal(final.length, 100, `stored ${final.length} orders`);
      assert.equal(new Set(final.map((o) => o.orderId)).size, 100, "an order was stored twice");
      assert.equal(new Set(final.map((o) => o.userId)).size, 100, "a user got two orders");
      assert.deepEqual(
        new Set(stored.map((o) => o.orderId)),
        accepted,
        "stored orders differ from the accepted ones",
      );
      assert.equal(await c.stack.redis.get(`fs:{${sku}}:stock`), "0");
      assert.ok(lowest >= 0, `stock went down to ${lowest}`);
      t.diagnostic(`2,000 attempts over 64 connections answered in ${seconds.toFixed(2)} s`);
    });

    it("a retry with the same idempotency key returns the same order and reserves nothing more", async () => {
      const c = ctx();
      const sku = await c.seedSku(10);
      const user = `idem${randomUUID().slice(0, 8)}`;
      const token = await c.token(user);
      const key = `retry-${randomUUID()}`;
      const first = await c.placeOrder(token, sku, key, { quantity: 2 });
      assert.equal(first.status, 202);
      assert.equal(first.body.replayed, false);
      const again = await c.placeOrder(token, sku, key, { quantity: 2 });
      assert.equal(again.status, 202);
      assert.equal(again.body.orderId, first.body.orderId);
      assert.equal(again.body.replayed, true);
      assert.equal(await c.stack.redis.get(`fs:{${sku}}:stock`), "8", "the retry reserved stock again");

      const reused = await c.placeOrder(token, sku, key, { quantity: 1 });
      assert.equal(reused.status, 409);
      assert.equal(reused.body.error?.code, "idempotency_key_reused");

      const stored = await c.waitForStoredOrders(sku, 1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(
        (await c.storedOrders(sku)).map((o) => [o.orderId, o.quantity]),
        [[first.body.orderId, 2]],
      );
      assert.equal(stored.length, 1);
    });

    it("concurrent requests with one idempotency key make one order: the others get it back or 'in progress'", async () => {
      const c = ctx();
      const sku = await c.seedSku(10);
      const token = await c.token(`race${randomUUID().slice(0, 8)}`);
      const key = `race-${randomUUID()}`;
      const replies = await Promise.all(Array.from({ length: 5 }, () => c.placeOrder(token, sku, key)));
      const orderIds = new Set(replies.filter((r) => r.status === 202).map((r) => r.body.orderId));
      assert.equal(orderIds.size, 1);
      for (const r of replies.filter((r) => r.status !== 202)) {
        assert.equal(r.status, 409);
        assert.equal(r.body.error?.code, "request_in_progress");
      }
      assert.equal(await c.stack.redis.get(`fs:{${sku}}:stock`), "9");
    });
  });
}
