import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { smokeProbe } from "../../../src/domain/smokeProbe";
import { call, eventually, type Reply } from "../../support/http";
import type { Context } from "../context";

function assertError(reply: Reply, status: number, code: string, field?: string): void {
  assert.equal(reply.status, status, JSON.stringify(reply.body));
  assert.equal(reply.body.error?.code, code);
  if (field) {
    assert.equal(reply.body.error?.field, field);
    assert.ok(reply.body.error?.message.startsWith(`${field}: `), reply.body.error?.message);
  }
}

export function inputScenarios(ctx: () => Context): void {
  describe("input validation and error mapping", () => {
    it("answers each class of bad input with its status and a message naming the field", async () => {
      const c = ctx();
      const sku = await c.seedSku(1);
      const token = await c.token(`bad${randomUUID().slice(0, 8)}`);
      const order = (
        body: unknown,
        headers: Record<string, string> = { "idempotency-key": `k-${randomUUID()}` },
        path = `/v1/flash-sales/${sku}/orders`,
      ) => call(c.apiUrl, "POST", path, { token, body, headers });

      const zero = await order({ quantity: 0 });
      assertError(zero, 400, "invalid_input", "body.quantity");
      assert.match(zero.body.error?.message ?? "", /an integer from 1 to 5 \(got 0\)/);
      assertError(await order({ quantity: "two" }), 400, "invalid_input", "body.quantity");
      assertError(await order({ quantity: 1, coupon: "FREE" }), 400, "invalid_input", "body");
      assertError(await order("{not json"), 400, "invalid_input", "body");
      const nullBody = await order("null");
      assertError(nullBody, 400, "invalid_input", "body");
      assert.equal(nullBody.body.error?.message, "body: a JSON object required (got null)");
      const badEscape = await order({}, undefined, "/v1/flash-sales/%E0%A4%A/orders");
      assertError(badEscape, 400, "invalid_input", "params");
      assert.equal(
        badEscape.body.error?.message,
        "params: Failed to decode param '%E0%A4%A'; allowed: percent-encoded UTF-8",
      );
      const noKey = await order({ quantity: 1 }, {});
      assertError(noKey, 400, "invalid_input", "headers.idempotency-key");
      assertError(
        await order({ quantity: 1 }, { "idempotency-key": "short" }),
        400,
        "invalid_input",
        "headers.idempotency-key",
      );
      assertError(
        await order({}, undefined, "/v1/flash-sales/bad%20sku!/orders"),
        400,
        "invalid_input",
        "params.sku",
      );
      assertError(await order({ quantity: 1, pad: "x".repeat(20_000) }), 413, "body_too_large", "body");
      assertError(
        await order({}, undefined, `/v1/flash-sales/no-such-sku-${randomUUID().slice(0, 6)}/orders`),
        404,
        "not_found",
      );

      assertError(
        await call(c.apiUrl, "POST", `/v1/flash-sales/${sku}/orders`, { body: {} }),
        401,
        "unauthorized",
      );
      assertError(await call(c.apiUrl, "POST", "/v1/sign-in", { token: `${token}x` }), 401, "unauthorized");
      assertError(await call(c.apiUrl, "GET", "/v1/users/someone-else/orders", { token }), 403, "forbidden");
      assertError(
        await call(c.apiUrl, "GET", "/v1/users/a$b/orders", { token }),
        400,
        "invalid_input",
        "params.id",
      );
      assertError(
        await call(c.apiUrl, "GET", `/v1/users/x/orders?cursor=nonsense`, { token: await c.token("x") }),
        400,
        "invalid_input",
        "query.cursor",
      );
      assertError(
        await call(c.apiUrl, "GET", `/v1/users/x/orders?page=2`, { token: await c.token("x") }),
        400,
        "invalid_input",
        "query",
      );
      assertError(
        await call(c.apiUrl, "POST", "/v1/session", { body: {} }),
        400,
        "invalid_input",
        "body.code",
      );
      assertError(await call(c.apiUrl, "GET", "/v1/no-such-route"), 404, "not_found");

      // The one unit sells, then the next buyer hears it is gone.
      assert.equal((await order({ quantity: 1 })).status, 202);
      const other = await c.token(`bad${randomUUID().slice(0, 8)}`);
      assertError(
        await call(c.apiUrl, "POST", `/v1/flash-sales/${sku}/orders`, {
          token: other,
          body: {},
          headers: { "idempotency-key": `k-${randomUUID()}` },
        }),
        409,
        "sold_out",
      );
    });

    it("refuses a body nested beyond the depth limit with 400 naming the body, on every JSON route", async () => {
      const c = ctx();
      const sku = await c.seedSku(5);
      const token = await c.token(`deep${randomUUID().slice(0, 8)}`);
      const deep = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
      const replies = [
        await call(c.apiUrl, "POST", `/v1/flash-sales/${sku}/orders`, {
          token,
          body: `{"quantity":${deep(5_000)}}`,
          headers: { "idempotency-key": `deep-${randomUUID()}` },
        }),
        await call(c.apiUrl, "POST", "/v1/session", { body: deep(5_000) }),
        await call(c.apiUrl, "POST", "/v1/sign-in", { token, body: `{"a":${deep(40)}}` }),
      ];
      for (const reply of replies) {
        assertError(reply, 400, "invalid_input", "body");
        assert.match(reply.body.error?.message ?? "", /nested deeper than 32 levels/);
      }
      // Nesting within the limit still reaches the schema, which names the field.
      assertError(
        await call(c.apiUrl, "POST", "/v1/session", { body: `{"code":${deep(10)}}` }),
        400,
        "invalid_input",
        "body.code",
      );
    });

    it("answers 415 to a body that is not JSON, and 405 with Allow to a known path asked with another method", async () => {
      const c = ctx();
      const sku = await c.seedSku(5);
      const token = await c.token(`type${randomUUID().slice(0, 8)}`);
      for (const type of ["text/plain", "application/x-www-form-urlencoded"]) {
        const reply = await call(c.apiUrl, "POST", `/v1/flash-sales/${sku}/orders`, {
          token,
          body: "quantity=2",
          headers: { "content-type": type, "idempotency-key": `type-${randomUUID()}` },
        });
        assertError(reply, 415, "unsupported_media_type", "headers.content-type");
        assert.match(
          reply.body.error?.message ?? "",
          new RegExp(`application/json required \\(got "${type}"\\)`),
        );
      }
      assert.equal(await c.stack.redis.get(`fs:{${sku}}:stock`), null, "a refused body reserved stock");
      // No body at all is fine where none is needed.
      assert.equal((await call(c.apiUrl, "POST", "/v1/sign-in", { token })).status, 201);

      const home = await call(c.apiUrl, "DELETE", "/v1/catalog/home");
      assertError(home, 405, "method_not_allowed");
      assert.equal(home.headers.allow, "GET, HEAD");
      const orders = await call(c.apiUrl, "GET", `/v1/flash-sales/${sku}/orders`, { token });
      assertError(orders, 405, "method_not_allowed");
      assert.equal(orders.headers.allow, "POST");
      const probe = await call(c.worker.baseUrl, "POST", "/readyz");
      assertError(probe, 405, "method_not_allowed");
      assert.equal(probe.headers.allow, "GET, HEAD");
      assertError(await call(c.worker.baseUrl, "GET", "/nothing-here"), 404, "not_found");
    });

    it("sells an unlisted SKU, the smoke probe's above all, to the smoke user only", async () => {
      const c = ctx();
      const token = await c.token(`pub${randomUUID().slice(0, 8)}`);
      const hidden = await c.seedSku(5, { listed: false });
      for (const sku of [smokeProbe.sku, hidden]) {
        const reply = await c.placeOrder(token, sku, `hidden-${randomUUID()}`);
        assertError(reply, 404, "not_found");
      }
      assert.equal(await c.stack.redis.get(`fs:{${hidden}}:stock`), null, "a refused order reserved stock");
      const smoke = await c.placeOrder(
        await c.token(smokeProbe.userId),
        smokeProbe.sku,
        `smoke-${randomUUID()}`,
      );
      assert.equal(smoke.status, 202, JSON.stringify(smoke.body));
    });

    it("rate-limits a user with a token bucket: 429 with Retry-After once the burst is spent", async () => {
      const c = ctx();
      const sku = await c.seedSku(100);
      const token = await c.token(`rl${randomUUID().slice(0, 8)}`);
      const replies: Reply[] = [];
      for (let i = 0; i < 7; i++) replies.push(await c.placeOrder(token, sku, `rl-${i}-${randomUUID()}`));
      assert.deepEqual(
        replies.map((r) => r.status),
        [202, 202, 202, 202, 202, 429, 429],
      );
      const limited = replies[5] as Reply;
      assertError(limited, 429, "rate_limited");
      assert.ok(
        Number(limited.headers["retry-after"]) >= 1,
        `Retry-After: ${limited.headers["retry-after"]}`,
      );
    });
  });

  describe("session, sign-in, catalog and order history", () => {
    it("exchanges a mini-program code through WeChat for a session token that the API accepts", async () => {
      const c = ctx();
      const openId = `o${randomUUID().replaceAll("-", "").slice(0, 27)}`;
      const session = await call(c.apiUrl, "POST", "/v1/session", { body: { code: `ok-${openId}` } });
      assert.equal(session.status, 201);
      assert.equal(session.body.userId, openId);
      const lastCall = c.wechat.calls.at(-1);
      assert.equal(lastCall?.searchParams.get("appid"), "wx-test-app");
      assert.equal(lastCall?.searchParams.get("js_code"), `ok-${openId}`);
      const signIn = await call(c.apiUrl, "POST", "/v1/sign-in", { token: session.body.token });
      assert.equal(signIn.status, 201);

      assertError(
        await call(c.apiUrl, "POST", "/v1/session", { body: { code: "forged" } }),
        401,
        "unauthorized",
      );
      assertError(
        await call(c.apiUrl, "POST", "/v1/session", { body: { code: "used" } }),
        401,
        "unauthorized",
      );
      assertError(
        await call(c.apiUrl, "POST", "/v1/session", { body: { code: "busy" } }),
        503,
        "dependency_unavailable",
      );
    });

    it("grants daily sign-in points exactly once per user and day under concurrency", async () => {
      const c = ctx();
      const token = await c.token(`sign${randomUUID().slice(0, 8)}`);
      const replies = await Promise.all(
        Array.from({ length: 20 }, () => call(c.apiUrl, "POST", "/v1/sign-in", { token })),
      );
      const granted = replies.filter((r) => r.body.granted === true);
      assert.equal(granted.length, 1);
      assert.equal(granted[0]?.status, 201);
      assert.ok(replies.filter((r) => r.body.granted === false).every((r) => r.status === 200));
      assert.ok(
        replies.every((r) => r.body.totalPoints === 10),
        replies.map((r) => r.body.totalPoints).join(","),
      );
    });

    it("serves the catalog home through L1 and Redis, and caches unknown SKUs as not found", async () => {
      const c = ctx();
      const sku = await c.seedSku(5, { listed: true });
      const api = await c.startApi(); // a fresh process: its L1 is empty
      try {
        const first = await call(api.baseUrl, "GET", "/v1/catalog/home");
        assert.equal(first.status, 200);
        assert.ok(first.body.items?.some((i) => i.sku === sku));
        assert.ok(["origin", "redis"].includes(String(first.headers["x-cache-tier"])));
        assert.equal((await call(api.baseUrl, "GET", "/v1/catalog/home")).headers["x-cache-tier"], "l1");

        const token = await c.token(`neg${randomUUID().slice(0, 8)}`);
        const ghost = `ghost-${randomUUID().slice(0, 8)}`;
        assert.equal((await c.placeOrder(token, ghost, `g-${randomUUID()}`, {}, api.baseUrl)).status, 404);
        const marker = await c.stack.redis.get(`catalog:item:${ghost}`);
        assert.deepEqual(JSON.parse(marker ?? "null"), { found: false });
        const ttl = await c.stack.redis.ttl(`catalog:item:${ghost}`);
        assert.ok(ttl > 0 && ttl <= 17, `negative-cache TTL ${ttl}`);
      } finally {
        await api.stop();
      }
    });

    it("pages a user's orders newest first; the cached first page is replaced once the worker stores a new order", async () => {
      const c = ctx();
      const user = `page${randomUUID().slice(0, 8)}`;
      const token = await c.token(user);
      const shard = c.stack.shards[c.ring.shardFor(user)];
      const rows = Array.from({ length: 23 }, (_, i) => [
        randomUUID(),
        user,
        "seeded",
        1,
        100,
        `seed-${i}`,
        new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString().replace("T", " ").replace("Z", ""),
      ]);
      await shard?.query(
        "INSERT INTO orders (order_id, user_id, sku, quantity, unit_price_cents, idempotency_key, accepted_at) VALUES ?",
        [rows],
      );
      const first = await call(c.apiUrl, "GET", `/v1/users/${user}/orders`, { token });
      assert.equal(first.status, 200);
      assert.equal(first.headers["x-cache-tier"], "writer");
      assert.equal(first.body.orders?.length, 20);
      assert.equal(first.body.orders?.[0]?.acceptedAt, "2026-01-01T00:00:22.000Z");
      const cached = await call(c.apiUrl, "GET", `/v1/users/${user}/orders`, { token });
      assert.equal(cached.headers["x-cache-tier"], "redis");
      const second = await call(c.apiUrl, "GET", `/v1/users/${user}/orders?cursor=${first.body.nextCursor}`, {
        token,
      });
      assert.equal(second.headers["x-cache-tier"], "reader");
      assert.deepEqual(
        second.body.orders?.map((o) => o.acceptedAt),
        ["2026-01-01T00:00:02.000Z", "2026-01-01T00:00:01.000Z", "2026-01-01T00:00:00.000Z"],
      );
      assert.equal(second.body.nextCursor, undefined);

      const sku = await c.seedSku(1);
      const placed = await c.placeOrder(token, sku, `p-${randomUUID()}`);
      const fresh = await eventually(
        "the new order on the first page",
        async () => {
          const reply = await call(c.apiUrl, "GET", `/v1/users/${user}/orders`, { token });
          return reply.body.orders?.[0]?.orderId === placed.body.orderId ? reply : undefined;
        },
        20_000,
      );
      assert.equal(fresh.headers["x-cache-tier"], "writer");
      assert.equal(fresh.body.orders?.length, 20);
    });
  });
}
