/** A catalog entry; flash-sale SKUs carry the stock the sale starts with. */
export interface CatalogItem {
  readonly sku: string;
  readonly name: string;
  readonly priceCents: number;
  readonly flashSaleStock: number;
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

export interface SignInResult {
  readonly day: string;
  readonly granted: boolean;
  readonly pointsGranted: number;
  readonly totalPoints: number;
}
