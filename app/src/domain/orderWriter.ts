import type { AcceptedOrder } from "./model";
import type { OrderHistory } from "./orderHistory";
import { decodeOrderMessage } from "./orderMessage";
import type { DeadLetters, OrderRepository, StockLedger } from "./ports";

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
  deadLettered(reason: string): void;
  problem(message: string, error: unknown): void;
}

export const releasedReason = "reservation released after a failed publish";

/**
 * Persists a batch of consumed orders: each into its user's shard (one transaction per shard,
 * idempotent on order id), undecodable messages and released reservations to the dead-letter
 * topic. An order whose shard (or Redis, or the dead-letter topic) fails is parked, not lost:
 * the caller keeps its offset uncommitted and offers it again.
 */
export class OrderWriter {
  constructor(
    private readonly orders: OrderRepository,
    private readonly ledger: StockLedger,
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

    let released: Set<string> | undefined;
    try {
      released = await this.ledger.releasedAmong(valid.map((v) => v.order));
    } catch (error) {
      this.events.problem("cannot check released reservations; batch parked", error);
    }
    for (const v of valid) {
      if (released?.has(v.order.orderId)) toDeadLetter.push({ index: v.index, reason: releasedReason });
    }
    const toStore = released ? valid.filter((v) => !released.has(v.order.orderId)) : [];

    await Promise.all([
      ...toDeadLetter.map(async ({ index, reason }) => {
        try {
          const { key, value, partition, offset } = messages[index] as ConsumedMessage;
          await this.deadLetters.send(
            { ...(key === undefined ? {} : { key }), value: value ?? "", partition, offset },
            reason,
          );
          dispositions[index] = "dead_lettered";
          this.events.deadLettered(reason);
        } catch (error) {
          this.events.problem("dead-letter publish failed; message parked", error);
        }
      }),
      ...[...groupBy(toStore, (v) => this.orders.shardFor(v.order.userId))].map(async ([shardId, group]) => {
        let inserted: number;
        try {
          inserted = await this.orders.insertBatch(
            shardId,
            group.map((g) => g.order),
          );
        } catch (error) {
          this.events.problem(`shard ${shardId} write failed; ${group.length} orders parked`, error);
          return;
        }
        for (const { index } of group) dispositions[index] = "persisted";
        this.events.persisted(shardId, inserted, group.length - inserted);
      }),
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
