import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeOrderMessage, encodeOrderMessage } from "../../src/domain/orderMessage";

const order = {
  orderId: "0b7d3c3e-5b8f-4f8e-9c59-1d2a3b4c5d6e",
  userId: "oABC123",
  sku: "phone",
  quantity: 1,
  unitPriceCents: 100,
  idempotencyKey: "key-0001",
  acceptedAt: "2026-01-02T03:04:05.678Z",
};

describe("order messages", () => {
  it("round-trip through encode and decode", () => {
    assert.deepEqual(decodeOrderMessage(encodeOrderMessage(order)), order);
  });

  it("give a dead-letter reason for empty, non-JSON and malformed messages", () => {
    assert.deepEqual(decodeOrderMessage(undefined), { problem: "empty message" });
    assert.deepEqual(decodeOrderMessage("{oops"), { problem: "not JSON" });
    const bad = decodeOrderMessage(JSON.stringify({ ...order, quantity: 0, extra: true }));
    assert.ok("problem" in bad);
    assert.match(bad.problem, /^invalid order: .*quantity/);
    assert.match(bad.problem, /extra/);
  });
});
