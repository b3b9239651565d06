import { createHash, randomUUID } from "node:crypto";
import type { Catalog } from "./catalog";
import { ConflictError, DomainError, NotFoundError, RateLimitedError } from "./errors";
import type { AcceptedOrder } from "./model";
import type { OrderPublisher, RateLimiter, Reservation, StockLedger } from "./ports";

export interface OrderRequest {
  readonly userId: string;
  readonly sku: string;
  readonly quantity: number;
  readonly idempotencyKey: string;
}

export interface OrderReceipt {
  readonly orderId: string;
  /** True when the idempotency key had already produced this order. */
  readonly replayed: boolean;
}

export type OrderOutcomeRecorder = (outcome: string) => void;

/**
 * The flash-sale write path: rate limit → idempotency and atomic stock reservation → publish →
 * accepted. A failed publish gives the stock back before the error reaches the client, so an
 * order the client was told about (202) is always in Kafka, and stock is never sold twice.
 */
export class PlaceOrder {
  constructor(
    private readonly rateLimiter: RateLimiter,
    private readonly catalog: Catalog,
    private readonly ledger: StockLedger,
    private readonly publisher: OrderPublisher,
    private readonly record: OrderOutcomeRecorder,
    private readonly onLedgerFailure: (step: "release" | "accept", orderId: string, error: unknown) => void,
    private readonly newOrderId: () => string = randomUUID,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async place(request: OrderRequest): Promise<OrderReceipt> {
    try {
      const receipt = await this.attempt(request);
      this.record(receipt.replayed ? "replayed" : "accepted");
      return receipt;
    } catch (error) {
      this.record(error instanceof DomainError ? error.code : "error");
      throw error;
    }
  }

  private async attempt(request: OrderRequest): Promise<OrderReceipt> {
    const bucket = await this.rateLimiter.take(`user:${request.userId}`);
    if (!bucket.allowed) throw new RateLimitedError(bucket.retryAfterSeconds);
    const item = await this.catalog.item(request.sku);
    if (!item || item.flashSaleStock <= 0) throw new NotFoundError(`no flash sale for sku ${request.sku}`);

    const reservation: Reservation = {
      sku: request.sku,
      userId: request.userId,
      idempotencyKey: request.idempotencyKey,
      orderId: this.newOrderId(),
      quantity: request.quantity,
      fingerprint: fingerprintOf(request),
      initialStock: item.flashSaleStock,
    };
    const outcome = await this.ledger.reserve(reservation);
    if (outcome.kind === "sold_out") throw new ConflictError("sold_out", `sku ${request.sku} is sold out`);
    if (outcome.kind === "existing") {
      if (outcome.fingerprint !== reservation.fingerprint) {
        throw new ConflictError(
          "idempotency_key_reused",
          "idempotency key already used for a different request",
        );
      }
      if (outcome.state !== "accepted") {
        throw new ConflictError(
          "request_in_progress",
          "a request with this idempotency key is still in progress",
        );
      }
      return { orderId: outcome.orderId, replayed: true };
    }

    const order: AcceptedOrder = {
      orderId: reservation.orderId,
      userId: request.userId,
      sku: request.sku,
      quantity: request.quantity,
      unitPriceCents: item.priceCents,
      idempotencyKey: request.idempotencyKey,
      acceptedAt: this.now().toISOString(),
    };
    try {
      await this.publisher.publish(order);
    } catch (error) {
      await this.ledger.release(reservation).catch((e) => this.onLedgerFailure("release", order.orderId, e));
      throw error;
    }
    // The order is in Kafka: it is accepted even if marking the key fails (a retry then sees
    // "in progress" until the key expires, never a second order).
    await this.ledger.accept(reservation).catch((e) => this.onLedgerFailure("accept", order.orderId, e));
    return { orderId: order.orderId, replayed: false };
  }
}

function fingerprintOf(request: OrderRequest): string {
  return createHash("sha256")
    .update(JSON.stringify([request.sku, request.quantity]))
    .digest("base64url")
    .slice(0, 16);
}
