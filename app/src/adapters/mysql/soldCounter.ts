import type { PoolConnection, RowDataPacket } from "mysql2/promise";
import type { AcceptedOrder } from "../../domain/model";
import type { SoldCounter, StockClaim } from "../../domain/ports";
import type { SchemaMigrator } from "./schema";
import type { ShardPools } from "./shardPools";

interface SkuState {
  stock: number;
  sold: number;
  readonly soldBefore: number;
  limit: number;
  /** Units each buyer already holds (accepted claims). */
  readonly bought: Map<string, number>;
  inCatalog: boolean;
}

/**
 * Units sold per SKU and one claim row per order id, on the catalog shard. A batch is decided in
 * one transaction that locks its SKUs' counters (in SKU order, so concurrent workers cannot
 * deadlock on each other) and then reads the claims, so two workers given the same order
 * (a rebalance) decide it once: the second sees the first one's claim.
 */
export class MysqlSoldCounter implements SoldCounter {
  constructor(
    private readonly pools: ShardPools,
    private readonly schema: SchemaMigrator,
    private readonly defaultPerUserLimit: number,
  ) {}

  async stockOfRecord(sku: string): Promise<{ remaining: number; decidedBefore: boolean }> {
    const shard = this.pools.catalogShard;
    // The writer, not a replica: a lagging replica would report stock that is already sold.
    const [rows] = await shard.guard.run(() =>
      shard.writer.query<RowDataPacket[]>(
        `SELECT CAST(c.flash_sale_stock AS SIGNED) - COALESCE(s.sold, 0) AS remaining, s.sku IS NOT NULL AS decided
         FROM catalog_items c LEFT JOIN sku_sales s ON s.sku = c.sku WHERE c.sku = ?`,
        [sku],
      ),
    );
    const row = rows[0];
    return { remaining: Math.max(0, Number(row?.remaining ?? 0)), decidedBefore: Number(row?.decided) === 1 };
  }

  async decided(orderId: string): Promise<{ sku: string; quantity: number } | undefined> {
    const shard = this.pools.catalogShard;
    const [rows] = await shard.guard.run(() =>
      shard.writer.query<RowDataPacket[]>("SELECT sku, quantity FROM stock_claims WHERE order_id = ?", [
        orderId,
      ]),
    );
    const row = rows[0];
    return row ? { sku: row.sku as string, quantity: Number(row.quantity) } : undefined;
  }

  async claim(
    orders: readonly AcceptedOrder[],
  ): Promise<{ claims: Map<string, StockClaim>; fresh: Set<string>; reattempts: AcceptedOrder[] }> {
    const claims = new Map<string, StockClaim>();
    const fresh = new Set<string>();
    const reattempts: AcceptedOrder[] = [];
    if (orders.length === 0) return { claims, fresh, reattempts };
    const shard = this.pools.catalogShard;
    await this.schema.ensure(shard);
    return shard.guard.run(async () => {
      const connection = await shard.writer.getConnection();
      try {
        await connection.beginTransaction();
        const skus = await this.lockSkus(connection, orders);
        const decided = await this.priorClaims(connection, orders);
        const inserts: unknown[][] = [];
        const attempts = new Map<string, string>();
        for (const order of orders) {
          const seen = attempts.get(order.orderId);
          if (seen !== undefined) {
            // The same order twice in one batch: a redelivery, or a retry's second attempt.
            if (seen !== order.acceptedAt && claims.get(order.orderId)?.status !== "conflict")
              reattempts.push(order);
            continue;
          }
          attempts.set(order.orderId, order.acceptedAt);
          const prior = decided.get(order.orderId);
          if (prior) {
            const same = prior.sku === order.sku && prior.quantity === order.quantity;
            claims.set(order.orderId, same ? prior.claim : { status: "conflict" });
            if (same && prior.attemptAt !== order.acceptedAt) reattempts.push(order);
            continue;
          }
          const claim = decide(order, skus.get(order.sku));
          claims.set(order.orderId, claim);
          fresh.add(order.orderId);
          inserts.push([
            order.orderId,
            order.sku,
            order.userId,
            order.quantity,
            order.acceptedAt,
            claim.status,
            claim.status === "rejected" ? claim.reason : null,
          ]);
        }
        if (inserts.length > 0) {
          await connection.query(
            "INSERT INTO stock_claims (order_id, sku, user_id, quantity, attempt_at, status, reject_reason) VALUES ?",
            [inserts],
          );
          for (const [sku, state] of skus) {
            if (state.sold !== state.soldBefore)
              await connection.query("UPDATE sku_sales SET sold = ? WHERE sku = ?", [state.sold, sku]);
          }
        }
        await connection.commit();
        return { claims, fresh, reattempts };
      } catch (error) {
        await connection.rollback().catch(() => undefined);
        throw error;
      } finally {
        connection.release();
      }
    });
  }

