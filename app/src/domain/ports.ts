import type { AcceptedOrder, CatalogItem, RejectReason, StoredOrder } from "./model";

/** Shared (L2) cache: strings with a TTL, plus counters for version-based invalidation. */
export interface SharedCache {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Current value of a counter; 0 when it does not exist. */
  counter(key: string): Promise<number>;
  increment(key: string): Promise<number>;
}

export interface RateLimiter {
  /** Takes one token from the subject's bucket. */
  take(subject: string): Promise<{ allowed: boolean; retryAfterSeconds: number }>;
}

export interface Reservation {
  /** The order this reservation becomes once published (kept for the lease sweeper). */
  readonly order: AcceptedOrder;
  /** Identifies the request body, so a reused key with a different body is caught. */
  readonly fingerprint: string;
  /** Units this user may hold of the SKU in total. */
  readonly perUserLimit: number;
}

export type ReservationOutcome =
  | { readonly kind: "reserved" }
  /** `afterLoss`: the stock was re-initialised after Redis lost it (older keys may be forgotten). */
  | { readonly kind: "sold_out" | "limit_reached"; readonly afterLoss: boolean }
  /** The ledger has no stock for the SKU (first order, or Redis lost its data): initialise it. */
  | { readonly kind: "stock_unknown" }
  | {
      readonly kind: "existing";
      readonly orderId: string;
      readonly state: "reserved" | "accepted";
      readonly fingerprint: string;
    };

/** Atomic flash-sale stock, per-user counts and idempotency records (the fast gate). */
export interface StockLedger {
  reserve(reservation: Reservation): Promise<ReservationOutcome>;
  /**
   * Sets the SKU's stock unless another process did first. `afterLoss`: orders were decided
   * before, so Redis lost its records (refusals then look for the key's earlier order).
   */
  initStock(sku: string, remaining: number, afterLoss: boolean): Promise<void>;
  /** The order reached Kafka: retries with the same key now get this order back. */
  accept(order: AcceptedOrder): Promise<void>;
  /** Publishing failed: give the stock back, forget the key, and mark this attempt released. */
  release(order: AcceptedOrder): Promise<void>;
  /**
   * The attempts among these that were released (so a late-arriving copy must not be persisted),
   * as the same objects: two attempts of one order id (a retry after a failed publish) can share a
   * batch, and only the released one may be dropped.
   */
  releasedAmong(orders: readonly AcceptedOrder[]): Promise<Set<AcceptedOrder>>;
  /** Reservations of the SKU still unsettled after their lease (their API process died). */
  expiredReservations(sku: string, limit: number): Promise<AcceptedOrder[]>;
  /**
   * Returns the units of orders reserved twice (a key retried after Redis lost its record: the
   * same order id, which the ledger of record counted once).
   */
  giveBack(orders: readonly AcceptedOrder[]): Promise<void>;
}

/** One decision of the stock ledger of record about one order id. */
export type StockClaim =
  | { readonly status: "accepted" }
  | { readonly status: "rejected"; readonly reason: RejectReason }
  /** The order id was already decided for a different SKU or quantity (an idempotency key reused). */
  | { readonly status: "conflict" };

/** The ledger of record (MySQL, catalog shard): units sold per SKU, one claim per order id. */
export interface SoldCounter {
  /** Initial stock minus the units sold (never below zero), and whether any order was decided yet. */
  stockOfRecord(sku: string): Promise<{ remaining: number; decidedBefore: boolean }>;
  /** The SKU and quantity an order id was decided for, if it was. */
  decided(orderId: string): Promise<{ sku: string; quantity: number } | undefined>;
  /**
   * Decides each order in one transaction: accepted while the SKU's stock and the buyer's limit
   * allow it, rejected otherwise. An order id decided before keeps its decision. `fresh` holds
   * the ids decided by this call; `reattempts` the ids decided before for another attempt
   * (another acceptedAt: a retry after Redis lost the key), whose new reservation is surplus.
   */
  claim(orders: readonly AcceptedOrder[]): Promise<{
    claims: Map<string, StockClaim>;
    fresh: Set<string>;
    reattempts: AcceptedOrder[];
  }>;
}

export interface OrderPublisher {
  publish(order: AcceptedOrder): Promise<void>;
}

export interface CatalogRepository {
  listHome(): Promise<CatalogItem[]>;
  findItem(sku: string): Promise<CatalogItem | undefined>;
  /** Every SKU with flash-sale stock (the lease sweeper's round). */
  flashSaleSkus(): Promise<string[]>;
}

export interface OrderPage {
  readonly orders: readonly StoredOrder[];
  /** Pass back to get the next page; absent on the last page. */
  readonly nextCursor?: string;
}

export interface OrderPosition {
  readonly acceptedAt: string;
  readonly orderId: string;
}

/** Orders on the MySQL shards, routed by user. */
export interface OrderRepository {
  shardFor(userId: string): number;
  /**
   * Inserts in one transaction; orders already present (same id, or same user and idempotency
   * key) are left as they are.
   * Resolves to how many were new (the rest were redeliveries).
   */
  insertBatch(shardId: number, orders: readonly StoredOrder[]): Promise<number>;
  /** Newest first, strictly after `after` when given. */
  listByUser(
    userId: string,
    options: { after?: OrderPosition; limit: number; source: "writer" | "reader" },
  ): Promise<StoredOrder[]>;
}

export interface SignInRepository {
  /** Grants points once per user and day; concurrent calls for the same day grant once. */
  grantDaily(userId: string, day: string, points: number): Promise<{ granted: boolean; totalPoints: number }>;
}

export interface WeChatSessions {
  /** Exchanges a mini-program login code for the user's openid. */
  exchange(code: string): Promise<{ openId: string }>;
}

export interface SessionTokens {
  issue(userId: string): Promise<{ token: string; expiresAt: string }>;
  /** The user id the token was issued for; throws UnauthorizedError when invalid or expired. */
  verify(token: string): Promise<string>;
}

export interface DeadLetters {
  /** Publishes a message the worker cannot store to the dead-letter topic, with the reason. */
  deadLetter(
    raw: { key?: string; value: string; partition: number; offset: string },
    reason: string,
  ): Promise<void>;
}
