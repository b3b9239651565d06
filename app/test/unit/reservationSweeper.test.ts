import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AcceptedOrder } from "../../src/domain/model";
import type { StockLedger } from "../../src/domain/ports";
import { ReservationSweeper } from "../../src/domain/reservationSweeper";

const orderOf = (sku: string, n: number): AcceptedOrder => ({
  orderId: `${sku}-${n}`,
  userId: `user-${n}`,
  sku,
  quantity: 1,
  unitPriceCents: 100,
  idempotencyKey: `key-${n}-abcdef`,
  acceptedAt: "2026-01-02T03:04:05.678Z",
});

function setUp(expired: Record<string, AcceptedOrder[]>, options: { failPublishOf?: string } = {}) {
  const steps: string[] = [];
  const ledger = {
    expiredReservations: async (sku: string) => expired[sku] ?? [],
    accept: async (order: AcceptedOrder) => {
      steps.push(`accept ${order.orderId}`);
    },
  } as unknown as StockLedger;
  const problems: string[] = [];
  const sweeper = new ReservationSweeper(
    { flashSaleSkus: async () => Object.keys(expired) },
    ledger,
    {
      publish: async (order) => {
        if (order.orderId === options.failPublishOf) throw new Error("kafka down");
        steps.push(`publish ${order.orderId}`);
      },
    },
    { resolved: (id) => steps.push(`resolved ${id}`), problem: (message) => problems.push(message) },
  );
  return { sweeper, steps, problems };
}

describe("ReservationSweeper", () => {
  it("re-publishes each expired reservation before marking its key accepted", async () => {
    const { sweeper, steps } = setUp({ phone: [orderOf("phone", 1)], tv: [orderOf("tv", 2)] });
    assert.equal(await sweeper.sweep(), 2);
    assert.deepEqual(steps, [
      "publish phone-1",
      "accept phone-1",
      "resolved phone-1",
      "publish tv-2",
      "accept tv-2",
      "resolved tv-2",
    ]);
  });

  it("leaves a reservation whose publish fails for the next round, and goes on with the other SKUs", async () => {
    const { sweeper, steps, problems } = setUp(
      { phone: [orderOf("phone", 1), orderOf("phone", 2)], tv: [orderOf("tv", 3)] },
      { failPublishOf: "phone-1" },
    );
    assert.equal(await sweeper.sweep(), 1);
    assert.deepEqual(steps, ["publish tv-3", "accept tv-3", "resolved tv-3"]);
    assert.deepEqual(problems, ["reservation sweep of sku phone failed"]);
  });
});
