import type { PoolConnection, RowDataPacket } from "mysql2/promise";
import type { AcceptedOrder, RejectReason } from "../../domain/model";
import type { SoldCounter, StockClaim } from "../../domain/ports";
import type { SchemaMigrator } from "./schema";
import type { ShardPools } from "./shardPools";

interface PriorClaim {
  readonly sku: string;
  readonly quantity: number;
  /** acceptedAt of the attempt that was decided. */
  readonly attemptAt: string;
  readonly claim: StockClaim;
}

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
        const sold = await this.lockSkus(connection, orders);
        const { skus, decided } = await this.readUnderLock(connection, orders, sold);
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

  /** Locks the batch's SKU counters (creating missing ones) and returns units sold per SKU. */
  private async lockSkus(
    connection: PoolConnection,
    orders: readonly AcceptedOrder[],
  ): Promise<Map<string, number>> {
    const skus = [...new Set(orders.map((o) => o.sku))].sort();
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
    return new Map(counters.map((row) => [row.sku as string, Number(row.sold)]));
  }

  /**
   * Everything the decisions need, read in one round trip while the counters are locked (the
   * lock's holder pays each round trip once per batch in flight): the SKUs' stock and limits,
   * the units each buyer holds, and the claims already made for these order ids. It is the
   * transaction's first consistent read, so its snapshot is taken under the lock and sees every
   * claim committed by the lock's previous holder.
   */
  private async readUnderLock(
    connection: PoolConnection,
    orders: readonly AcceptedOrder[],
    sold: ReadonlyMap<string, number>,
  ): Promise<{ skus: Map<string, SkuState>; decided: Map<string, PriorClaim> }> {
    const skuList = [...sold.keys()];
    const [rows] = await connection.query<RowDataPacket[]>(
      `SELECT 'stock' AS kind, sku, NULL AS user_id, NULL AS order_id, flash_sale_stock AS units,
              per_user_limit AS unit_limit, NULL AS attempt_at, NULL AS status, NULL AS reject_reason
         FROM catalog_items WHERE sku IN (?)
       UNION ALL
       SELECT 'held', sku, user_id, NULL, SUM(quantity), NULL, NULL, NULL, NULL
         FROM stock_claims WHERE sku IN (?) AND user_id IN (?) AND status = 'accepted' GROUP BY sku, user_id
       UNION ALL
       SELECT 'claim', sku, NULL, order_id, quantity, NULL, attempt_at, status, reject_reason
         FROM stock_claims WHERE order_id IN (?)`,
      [skuList, skuList, [...new Set(orders.map((o) => o.userId))], orders.map((o) => o.orderId)],
    );
    const skus = new Map<string, SkuState>();
    for (const [sku, units] of sold) {
      skus.set(sku, {
        stock: 0,
        sold: units,
        soldBefore: units,
        limit: this.defaultPerUserLimit,
        bought: new Map(),
        inCatalog: false,
      });
    }
    const decided = new Map<string, PriorClaim>();
    for (const row of rows) {
      const state = skus.get(row.sku as string);
      if (row.kind === "stock" && state) {
        state.stock = Number(row.units);
        state.inCatalog = true;
        if (row.unit_limit !== null) state.limit = Number(row.unit_limit);
      } else if (row.kind === "held") {
        state?.bought.set(row.user_id as string, Number(row.units));
      } else if (row.kind === "claim") {
        decided.set(row.order_id as string, {
          sku: row.sku as string,
          quantity: Number(row.units),
          attemptAt: row.attempt_at as string,
          claim:
            row.status === "accepted"
              ? { status: "accepted" }
              : { status: "rejected", reason: row.reject_reason as RejectReason },
        });
      }
    }
    return { skus, decided };
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
