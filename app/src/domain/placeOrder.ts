import { createHash } from "node:crypto";
import type { Catalog } from "./catalog";
import { ConflictError, DomainError, NotFoundError, RateLimitedError } from "./errors";
import type { AcceptedOrder } from "./model";
import type { OrderPublisher, RateLimiter, Reservation, SoldCounter, StockLedger } from "./ports";
import { smokeProbe } from "./smokeProbe";

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

export interface PlaceOrderDependencies {
  readonly rateLimiter: RateLimiter;
  readonly catalog: Catalog;
  /** The fast gate (Redis). */
  readonly ledger: StockLedger;
  /** The ledger of record (MySQL): asked only when the fast gate has no stock for the SKU. */
  readonly soldCounter: SoldCounter;
  readonly publisher: OrderPublisher;
  readonly record: OrderOutcomeRecorder;
  readonly onLedgerFailure: (step: "release" | "accept", orderId: string, error: unknown) => void;
  /** Units per user for SKUs whose catalog row sets no limit. */
  readonly defaultPerUserLimit: number;
  readonly now?: () => Date;
}

/**
 * The flash-sale write path: rate limit → idempotency, per-user limit and atomic stock
 * reservation (one script) → publish → accepted. A failed publish gives the stock back before the
 * error reaches the client, so an order the client was told about (202) is always in Kafka.
 * The order id is derived from the user and the idempotency key, so every attempt with one key —
 * even after Redis lost its records — names the same order, which the worker stores once.
 */
export class PlaceOrder {
  private readonly now: () => Date;
  /** Per SKU, the stock initialisation in flight: concurrent first orders share one database read. */
  private readonly initialising = new Map<string, Promise<void>>();

  constructor(private readonly deps: PlaceOrderDependencies) {
    this.now = deps.now ?? (() => new Date());
  }

  async place(request: OrderRequest): Promise<OrderReceipt> {
    try {
      const receipt = await this.attempt(request);
      this.deps.record(receipt.replayed ? "replayed" : "accepted");
      return receipt;
    } catch (error) {
      this.deps.record(error instanceof DomainError ? error.code : "error");
      throw error;
    }
  }

  private async attempt(request: OrderRequest): Promise<OrderReceipt> {
    const { ledger } = this.deps;
    const bucket = await this.deps.rateLimiter.take(`user:${request.userId}`);
    if (!bucket.allowed) throw new RateLimitedError(bucket.retryAfterSeconds);
    const item = await this.deps.catalog.item(request.sku);
    // Unlisted SKUs (the smoke probe's above all: price 0, a billion units) are not for sale to
    // the public; answering 404 does not even confirm that they exist.
    const forSale = item && item.flashSaleStock > 0 && (item.listed || request.userId === smokeProbe.userId);
    if (!forSale) throw new NotFoundError(`no flash sale for sku ${request.sku}`);

    const order: AcceptedOrder = {
      orderId: orderIdFor(request.userId, request.idempotencyKey),
      userId: request.userId,
      sku: request.sku,
      quantity: request.quantity,
      unitPriceCents: item.priceCents,
      idempotencyKey: request.idempotencyKey,
      acceptedAt: this.now().toISOString(),
    };
    const perUserLimit = item.perUserLimit ?? this.deps.defaultPerUserLimit;
    const reservation: Reservation = { order, fingerprint: fingerprintOf(request), perUserLimit };
    let outcome = await ledger.reserve(reservation);
    if (outcome.kind === "stock_unknown") {
      await this.initStock(request.sku);
      outcome = await ledger.reserve(reservation);
    }
    if (outcome.kind === "stock_unknown")
      throw new ConflictError("sold_out", `sku ${request.sku} is sold out`);
    if (outcome.kind === "sold_out" || outcome.kind === "limit_reached") {
      // After Redis lost its records, a refused key may be a retry of an order decided before.
      const earlier = outcome.afterLoss ? await this.deps.soldCounter.decided(order.orderId) : undefined;
      if (earlier) return replay(order, earlier);
      throw outcome.kind === "sold_out"
        ? new ConflictError("sold_out", `sku ${request.sku} is sold out`)
        : new ConflictError("limit_reached", `sku ${request.sku}: at most ${perUserLimit} units per user`);
    }
    if (outcome.kind === "existing") {
      if (outcome.fingerprint !== reservation.fingerprint) throw keyReused();
      if (outcome.state !== "accepted") {
        throw new ConflictError(
          "request_in_progress",
          "a request with this idempotency key is still in progress",
        );
      }
      return { orderId: outcome.orderId, replayed: true };
    }

    try {
      await this.deps.publisher.publish(order);
    } catch (error) {
      await ledger.release(order).catch((e) => this.deps.onLedgerFailure("release", order.orderId, e));
      throw error;
    }
    // The order is in Kafka: it is accepted even if marking the key fails (the worker's lease
    // sweeper then re-publishes it, a duplicate it stores once, and marks the key accepted).
    await ledger.accept(order).catch((e) => this.deps.onLedgerFailure("accept", order.orderId, e));
    return { orderId: order.orderId, replayed: false };
  }

  /** Stock from the ledger of record: initial − sold, counted once per order id by the worker. */
  private initStock(sku: string): Promise<void> {
    let pending = this.initialising.get(sku);
    if (!pending) {
      pending = this.deps.soldCounter
        .stockOfRecord(sku)
        .then(({ remaining, decidedBefore }) => this.deps.ledger.initStock(sku, remaining, decidedBefore))
        .finally(() => this.initialising.delete(sku));
      this.initialising.set(sku, pending);
    }
    return pending;
  }
}

function replay(order: AcceptedOrder, earlier: { sku: string; quantity: number }): OrderReceipt {
  if (earlier.sku !== order.sku || earlier.quantity !== order.quantity) throw keyReused();
  return { orderId: order.orderId, replayed: true };
}

const keyReused = () =>
  new ConflictError("idempotency_key_reused", "idempotency key already used for a different request");

/** A UUID (version 8, RFC 9562) derived from the user and the idempotency key. */
export function orderIdFor(userId: string, idempotencyKey: string): string {
  const hash = createHash("sha256").update(`${userId}\n${idempotencyKey}`).digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x80;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function fingerprintOf(request: OrderRequest): string {
  return createHash("sha256")
    .update(JSON.stringify([request.sku, request.quantity]))
    .digest("base64url")
    .slice(0, 16);
}
