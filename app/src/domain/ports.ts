import type { AcceptedOrder, CatalogItem } from "./model";

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
  readonly sku: string;
  readonly userId: string;
  readonly idempotencyKey: string;
  readonly orderId: string;
  readonly quantity: number;
  /** Identifies the request body, so a reused key with a different body is caught. */
  readonly fingerprint: string;
  /** Stock to start the sale with if the ledger has none yet. */
  readonly initialStock: number;
}

export type ReservationOutcome =
  | { readonly kind: "reserved" }
  | { readonly kind: "sold_out" }
  | {
      readonly kind: "existing";
      readonly orderId: string;
      readonly state: "reserved" | "accepted";
      readonly fingerprint: string;
    };

/** Atomic flash-sale stock and idempotency records. */
export interface StockLedger {
  reserve(reservation: Reservation): Promise<ReservationOutcome>;
  /** The order reached Kafka: retries with the same key now get this order back. */
  accept(reservation: Reservation): Promise<void>;
  /** Publishing failed: give the stock back, forget the key, and mark the order id released. */
  release(reservation: Reservation): Promise<void>;
  /** Which of these orders were released (so a late-arriving copy must not be persisted). */
  releasedAmong(orders: readonly AcceptedOrder[]): Promise<Set<string>>;
}

export interface OrderPublisher {
  publish(order: AcceptedOrder): Promise<void>;
}

export interface CatalogRepository {
  listHome(): Promise<CatalogItem[]>;
  findItem(sku: string): Promise<CatalogItem | undefined>;
}

export interface OrderPage {
  readonly orders: readonly AcceptedOrder[];
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
   * Inserts in one transaction; orders already present (same id) are left as they are.
   * Resolves to how many were new (the rest were redeliveries).
   */
  insertBatch(shardId: number, orders: readonly AcceptedOrder[]): Promise<number>;
  /** Newest first, strictly after `after` when given. */
  listByUser(
    userId: string,
    options: { after?: OrderPosition; limit: number; source: "writer" | "reader" },
  ): Promise<AcceptedOrder[]>;
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
  send(
    raw: { key?: string; value: string; partition: number; offset: string },
    reason: string,
  ): Promise<void>;
}
