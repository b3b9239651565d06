import { randomUUID } from "node:crypto";
import type { RowDataPacket } from "mysql2/promise";
import { SchemaMigrator } from "../src/adapters/mysql/schema";
import { ShardPools } from "../src/adapters/mysql/shardPools";
import { JwtSessionTokens } from "../src/adapters/sessionTokens";
import { runtimeConfigSchema } from "../src/contract/runtimeConfig";
import { createLogger } from "../src/observability/logger";
import { Metrics } from "../src/observability/metrics";
import type { LocalStack } from "../test/support/localStack";

/**
 * The app's schema on every shard, applied by the app's own migrator: the worker would apply it
 * on start, but the HTTP phases run before any worker does.
 */
export async function applySchema(stack: LocalStack): Promise<void> {
  const config = runtimeConfigSchema.parse(stack.config());
  const logins = new Map(
    stack.services.mysqlShards.map((s, id) => [id, { username: s.user, password: s.password }] as const),
  );
  const pools = new ShardPools(
    config.mysql,
    logins,
    { queryTimeoutMs: 30_000, connectionLimit: 1 },
    new Metrics(),
  );
  try {
    const migrator = new SchemaMigrator(pools, createLogger("bench", "warn"));
    await Promise.all(pools.shards.map((shard) => migrator.ensure(shard)));
  } finally {
    await pools.close();
  }
}

/** The catalog lives on shard 0 (the app's catalog shard). */
function catalogShard(stack: LocalStack) {
  const shard = stack.shards[0];
  if (!shard) throw new Error("the local stack has no shard 0");
  return shard;
}

/** Listed items, so `GET /v1/catalog/home` answers a page of a realistic size. */
export async function seedCatalogHome(stack: LocalStack, items: number): Promise<void> {
  const rows = Array.from({ length: items }, (_, i) => [
    `home-${String(i).padStart(3, "0")}`,
    `Flash sale item ${i}: limited edition, free shipping`,
    1_990 + i * 100,
    1_000,
    1,
    i,
  ]);
  await catalogShard(stack).query(
    "INSERT INTO catalog_items (sku, name, price_cents, flash_sale_stock, listed, sort_order) VALUES ?",
    [rows],
  );
}

/**
 * A flash-sale SKU with `stock` units and no per-user limit that the load could reach. Listed
 * (unlisted SKUs are not for sale), but sorted after every home-page item, so the home page stays
 * as it is.
 */
export async function seedFlashSale(stack: LocalStack, stock: number): Promise<string> {
  const sku = `bench-${randomUUID().slice(0, 8)}`;
  await catalogShard(stack).query(
    "INSERT INTO catalog_items (sku, name, price_cents, flash_sale_stock, listed, sort_order, per_user_limit) VALUES (?, ?, ?, ?, 1, 2147483647, ?)",
    [sku, `Benchmark item ${sku}`, 990, stock, stock],
  );
  return sku;
}

export interface Session {
  readonly userId: string;
  readonly token: string;
}

/** Sessions of `count` distinct new users, signed with the stack's key as POST /v1/session would. */
export async function issueSessions(stack: LocalStack, count: number): Promise<Session[]> {
  const tokens = new JwtSessionTokens(stack.signingKey, 3_600);
  const run = randomUUID().slice(0, 8);
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const userId = `bench${run}u${i}`;
      return { userId, token: (await tokens.issue(userId)).token };
    }),
  );
}

/** Session tokens for `count` distinct users (see {@link issueSessions}). */
export async function issueTokens(stack: LocalStack, count: number): Promise<string[]> {
  return (await issueSessions(stack, count)).map((session) => session.token);
}

/** Orders of `sku` stored across every shard. */
export async function countStoredOrders(stack: LocalStack, sku: string): Promise<number> {
  const counts = await Promise.all(
    stack.shards.map((pool) =>
      pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM orders WHERE sku = ?", [sku]),
    ),
  );
  return counts.reduce((sum, [rows]) => sum + Number(rows[0]?.n ?? 0), 0);
}

/**
 * When the first and the last order of `sku` were stored (epoch ms), from the rows' own
 * `persisted_at` (the database's clock, the machine's): exact, where polling the count is not.
 */
export async function storedOrderSpan(
  stack: LocalStack,
  sku: string,
): Promise<{ firstMs: number; lastMs: number }> {
  const spans = await Promise.all(
    stack.shards.map((pool) =>
      pool.query<RowDataPacket[]>(
        "SELECT UNIX_TIMESTAMP(MIN(persisted_at)) * 1000 AS firstMs, UNIX_TIMESTAMP(MAX(persisted_at)) * 1000 AS lastMs FROM orders WHERE sku = ?",
        [sku],
      ),
    ),
  );
  const rows = spans
    .map(([found]) => found[0])
    .filter((row) => row?.firstMs !== null && row?.firstMs !== undefined);
  return {
    firstMs: Math.min(...rows.map((row) => Number(row?.firstMs))),
    lastMs: Math.max(...rows.map((row) => Number(row?.lastMs))),
  };
}
