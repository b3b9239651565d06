import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Catalog } from "../../src/domain/catalog";
import {
  ConflictError,
  DependencyUnavailableError,
  NotFoundError,
  RateLimitedError,
} from "../../src/domain/errors";
import type { AcceptedOrder, CatalogItem } from "../../src/domain/model";
import { orderIdFor, PlaceOrder } from "../../src/domain/placeOrder";
import type { Reservation, ReservationOutcome, StockLedger } from "../../src/domain/ports";
import { smokeProbe } from "../../src/domain/smokeProbe";
import { TieredCache } from "../../src/domain/tieredCache";
import { MemoryCache } from "./fakes";

const phone: CatalogItem = {
  sku: "phone",
  name: "Phone",
  priceCents: 19_900,
  flashSaleStock: 10,
  listed: true,
};
const hidden: CatalogItem = { ...phone, sku: "hidden", listed: false, perUserLimit: 2 };

/** Records what the use case asked of the ledger; answers with the outcome a test sets. */
class RecordingLedger implements StockLedger {
  /** Answers in turn; the last one repeats. */
  outcomes: ReservationOutcome[] = [{ kind: "reserved" }];
  readonly calls: string[] = [];
  lastReservation?: Reservation;
  set outcome(outcome: ReservationOutcome) {
    this.outcomes = [outcome];
  }
  async reserve(r: Reservation) {
    this.calls.push("reserve");
    this.lastReservation = r;
    return (this.outcomes.length > 1 ? this.outcomes.shift() : this.outcomes[0]) as ReservationOutcome;
  }
  async initStock(sku: string, remaining: number, afterLoss: boolean) {
    this.calls.push(`init ${sku} ${remaining}${afterLoss ? " after loss" : ""}`);
  }
  async accept() {
    this.calls.push("accept");
  }
  async release(order: AcceptedOrder) {
    this.calls.push(`release ${order.orderId}`);
  }
  async releasedAmong() {
    return new Set<AcceptedOrder>();
  }
  async expiredReservations() {
    return [];
  }
  async giveBack() {
    this.calls.push("give back");
  }
}

function setUp(options: { allowed?: boolean; publishFails?: boolean } = {}) {
  const ledger = new RecordingLedger();
  const decided = new Map<string, { sku: string; quantity: number }>();
  const published: AcceptedOrder[] = [];
  const outcomes: string[] = [];
  const items = new Map([phone, hidden].map((item) => [item.sku, item]));
  const catalog = new Catalog(
    {
      listHome: async () => [phone],
      findItem: async (sku) => items.get(sku),
      flashSaleSkus: async () => [...items.keys()],
    },
    new TieredCache(
      new MemoryCache(),
      { l1Seconds: 1, l1StaleSeconds: 1, redisSeconds: 1, negativeSeconds: 1 },
      () => undefined,
    ),
  );
  const placeOrder = new PlaceOrder({
    rateLimiter: { take: async () => ({ allowed: options.allowed ?? true, retryAfterSeconds: 3 }) },
    catalog,
    ledger,
    soldCounter: {
      stockOfRecord: async () => ({ remaining: 7, decidedBefore: true }),
      decided: async (id) => decided.get(id),
      claim: async () => ({ claims: new Map(), fresh: new Set(), reattempts: [] }),
    },
    publisher: {
      publish: async (order) => {
        if (options.publishFails) throw new DependencyUnavailableError("kafka", "error", "broker down");
        published.push(order);
      },
    },
    record: (outcome) => outcomes.push(outcome),
    onLedgerFailure: () => undefined,
    defaultPerUserLimit: 4,
    now: () => new Date("2026-01-02T03:04:05.678Z"),
  });
  return { placeOrder, ledger, published, outcomes, decided };
}

const request = { userId: "u1", sku: "phone", quantity: 2, idempotencyKey: "key-0001" };
const orderId = orderIdFor(request.userId, request.idempotencyKey);

