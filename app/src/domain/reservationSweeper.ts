import type { CatalogRepository, OrderPublisher, StockLedger } from "./ports";

export interface SweepEvents {
  /** A reservation whose API process died was re-published and marked accepted. */
  resolved(orderId: string): void;
  problem(message: string, error: unknown): void;
}

/**
 * Settles reservations whose publish outcome is unknown: the API process reserved, then died
 * before it marked the key accepted or gave the stock back. Once the lease has run out, the
 * order is published again — the same order id, so if the first publish did reach Kafka the
 * worker stores it once — and the key is marked accepted: a retry with it gets the order back
 * instead of "in progress" for a day, and no stock stays held without an order.
 */
export class ReservationSweeper {
  constructor(
    private readonly catalog: Pick<CatalogRepository, "flashSaleSkus">,
    private readonly ledger: StockLedger,
    private readonly publisher: OrderPublisher,
    private readonly events: SweepEvents,
    private readonly batchPerSku = 100,
  ) {}

  /** One round over every flash-sale SKU; how many reservations it settled. */
  async sweep(): Promise<number> {
    let skus: string[];
    try {
      skus = await this.catalog.flashSaleSkus();
    } catch (error) {
      this.events.problem("reservation sweep skipped: catalog unavailable", error);
      return 0;
    }
    let resolved = 0;
    for (const sku of skus) {
      try {
        for (const order of await this.ledger.expiredReservations(sku, this.batchPerSku)) {
          await this.publisher.publish(order);
          await this.ledger.accept(order);
          this.events.resolved(order.orderId);
          resolved++;
        }
      } catch (error) {
        // The lease stays in place: the next round tries again.
        this.events.problem(`reservation sweep of sku ${sku} failed`, error);
      }
    }
    return resolved;
  }
}
