import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { describe, it } from "node:test";
import { runApp } from "../../support/appProcess";
import { call, connectionPool, eventually } from "../../support/http";
import { type Context, metricValue } from "../context";

function runSmoke(c: Context) {
  const smoke = runApp("smoke", {
    ...c.env(c.api.port),
    CREST_SMOKE_BASE_URL: c.apiUrl,
    CREST_SMOKE_TIMEOUT_MS: "30000",
  });
  return smoke.exited.then((exit) => ({ ...exit, output: smoke.lines.join("\n") }));
}

export function operationScenarios(ctx: () => Context): void {
  describe("operations", () => {
    it("the smoke command passes against the running app and prints what it checked", async () => {
      const result = await runSmoke(ctx());
      assert.equal(result.code, 0, result.output);
      for (const line of [
        "ok   readiness",
        "ok     redis: ok",
        "ok     kafka: ok",
        "ok   place order: 202",
        "ok   order persisted",
        "smoke test passed",
      ]) {
        assert.ok(result.output.includes(line), `missing "${line}" in:\n${result.output}`);
      }
    });

    it("the smoke command fails clearly, with a non-zero exit, when a dependency is down", async (t) => {
      const c = ctx();
      const redis = c.stack.services.redis;
      if (!redis || redis.external)
        return t.skip("needs a Redis this suite started (REDIS_URL names an external one)");
      await redis.stop();
      let result: Awaited<ReturnType<typeof runSmoke>>;
      try {
        result = await runSmoke(c);
      } finally {
        await redis.start();
      }
      assert.equal(result.code, 1, result.output);
      assert.match(result.output, /FAIL {3}redis: redis unavailable/);
      assert.match(result.output, /FAIL readiness: \/readyz answered 503/);
      assert.match(result.output, /smoke test FAILED/);
      assert.doesNotMatch(result.output, /place order/, "the smoke test went on after readiness failed");
      await eventually(
        "ready again",
        async () => ((await call(c.apiUrl, "GET", "/readyz")).status === 200 ? true : undefined),
        30_000,
        250,
      );
    });

    it("a bad RuntimeConfig stops the boot with exit 78 and a message naming the field", async () => {
      const c = ctx();
      const env = c.env(c.api.port);
      const config = JSON.parse(env.CREST_RUNTIME_CONFIG_JSON ?? "{}");
      config.kafka.topics.orders = "";
      config.service.timeouts = { redisMs: -5 };
      const app = runApp("api", { ...env, CREST_RUNTIME_CONFIG_JSON: JSON.stringify(config) });
      const exit = await app.exited;
      const output = app.lines.join("\n");
      assert.equal(exit.code, 78, output);
      assert.match(output, /kafka\.topics\.orders: .*\(got ""\)/);
      assert.match(output, /service\.timeouts\.redisMs: .*\(got -5\)/);
    });

    it("SIGTERM: in-flight requests finish, the producer is flushed and the process exits 0 within the grace period", async () => {
      const c = ctx();
      const api = await c.startApi({ drainDelaySeconds: 1, shutdownGraceSeconds: 10 });
      const sku = await c.seedSku(1_000);
      // Tokens first and one socket per request, so all 200 are on the wire when the signal comes
      // (signing inside each request, or queueing behind a smaller pool, left some unsent on a
      // busy machine: those met a closed listener, which is not what this test is about).
      const tokens = await Promise.all(
        Array.from({ length: 200 }, (_, i) => c.token(`term${i}x${randomUUID().slice(0, 6)}`)),
      );
      const agent = connectionPool(200);
      const inFlight = tokens.map((token) =>
        call(api.baseUrl, "POST", `/v1/flash-sales/${sku}/orders`, {
          agent,
          token,
          body: {},
          headers: { "idempotency-key": `term-${randomUUID()}` },
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 30));
      const signalled = performance.now();
      api.signal("SIGTERM");
      const replies = await Promise.all(inFlight);
      agent.destroy();
      const exit = await api.exited;
      assert.deepEqual(exit, { code: 0, signal: null }, api.lines.slice(-5).join("\n"));
      assert.ok(performance.now() - signalled < 10_000);
      assert.ok(
        replies.every((r) => r.status === 202),
        `statuses: ${[...new Set(replies.map((r) => r.status))]}`,
      );
      assert.ok(api.lines.some((l) => l.includes('"msg":"shutdown complete"')));
      await c.waitForStoredOrders(sku, 200);
    });

    it("logs JSON with request ids, exposes Prometheus metrics, and traces to an OTLP endpoint when one is set", async () => {
      const c = ctx();
      const requestId = `req-${randomUUID()}`;
      const sku = await c.seedSku(5, { listed: true });
      const token = await c.token(`obs${randomUUID().slice(0, 8)}`);
      const placed = await c.placeOrder(token, sku, `obs-${randomUUID()}`);
      assert.equal(placed.status, 202);
      assert.equal(placed.headers.etag, undefined, "a per-attempt answer is not hashed for an ETag");
      const home = await call(c.apiUrl, "GET", "/v1/catalog/home", {
        headers: { "x-request-id": requestId },
      });
      assert.equal(home.headers["x-request-id"], requestId);
      assert.equal(home.headers["content-type"], "application/json; charset=utf-8");
      assert.ok(Array.isArray(home.body.items), "the home page lists items");
      // The page is serialized and hashed once per cache refresh; a client holding it gets a 304.
      const etag = String(home.headers.etag ?? "");
      assert.match(etag, /^"[A-Za-z0-9_-]{27}"$/);
      const revalidated = await call(c.apiUrl, "GET", "/v1/catalog/home", {
        headers: { "if-none-match": etag },
      });
      assert.equal(revalidated.status, 304);
      assert.deepEqual(revalidated.body, {}, "a 304 has no body");
      const stale = await call(c.apiUrl, "GET", "/v1/catalog/home", {
        headers: { "if-none-match": '"other"' },
      });
      assert.equal(stale.status, 200);
      assert.deepEqual(stale.body, home.body);
      await eventually(
        "the request's log line",
        async () => c.api.lines.find((l) => l.includes(requestId) && l.includes('"msg":"request completed"')),
        5_000,
      );
      const line = JSON.parse(c.api.lines.find((l) => l.includes(requestId)) ?? "{}");
      assert.equal(line.req.id, requestId);
      assert.equal(line.req.method, "GET");
      assert.equal(line.res.statusCode, 200);
      assert.ok(!c.api.lines.some((l) => l.includes(token)), "a session token reached the logs");

      assert.ok(
        (await metricValue(c.apiUrl, "crest_http_request_duration_seconds_count", {
          route: "/v1/flash-sales/:sku/orders",
          status: "202",
        })) >= 1,
      );
      assert.ok(
        (await metricValue(c.apiUrl, "crest_cache_lookups_total", { cache: "catalog", tier: "l1" })) >= 1,
      );
      assert.equal(await metricValue(c.apiUrl, "crest_breaker_state", { dependency: "redis" }), 0);
      assert.ok((await metricValue(c.apiUrl, "crest_orders_total", { outcome: "accepted" })) >= 1);
      assert.ok((await metricValue(c.worker.baseUrl, "crest_orders_persisted_total")) >= 1);
      await eventually(
        "consumer lag reported",
        async () =>
          (await call(c.worker.baseUrl, "GET", "/metrics")).body.text?.includes("crest_consumer_lag{")
            ? true
            : undefined,
        15_000,
        500,
      );

      const spans: string[] = [];
      const collector = createServer((req, res) => {
        spans.push(req.url ?? "");
        req.resume();
        req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
      });
      await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
      const address = collector.address();
      const port = typeof address === "object" && address ? address.port : 0;
      let traced: Awaited<ReturnType<Context["startApi"]>> | undefined;
      try {
        traced = await c.startApi(
          {},
          { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_BSP_SCHEDULE_DELAY: "200" },
        );
        await call(traced.baseUrl, "GET", "/v1/catalog/home");
        await eventually(
          "spans exported",
          async () => (spans.includes("/v1/traces") ? true : undefined),
          15_000,
          200,
        );
      } finally {
        await traced?.stop();
        collector.closeAllConnections();
        collector.close();
      }
    });
  });
}
