import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type Attempt,
  account,
  type Purchase,
  pipelineAtRest,
  type RedisState,
  type ReplayOutcome,
  type StoredOrder,
} from "../../tools/faults/accounting";

// A fault injected at t=10 s and cleared at t=20 s (epoch ms, as the load records them).
const window = { injectedAt: 10_000, clearedAt: 20_000 };

function attempt(at: number, outcome: string, orderId?: string): Attempt {
  return { sentAt: at, answeredAt: at + 5, outcome, ...(orderId ? { orderId } : {}) };
}

function purchase(n: number, ...attempts: Attempt[]): Purchase {
  return { userId: `u${n}`, idempotencyKey: `k${n}`, quantity: 1, attempts };
}

/** Buyer n, accepted at `at` as order `o<n>`. */
const accepted = (n: number, at = 1_000) => purchase(n, attempt(at, "202", `o${n}`));
const row = (n: number, orderId = `o${n}`, status?: string): StoredOrder => ({
  orderId,
  userId: `u${n}`,
  idempotencyKey: `k${n}`,
  quantity: 1,
  ...(status ? { status } : {}),
});

function run(options: {
  purchases: Purchase[];
  stored: StoredOrder[];
  initialStock?: number;
  redis?: RedisState;
  replays?: ReplayOutcome[];
}) {
  const initialStock = options.initialStock ?? 10;
  const sold = options.stored.length;
  return account({
    initialStock,
    purchases: options.purchases,
    stored: options.stored,
    redis: options.redis ?? { stock: initialStock - sold, keysInProgress: 0, acceptedOrderIds: [] },
    replays: options.replays ?? [],
    window,
  });
}

