import type { RowDataPacket } from "mysql2/promise";
import { smokeProbe } from "../../domain/smokeProbe";
import type { Logger } from "../../observability/logger";
import type { Shard, ShardPools } from "./shardPools";

// Identifiers (SKUs, user ids, idempotency keys) are compared byte for byte, as Redis compares its
// keys: under MySQL's default collation (utf8mb4_0900_ai_ci; MariaDB's utf8mb4_general_ci) `SKU-1`
// found the catalog row of `sku-1` while Redis kept a second stock for it, and two keys differing
// only in case were one (user, key) to MySQL, so the second order was dropped as a duplicate.
const tableOptions = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

/**
 * Additive, idempotent DDL (CREATE TABLE IF NOT EXISTS), the same on every shard. The worker
 * applies it before its first write to a shard; a production rollout would run it as a
 * pre-deploy Job instead, and anything non-additive needs a real migration tool (online DDL).
 */
const statements = [
  `CREATE TABLE IF NOT EXISTS orders (
    order_id CHAR(36) NOT NULL,
    user_id VARCHAR(64) NOT NULL,
    sku VARCHAR(64) NOT NULL,
    quantity INT UNSIGNED NOT NULL,
    unit_price_cents BIGINT UNSIGNED NOT NULL,
    idempotency_key VARCHAR(128) NOT NULL,
    accepted_at DATETIME(3) NOT NULL,
    status VARCHAR(16) NOT NULL DEFAULT 'accepted',
    reject_reason VARCHAR(32) NULL,
    persisted_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (order_id),
    UNIQUE KEY orders_by_user_key (user_id, idempotency_key),
    KEY orders_by_user (user_id, accepted_at, order_id)
  ) ${tableOptions}`,
  `CREATE TABLE IF NOT EXISTS catalog_items (
    sku VARCHAR(64) NOT NULL,
    name VARCHAR(200) NOT NULL,
    price_cents BIGINT UNSIGNED NOT NULL,
    flash_sale_stock INT UNSIGNED NOT NULL DEFAULT 0,
    listed TINYINT(1) NOT NULL DEFAULT 1,
    sort_order INT NOT NULL DEFAULT 0,
    per_user_limit INT UNSIGNED NULL,
    PRIMARY KEY (sku),
    KEY catalog_home (listed, sort_order)
  ) ${tableOptions}`,
  // The final word on stock (catalog shard): units sold per SKU, and one decision per order id,
  // so a redelivered or re-published order is never counted twice.
  `CREATE TABLE IF NOT EXISTS sku_sales (
    sku VARCHAR(64) NOT NULL,
    sold BIGINT UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (sku)
  ) ${tableOptions}`,
  `CREATE TABLE IF NOT EXISTS stock_claims (
    order_id CHAR(36) NOT NULL,
    sku VARCHAR(64) NOT NULL,
    user_id VARCHAR(64) NOT NULL,
    quantity INT UNSIGNED NOT NULL,
    -- acceptedAt of the attempt that was decided: another attempt of the same order id is a
    -- retry after Redis forgot the key, and its reservation is given back.
    attempt_at CHAR(24) NOT NULL,
    status VARCHAR(16) NOT NULL,
    reject_reason VARCHAR(32) NULL,
    claimed_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (order_id),
    KEY stock_claims_by_buyer (sku, user_id)
  ) ${tableOptions}`,
  `CREATE TABLE IF NOT EXISTS sign_ins (
    user_id VARCHAR(64) NOT NULL,
    day DATE NOT NULL,
    points INT UNSIGNED NOT NULL,
    signed_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (user_id, day)
  ) ${tableOptions}`,
  `CREATE TABLE IF NOT EXISTS user_points (
    user_id VARCHAR(64) NOT NULL,
    points BIGINT UNSIGNED NOT NULL,
    PRIMARY KEY (user_id)
  ) ${tableOptions}`,
];

/** Applies the schema once per shard and process; a failed attempt is retried on the next call. */
export class SchemaMigrator {
  private readonly applied = new Map<number, Promise<void>>();

  constructor(
    private readonly pools: ShardPools,
    private readonly logger: Logger,
  ) {}

  ensure(shard: Shard): Promise<void> {
    let pending = this.applied.get(shard.id);
    if (!pending) {
      pending = shard.guard.run(() => this.apply(shard));
      pending.catch(() => this.applied.delete(shard.id));
      this.applied.set(shard.id, pending);
    }
    return pending;
  }

  /** Every shard that answers now; the others are retried when the worker first writes to them. */
  async ensureAll(): Promise<void> {
    const results = await Promise.allSettled(this.pools.shards.map((s) => this.ensure(s)));
    results.forEach((result, i) => {
      const shardId = this.pools.shards[i]?.id;
      if (result.status === "rejected")
        this.logger.warn({ shardId, err: String(result.reason) }, "schema deferred");
    });
  }

  private async apply(shard: Shard): Promise<void> {
    for (const sql of statements) await shard.writer.query(sql);
    await refuseFoldingCollations(shard);
    if (shard.id === this.pools.catalogShard.id) {
      await shard.writer.query(
        "INSERT IGNORE INTO catalog_items (sku, name, price_cents, flash_sale_stock, listed, per_user_limit) VALUES (?, ?, 0, ?, 0, ?)",
        [smokeProbe.sku, smokeProbe.name, smokeProbe.stock, smokeProbe.stock],
      );
    }
    this.logger.info({ shardId: shard.id }, "schema applied");
  }
}

/**
 * Tables created before the binary collation keep their old one (CREATE TABLE IF NOT EXISTS does
 * not alter them): writing to them would fold case again, so the schema step fails, naming the
 * columns and the statement that converts them (a table rebuild: an online schema change tool).
 */
export async function refuseFoldingCollations(shard: {
  readonly id: number;
  readonly writer: Pick<Shard["writer"], "query">;
}): Promise<void> {
  const [rows] = await shard.writer.query<RowDataPacket[]>(
    `SELECT TABLE_NAME AS tableName, COLUMN_NAME AS columnName, COLLATION_NAME AS collation
       FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = DATABASE() AND COLLATION_NAME <> 'utf8mb4_bin'
      ORDER BY TABLE_NAME, ORDINAL_POSITION`,
  );
  if (rows.length === 0) return;
  const columns = rows.map((r) => `${r.tableName}.${r.columnName} (${r.collation})`).join(", ");
  const convert = [...new Set(rows.map((r) => r.tableName as string))]
    .map((t) => `ALTER TABLE ${t} CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`)
    .join("; ");
  throw new Error(
    `shard ${shard.id}: columns ${columns} compare case-insensitively; allowed: utf8mb4_bin. Convert them first: ${convert}`,
  );
}
