import type { AcceptedOrder, RejectReason, StoredOrder } from "./model";
import type { OrderHistory } from "./orderHistory";
import { decodeOrderMessage } from "./orderMessage";
import type { DeadLetters, OrderRepository, SoldCounter, StockClaim, StockLedger } from "./ports";

export interface ConsumedMessage {
  readonly key?: string;
  readonly value: string | undefined;
  readonly partition: number;
  readonly offset: string;
}

/** persisted / dead_lettered: done, the offset may move past it. parked: try again later. */
export type Disposition = "persisted" | "dead_lettered" | "parked";

export interface OrderWriterEvents {
  /** `redelivered`: orders of the batch that were already stored (a redelivery after a crash). */
  persisted(shardId: number, inserted: number, redelivered: number): void;
  /** An order the ledger of record refused for the first time (it is stored as rejected). */
  rejected(reason: RejectReason): void;
  deadLettered(reason: string): void;
  problem(message: string, error: unknown): void;
}

export const releasedReason = "reservation released after a failed publish";
export const conflictReason = "order id already decided for another sku or quantity (idempotency key reused)";

/**
 * Persists a batch of consumed orders. Each valid order is first decided by the ledger of record
 * (MySQL's sold counter, idempotent per order id): accepted, or rejected when the SKU is sold out
 * or the buyer is at the limit. Then each order goes, with its decision, into its user's shard
 * (one transaction per shard, idempotent on order id and on user and key). Undecodable messages,
 * released reservations and reused order ids go to the dead-letter topic. An order whose step
 * fails (Redis, the catalog shard, its own shard, the dead-letter topic) is parked, not lost: the
 * caller keeps its offset uncommitted and offers it again.
 */
export class OrderWriter {
  constructor(
    private readonly orderRepository: OrderRepository,
    private readonly ledger: StockLedger,
    private readonly soldCounter: SoldCounter,
    private readonly deadLetters: DeadLetters,
    private readonly history: OrderHistory,
    private readonly events: OrderWriterEvents,
  ) {}

  async write(messages: readonly ConsumedMessage[]): Promise<Disposition[]> {
    const dispositions = new Array<Disposition>(messages.length).fill("parked");
    const valid: { index: number; order: AcceptedOrder }[] = [];
    const toDeadLetter: { index: number; reason: string }[] = [];
    messages.forEach((message, index) => {
      const decoded = decodeOrderMessage(message.value);
      if ("problem" in decoded) toDeadLetter.push({ index, reason: decoded.problem });
      else valid.push({ index, order: decoded });
    });

    const live = await this.withoutReleased(valid, toDeadLetter);
    const toStore: { index: number; order: StoredOrder }[] = [];
    const claims = await this.claim(live.map((v) => v.order));
    for (const { index, order } of live) {
      const claim = claims?.get(order.orderId);
      if (claim?.status === "conflict") toDeadLetter.push({ index, reason: conflictReason });
      else if (claim) toStore.push({ index, order: withDecision(order, claim) });
    }

    await Promise.all([
      ...toDeadLetter.map(({ index, reason }) => this.deadLetter(messages, index, reason, dispositions)),
      ...[...groupBy(toStore, (v) => this.orderRepository.shardFor(v.order.userId))].map(([shardId, group]) =>
        this.store(shardId, group, dispositions),
      ),
    ]);

    const persistedUsers = valid
      .filter((v) => dispositions[v.index] === "persisted")
      .map((v) => v.order.userId);
    await this.history
      .invalidate(persistedUsers)
      .catch((error) =>
        this.events.problem("order-history invalidation failed; first pages expire by TTL", error),
      );
    return dispositions;
  }

  /** Valid orders minus released attempts (queued for the dead-letter topic); none when Redis fails. */
  private async withoutReleased(
    valid: { index: number; order: AcceptedOrder }[],
    toDeadLetter: { index: number; reason: string }[],
  ): Promise<{ index: number; order: AcceptedOrder }[]> {
    let released: Set<AcceptedOrder>;
    try {
      released = await this.ledger.releasedAmong(valid.map((v) => v.order));
    } catch (error) {
      this.events.problem("cannot check released reservations; batch parked", error);
      return [];
    }
    for (const v of valid) {
      if (released.has(v.order)) toDeadLetter.push({ index: v.index, reason: releasedReason });
    }
    return valid.filter((v) => !released.has(v.order));
  }

  /** Each order's decision, counting fresh rejections; undefined (all parked) when the ledger fails. */
  private async claim(orders: readonly AcceptedOrder[]): Promise<Map<string, StockClaim> | undefined> {
    if (orders.length === 0) return new Map();
    let decided: Awaited<ReturnType<SoldCounter["claim"]>>;
    try {
      decided = await this.soldCounter.claim(orders);
    } catch (error) {
      this.events.problem(`stock ledger unavailable; ${orders.length} orders parked`, error);
      return undefined;
    }
    for (const id of decided.fresh) {
      const claim = decided.claims.get(id);
      if (claim?.status === "rejected") this.events.rejected(claim.reason);
    }
    if (decided.reattempts.length > 0) {
      // Best effort: if Redis fails now, the surplus stays reserved (an undersell, never an oversell).
      await this.ledger
        .giveBack(decided.reattempts)
        .catch((error) =>
          this.events.problem("could not give back a retried order's second reservation", error),
        );
    }
    return decided.claims;
  }

  private async deadLetter(
    messages: readonly ConsumedMessage[],
    index: number,
    reason: string,
    dispositions: Disposition[],
  ): Promise<void> {
    try {
      const { key, value, partition, offset } = messages[index] as ConsumedMessage;
      await this.deadLetters.deadLetter(
        { ...(key === undefined ? {} : { key }), value: value ?? "", partition, offset },
        reason,
      );
      dispositions[index] = "dead_lettered";
      this.events.deadLettered(reason);
    } catch (error) {
      this.events.problem("dead-letter publish failed; message parked", error);
    }
  }

  private async store(
    shardId: number,
    group: readonly { index: number; order: StoredOrder }[],
    dispositions: Disposition[],
  ): Promise<void> {
    let inserted: number;
    try {
      inserted = await this.orderRepository.insertBatch(
        shardId,
        group.map((g) => g.order),
      );
    } catch (error) {
      this.events.problem(`shard ${shardId} write failed; ${group.length} orders parked`, error);
      return;
    }
    for (const { index } of group) dispositions[index] = "persisted";
    this.events.persisted(shardId, inserted, group.length - inserted);
  }
}

function withDecision(order: AcceptedOrder, claim: Exclude<StockClaim, { status: "conflict" }>): StoredOrder {
  return claim.status === "accepted"
    ? { ...order, status: "accepted" }
    : { ...order, status: "rejected", rejectReason: claim.reason };
}

function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
