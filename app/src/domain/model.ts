/** A catalog entry; flash-sale SKUs carry the stock the sale starts with. */
export interface CatalogItem {
  readonly sku: string;
  readonly name: string;
  readonly priceCents: number;
  readonly flashSaleStock: number;
  /** Unlisted items are off the home page and orderable only by the smoke probe's user. */
  readonly listed: boolean;
  /** Units one user may buy; absent: the service default (orders.perUserLimit). */
  readonly perUserLimit?: number;
}

/** An order the API accepted (202) and published; the worker persists exactly these fields. */
export interface AcceptedOrder {
  readonly orderId: string;
  readonly userId: string;
  readonly sku: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
  readonly idempotencyKey: string;
  /** ISO-8601 UTC with milliseconds. */
  readonly acceptedAt: string;
}

/** Why the stock ledger of record (MySQL) refused an accepted order. */
export type RejectReason = "sold_out" | "limit_reached" | "not_for_sale";

/** An order as stored on its user's shard: accepted, or rejected by the final stock check. */
export interface StoredOrder extends AcceptedOrder {
  readonly status: "accepted" | "rejected";
  readonly rejectReason?: RejectReason;
}

export interface SignInResult {
  readonly day: string;
  readonly granted: boolean;
  readonly pointsGranted: number;
  readonly totalPoints: number;
}