describe("PlaceOrder", () => {
  it("reserves, publishes the order with the catalog price, then marks the key accepted", async () => {
    const { placeOrder, ledger, published, outcomes } = setUp();
    assert.deepEqual(await placeOrder.place(request), { orderId, replayed: false });
    assert.deepEqual(ledger.calls, ["reserve", "accept"]);
    assert.equal(ledger.lastReservation?.perUserLimit, 4, "the default limit applies");
    assert.deepEqual(published, [
      { ...request, orderId, unitPriceCents: 19_900, acceptedAt: "2026-01-02T03:04:05.678Z" },
    ]);
    assert.deepEqual(outcomes, ["accepted"]);
  });

  it("gives the stock back and answers unavailable when the publish fails", async () => {
    const { placeOrder, ledger, outcomes } = setUp({ publishFails: true });
    await assert.rejects(placeOrder.place(request), DependencyUnavailableError);
    assert.deepEqual(ledger.calls, ["reserve", `release ${orderId}`]);
    assert.deepEqual(outcomes, ["dependency_unavailable"]);
  });

  it("returns the first order for a retried key, and refuses a reused key or one still in flight", async () => {
    const { placeOrder, ledger } = setUp();
    const fingerprint = async () => {
      await placeOrder.place(request);
      return ledger.lastReservation?.fingerprint ?? "";
    };
    const same = await fingerprint();
    ledger.outcome = { kind: "existing", orderId: "first", state: "accepted", fingerprint: same };
    assert.deepEqual(await placeOrder.place(request), { orderId: "first", replayed: true });
    ledger.outcome = { kind: "existing", orderId: "first", state: "reserved", fingerprint: same };
    await assert.rejects(
      placeOrder.place(request),
      (e: unknown) => e instanceof ConflictError && e.code === "request_in_progress",
    );
    ledger.outcome = { kind: "existing", orderId: "first", state: "accepted", fingerprint: "other-body" };
    await assert.rejects(
      placeOrder.place(request),
      (e: unknown) => e instanceof ConflictError && e.code === "idempotency_key_reused",
    );
  });

  it("stops at the rate limit and at unknown SKUs without touching the stock", async () => {
    const limited = setUp({ allowed: false });
    await assert.rejects(
      limited.placeOrder.place(request),
      (e: unknown) => e instanceof RateLimitedError && e.retryAfterSeconds === 3,
    );
    assert.deepEqual(limited.ledger.calls, []);
    const unknown = setUp();
    await assert.rejects(unknown.placeOrder.place({ ...request, sku: "nope" }), NotFoundError);
    assert.deepEqual(unknown.ledger.calls, []);
  });

  it("names one order per user and idempotency key, a UUID whatever Redis remembers", () => {
    assert.equal(orderIdFor("u1", "key-0001"), orderIdFor("u1", "key-0001"));
    assert.notEqual(orderIdFor("u1", "key-0001"), orderIdFor("u2", "key-0001"));
    assert.notEqual(orderIdFor("u1", "key-0001"), orderIdFor("u1", "key-0002"));
    assert.match(orderId, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("initialises unknown stock from the ledger of record, then reserves again", async () => {
    const { placeOrder, ledger } = setUp();
    ledger.outcomes = [{ kind: "stock_unknown" }, { kind: "reserved" }];
    assert.equal((await placeOrder.place(request)).orderId, orderId);
    assert.deepEqual(ledger.calls, ["reserve", "init phone 7 after loss", "reserve", "accept"]);
  });

  it("sells unlisted SKUs only to the smoke probe's user, with the SKU's own limit", async () => {
    const { placeOrder, ledger } = setUp();
    await assert.rejects(placeOrder.place({ ...request, sku: "hidden" }), NotFoundError);
    assert.deepEqual(ledger.calls, []);
    await placeOrder.place({ ...request, sku: "hidden", userId: smokeProbe.userId });
    assert.equal(ledger.lastReservation?.perUserLimit, 2);
  });

  it("answers the per-user limit as a conflict of its own", async () => {
    const { placeOrder, ledger } = setUp();
    ledger.outcome = { kind: "limit_reached", afterLoss: false };
    await assert.rejects(
      placeOrder.place(request),
      (e: unknown) =>
        e instanceof ConflictError && e.code === "limit_reached" && /at most 4 units/.test(e.message),
    );
  });

  it("answers sold out as a conflict", async () => {
    const { placeOrder, ledger } = setUp();
    ledger.outcome = { kind: "sold_out", afterLoss: false };
    await assert.rejects(
      placeOrder.place(request),
      (e: unknown) => e instanceof ConflictError && e.code === "sold_out",
    );
  });

  it("after a Redis data loss, answers a refused retry with the order its key made before", async () => {
    const { placeOrder, ledger, decided } = setUp();
    ledger.outcome = { kind: "sold_out", afterLoss: true };
    await assert.rejects(
      placeOrder.place(request),
      (e: unknown) => e instanceof ConflictError && e.code === "sold_out",
      "no earlier order: sold out",
    );
    decided.set(orderId, { sku: "phone", quantity: 2 });
    assert.deepEqual(await placeOrder.place(request), { orderId, replayed: true });
    await assert.rejects(
      placeOrder.place({ ...request, quantity: 1 }),
      (e: unknown) => e instanceof ConflictError && e.code === "idempotency_key_reused",
    );
    ledger.outcome = { kind: "sold_out", afterLoss: false };
    await assert.rejects(
      placeOrder.place(request),
      ConflictError,
      "without a loss the database is not asked",
    );
  });
});
