import type { ResultSetHeader, RowDataPacket } from "mysql2/promise";
import type { RejectReason, StoredOrder } from "../../domain/model";
import type { OrderPosition, OrderRepository } from "../../domain/ports";
import type { SchemaMigrator } from "./schema";
import type { ShardPools } from "./shardPools";

interface OrderRow extends RowDataPacket {
  order_id: string;
  user_id: string;
  sku: string;
  quantity: number;
  unit_price_cents: number | string;
  idempotency_key: string;
  accepted_at: string;
  status: string;
  reject_reason: string | null;
}

export class MysqlOrderRepository implements OrderRepository {
  constructor(
    private readonly pools: ShardPools,
    private readonly schema: SchemaMigrator,
  ) {}

  shardFor(userId: string): number {
    return this.pools.ring.shardFor(userId);
  }

  async insertBatch(shardId: number, orders: readonly StoredOrder[]): Promise<number> {
    if (orders.length === 0) return 0;
    const shard = this.pools.shard(shardId);
    await this.schema.ensure(shard);
    // INSERT IGNORE on the primary key makes a redelivered batch a no-op for orders already stored;
    // the unique (user_id, idempotency_key) refuses a second order for one key whatever Redis said.
    // Rows go in order id order: two batches in flight that share orders (a re-publish) then take
    // their row locks in the same order and wait for each other instead of deadlocking.
    const rows = [...orders]
      .sort(byOrderId)
      .map((o) => [
        o.orderId,
        o.userId,
        o.sku,
        o.quantity,
        o.unitPriceCents,
        o.idempotencyKey,
        toMysqlTime(o.acceptedAt),
        o.status,
        o.rejectReason ?? null,
      ]);
    const [result] = await shard.guard.run(() =>
      shard.writer.query<ResultSetHeader>(
        "INSERT IGNORE INTO orders (order_id, user_id, sku, quantity, unit_price_cents, idempotency_key, accepted_at, status, reject_reason) VALUES ?",
        [rows],
      ),
    );
    return result.affectedRows;
  }

  async listByUser(
    userId: string,
    options: { after?: OrderPosition; limit: number; source: "writer" | "reader" },
  ): Promise<StoredOrder[]> {
    const shard = this.pools.forUser(userId);
    const pool = options.source === "writer" ? shard.writer : shard.reader;
    const after = options.after;
    const [rows] = await shard.guard.run(() =>
      after
        ? pool.query<OrderRow[]>(
            `SELECT * FROM orders WHERE user_id = ? AND (accepted_at, order_id) < (?, ?)
             ORDER BY accepted_at DESC, order_id DESC LIMIT ?`,
            [userId, toMysqlTime(after.acceptedAt), after.orderId, options.limit],
          )
        : pool.query<OrderRow[]>(
            "SELECT * FROM orders WHERE user_id = ? ORDER BY accepted_at DESC, order_id DESC LIMIT ?",
            [userId, options.limit],
          ),
    );
    return rows.map((row) => ({
      orderId: row.order_id,
      userId: row.user_id,
      sku: row.sku,
      quantity: row.quantity,
      unitPriceCents: Number(row.unit_price_cents),
      idempotencyKey: row.idempotency_key,
      acceptedAt: fromMysqlTime(row.accepted_at),
      status: row.status === "rejected" ? "rejected" : "accepted",
      ...(row.reject_reason === null ? {} : { rejectReason: row.reject_reason as RejectReason }),
    }));
  }
}

/** ISO-8601 UTC → MySQL DATETIME(3) (the pools use timezone "Z"). */
const toMysqlTime = (iso: string) => iso.replace("T", " ").replace("Z", "");
const fromMysqlTime = (value: string) => `${value.replace(" ", "T")}Z`;

function byOrderId(a: StoredOrder, b: StoredOrder): number {
  return a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0;
}