describe("fault accounting", () => {
  it("passes when every accepted order is stored once and the stock adds up", () => {
    const result = run({
      purchases: [accepted(1), accepted(2), purchase(3, attempt(21_000, "409 sold_out"))],
      stored: [row(1), row(2)],
    });
    assert.deepEqual(result.failures, []);
    assert.equal(result.accepted, 2);
    assert.equal(result.stored, 2);
    assert.equal(result.soldUnits, 2);
    assert.equal(result.strandedUnits, 0);
    assert.deepEqual(result.errors, { "409 sold_out": 1 });
  });

  it("counts an accepted order that never reached MySQL as lost, not as stock held", () => {
    const result = run({
      purchases: [
        accepted(1),
        purchase(2, attempt(900, "503 dependency_unavailable"), attempt(1_000, "202", "o2")),
      ],
      stored: [row(1)],
      redis: { stock: 8, keysInProgress: 0, acceptedOrderIds: [] },
    });
    assert.equal(result.lost, 1);
    assert.equal(result.strandedUnits, 0, "the lost order's unit is in flight, not stranded");
    // The failure names the order and what its buyer saw, to trace it in the kept app logs.
    assert.deepEqual(result.failures, ["1 lost (order o2 of u2: 503 dependency_unavailable → 202)"]);
  });

  it("counts rows sharing an order id, and rows sharing (user, key), as duplicates", () => {
    const result = run({
      purchases: [accepted(1), accepted(2)],
      // o1 twice (two shards), and a second order for buyer 2's key (a retry after a Redis loss).
      stored: [row(1), row(1), row(2), row(2, "o2-again")],
      redis: { stock: 6, keysInProgress: 0, acceptedOrderIds: [] },
    });
    assert.equal(result.duplicatedById, 1);
    assert.equal(result.duplicatedByKey, 2, "o1's second row shares its key too, and o2-again shares k2");
    assert.equal(
      result.phantom,
      0,
      "a second order for a key the client knows is a duplicate, not a phantom",
    );
    assert.ok(result.failures.includes("1 duplicated by order id"));
  });

  it("counts units sold past the initial stock as oversold, but not rejected orders", () => {
    const purchases = [1, 2, 3, 4].map((n) => accepted(n));
    const oversold = run({ purchases, stored: [1, 2, 3, 4].map((n) => row(n)), initialStock: 3 });
    assert.equal(oversold.oversoldUnits, 1);
    assert.ok(oversold.failures.includes("1 units oversold"));

    const rejectedByMysql = run({
      purchases,
      stored: [row(1), row(2), row(3), row(4, "o4", "rejected")],
      initialStock: 3,
      redis: { stock: 0, keysInProgress: 0, acceptedOrderIds: [] },
    });
    assert.equal(rejectedByMysql.oversoldUnits, 0);
    assert.equal(rejectedByMysql.rejected, 1);
    assert.equal(rejectedByMysql.lost, 0, "a rejected order is stored: its buyer sees it in the history");
    assert.deepEqual(rejectedByMysql.failures, []);
  });

  it("counts keys stuck in progress and stock reserved with no order as stranded", () => {
    const result = run({
      purchases: [
        accepted(1),
        purchase(2, attempt(12_000, "ECONNRESET"), attempt(13_000, "409 request_in_progress")),
      ],
      stored: [row(1)],
      // 10 units: 1 sold, 7 left in Redis: 2 are held by reservations that no order accounts for.
      redis: { stock: 7, keysInProgress: 1, acceptedOrderIds: [] },
    });
    assert.equal(result.strandedKeys, 1);
    assert.equal(result.strandedUnits, 2);
    assert.deepEqual(result.failures, ["1 keys stuck in progress", "2 units held without an order"]);
  });

  it("names the orders Redis holds as accepted that MySQL never stored", () => {
    const result = run({
      // Buyer 2 never heard back; the sweeper re-published its order and accepted the key.
      purchases: [accepted(1), purchase(2, attempt(12_000, "ECONNRESET"))],
      stored: [row(1)],
      redis: { stock: 8, keysInProgress: 0, acceptedOrderIds: ["o1", "o2"] },
    });
    assert.equal(result.phantom, 0);
    assert.deepEqual(result.failures, [
      "1 units held without an order (Redis marks 1 orders accepted that were never stored: o2)",
    ]);
  });

  it("leaves stranded units unknown when Redis has no stock counter", () => {
    const result = run({
      purchases: [accepted(1)],
      stored: [row(1)],
      redis: { stock: undefined, keysInProgress: 0, acceptedOrderIds: [] },
    });
    assert.equal(result.strandedUnits, undefined);
    assert.deepEqual(result.failures, []);
  });

  it("reports a stored order whose buyer never got its id as a phantom, noting a lost answer", () => {
    const result = run({
      purchases: [
        accepted(1),
        purchase(2, attempt(12_000, "ECONNRESET"), attempt(13_000, "503 dependency_unavailable")),
      ],
      stored: [row(1), row(2, "o2-unseen"), row(99, "o99")],
    });
    assert.equal(result.phantom, 2, "buyer 2's order and one no buyer placed");
    assert.equal(result.phantomAfterUnansweredAttempt, 1);
    assert.deepEqual(result.failures, [], "a phantom alone does not fail the fault");
  });

  it("counts replays that did not return their original order", () => {
    const result = run({
      purchases: [accepted(1), accepted(2)],
      stored: [row(1), row(2)],
      replays: [
        { expectedOrderId: "o1", outcome: "same order" },
        { expectedOrderId: "o2", outcome: "409 sold_out" },
      ],
    });
    assert.equal(result.replays, 2);
    assert.equal(result.replaysWrong, 1);
  });

  it("measures recovery from the clearing to the first normal answer of a request sent after it", () => {
    const result = run({
      purchases: [
        accepted(1, 1_000),
        accepted(2, 15_000),
        purchase(3, attempt(19_000, "503 dependency_unavailable"), attempt(21_000, "202", "o3")),
        purchase(4, attempt(22_000, "409 sold_out")),
      ],
      stored: [row(1), row(2), row(3)],
    });
    // o3's 202 was answered 5 ms after it was sent at 21.000 s: 1.005 s after the clearing at 20 s.
    assert.equal(result.recoverySeconds, 1.005);
    assert.equal(result.acceptedDuringFault, 1);
    assert.deepEqual(result.errors, { "503 dependency_unavailable": 1, "409 sold_out": 1 });
  });

  describe("pipelineAtRest", () => {
    const redis = (over: Partial<RedisState> = {}): RedisState => ({
      stock: 0,
      keysInProgress: 0,
      acceptedOrderIds: ["o1"],
      ...over,
    });

    it("is at rest once every told and every Redis-accepted order is stored and no key is in progress", () => {
      assert.equal(pipelineAtRest(["o1"], [row(1)], redis()), true);
    });

    it("waits for an order Redis accepted but no client was told about (a sweeper re-publish)", () => {
      assert.equal(pipelineAtRest(["o1"], [row(1)], redis({ acceptedOrderIds: ["o1", "o2"] })), false);
    });

    it("waits for a told order still on its way and for keys in progress", () => {
      assert.equal(pipelineAtRest(["o1", "o3"], [row(1)], redis()), false);
      assert.equal(pipelineAtRest(["o1"], [row(1)], redis({ keysInProgress: 1 })), false);
    });
  });
});