  private async lockSkus(
    connection: PoolConnection,
    orders: readonly AcceptedOrder[],
  ): Promise<Map<string, SkuState>> {
    const skus = [...new Set(orders.map((o) => o.sku))].sort();
    const users = [...new Set(orders.map((o) => o.userId))];
    const lock = () =>
      connection.query<RowDataPacket[]>(
        "SELECT sku, sold FROM sku_sales WHERE sku IN (?) ORDER BY sku FOR UPDATE",
        [skus],
      );
    let [counters] = await lock();
    if (counters.length < skus.length) {
      // A SKU's first decision creates its counter. Only then, and not with INSERT IGNORE: its
      // duplicate-key check takes a shared lock, and two batches (of one worker or of two) that
      // waited on the creator would both upgrade theirs to FOR UPDATE and deadlock. ON DUPLICATE
      // KEY UPDATE takes the exclusive lock at once (MySQL manual, "Locks Set by Different SQL
      // Statements in InnoDB"), so they queue instead.
      const known = new Set(counters.map((row) => row.sku as string));
      const missing = skus.filter((sku) => !known.has(sku)).map((sku) => [sku, 0]);
      await connection.query(
        "INSERT INTO sku_sales (sku, sold) VALUES ? ON DUPLICATE KEY UPDATE sold = sold",
        [missing],
      );
      [counters] = await lock();
    }
    const [items] = await connection.query<RowDataPacket[]>(
      "SELECT sku, flash_sale_stock, per_user_limit FROM catalog_items WHERE sku IN (?)",
      [skus],
    );
    const [holdings] = await connection.query<RowDataPacket[]>(
      `SELECT sku, user_id, SUM(quantity) AS units FROM stock_claims
       WHERE sku IN (?) AND user_id IN (?) AND status = 'accepted' GROUP BY sku, user_id`,
      [skus, users],
    );
    const states = new Map<string, SkuState>();
    for (const row of counters) {
      states.set(row.sku as string, {
        stock: 0,
        sold: Number(row.sold),
        soldBefore: Number(row.sold),
        limit: this.defaultPerUserLimit,
        bought: new Map(),
        inCatalog: false,
      });
    }
    for (const row of items) {
      const state = states.get(row.sku as string);
      if (!state) continue;
      state.stock = Number(row.flash_sale_stock);
      state.inCatalog = true;
      if (row.per_user_limit !== null) state.limit = Number(row.per_user_limit);
    }
    for (const row of holdings) states.get(row.sku as string)?.bought.set(row.user_id, Number(row.units));
    return states;
  }

  private async priorClaims(
    connection: PoolConnection,
    orders: readonly AcceptedOrder[],
  ): Promise<Map<string, { sku: string; quantity: number; attemptAt: string; claim: StockClaim }>> {
    const [rows] = await connection.query<RowDataPacket[]>(
      "SELECT order_id, sku, quantity, attempt_at, status, reject_reason FROM stock_claims WHERE order_id IN (?)",
      [orders.map((o) => o.orderId)],
    );
    return new Map(
      rows.map((row) => [
        row.order_id as string,
        {
          sku: row.sku as string,
          quantity: Number(row.quantity),
          attemptAt: row.attempt_at as string,
          claim:
            row.status === "accepted"
              ? { status: "accepted" as const }
              : { status: "rejected" as const, reason: row.reject_reason },
        },
      ]),
    );
  }
}

/** Accepts the order into the SKU's state when stock and the buyer's limit allow it. */
function decide(order: AcceptedOrder, state: SkuState | undefined): StockClaim {
  if (!state?.inCatalog) return { status: "rejected", reason: "not_for_sale" };
  if (state.sold + order.quantity > state.stock) return { status: "rejected", reason: "sold_out" };
  const held = state.bought.get(order.userId) ?? 0;
  if (held + order.quantity > state.limit) return { status: "rejected", reason: "limit_reached" };
  state.sold += order.quantity;
  state.bought.set(order.userId, held + order.quantity);
  return { status: "accepted" };
}
