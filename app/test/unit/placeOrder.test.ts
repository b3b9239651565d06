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
import { PlaceOrder } from "../../src/domain/placeOrder";
import type { Reservation, ReservationOutcome, StockLedger } from "../../src/domain/ports";
import { TieredCache } from "../../src/domain/tieredCache";
import { MemoryCache } from "./fakes";

const phone: CatalogItem = { sku: "phone", name: "Phone", priceCents: 19_900, flashSaleStock: 10 };

/** Records what the use case asked of the ledger; answers with the outcome a test sets. */
class RecordingLedger implements StockLedger {
  outcome: ReservationOutcome = { kind: "reserved" };
  readonly calls: string[] = [];
  lastReservation?: Reservation;
  async reserve(r: Reservation) {
    this.calls.push("reserve");
    this.lastReservation = r;
    return this.outcome;
  }
  async accept() {
    this.calls.push("accept");
  }
  async release(r: Reservation) {
    this.calls.push(`release ${r.orderId}`);
  }
  async releasedAmong() {
    return new Set<string>();
  }
}

function setUp(options: { allowed?: boolean; publishFails?: boolean } = {}) {
  const ledger = new RecordingLedger();
  const published: AcceptedOrder[] = [];
  const outcomes: string[] = [];
  const catalog = new Catalog(
    { listHome: async () => [phone], findItem: async (sku) => (sku === phone.sku ? phone : undefined) },
    new TieredCache(
      new MemoryCache(),
      { l1Seconds: 1, l1StaleSeconds: 1, redisSeconds: 1, negativeSeconds: 1 },
      () => undefined,
    ),
  );
  const placeOrder = new PlaceOrder(
    { take: async () => ({ allowed: options.allowed ?? true, retryAfterSeconds: 3 }) },
    catalog,
    ledger,
    {
      publish: async (order) => {
        if (options.publishFails) throw new DependencyUnavailableError("kafka", "broker down");
        published.push(order);
      },
    },
    (outcome) => outcomes.push(outcome),
    () => undefined,
    () => "order-1",
    () => new Date("2026-01-02T03:04:05.678Z"),
  );
  return { placeOrder, ledger, published, outcomes };
}

const request = { userId: "u1", sku: "phone", quantity: 2, idempotencyKey: "key-0001" };

describe("PlaceOrder", () => {
  it("reserves, publishes the order with the catalog price, then marks the key accepted", async () => {
    const { placeOrder, ledger, published, outcomes } = setUp();
    assert.deepEqual(await placeOrder.place(request), { orderId: "order-1", replayed: false });
    assert.deepEqual(ledger.calls, ["reserve", "accept"]);
    assert.equal(ledger.lastReservation?.initialStock, 10);
    assert.deepEqual(published, [
      { ...request, orderId: "order-1", unitPriceCents: 19_900, acceptedAt: "2026-01-02T03:04:05.678Z" },
    ]);
    assert.deepEqual(outcomes, ["accepted"]);
  });

  it("gives the stock back and answers unavailable when the publish fails", async () => {
    const { placeOrder, ledger, outcomes } = setUp({ publishFails: true });
    await assert.rejects(placeOrder.place(request), DependencyUnavailableError);
    assert.deepEqual(ledger.calls, ["reserve", "release order-1"]);
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

  it("answers sold out as a conflict", async () => {
    const { placeOrder, ledger } = setUp();
    ledger.outcome = { kind: "sold_out" };
    await assert.rejects(
      placeOrder.place(request),
      (e: unknown) => e instanceof ConflictError && e.code === "sold_out",
    );
  });
});
