import type { RowDataPacket } from "mysql2/promise";
import type { CatalogItem } from "../../domain/model";
import type { CatalogRepository } from "../../domain/ports";
import type { ShardPools } from "./shardPools";

interface CatalogRow extends RowDataPacket {
  sku: string;
  name: string;
  price_cents: number | string;
  flash_sale_stock: number;
  listed: number;
  per_user_limit: number | null;
}

const homeSize = 50;

export class MysqlCatalogRepository implements CatalogRepository {
  constructor(private readonly pools: ShardPools) {}

  async listHome(): Promise<CatalogItem[]> {
    return this.select("WHERE listed = 1 ORDER BY sort_order, sku LIMIT ?", [homeSize]);
  }

  async findItem(sku: string): Promise<CatalogItem | undefined> {
    const [item] = await this.select("WHERE sku = ?", [sku]);
    return item;
  }

  async flashSaleSkus(): Promise<string[]> {
    const shard = this.pools.catalogShard;
    const [rows] = await shard.guard.run(() =>
      shard.reader.query<RowDataPacket[]>("SELECT sku FROM catalog_items WHERE flash_sale_stock > 0"),
    );
    return rows.map((row) => row.sku as string);
  }

  private async select(where: string, params: unknown[]): Promise<CatalogItem[]> {
    const shard = this.pools.catalogShard;
    const [rows] = await shard.guard.run(() =>
      shard.reader.query<CatalogRow[]>(
        `SELECT sku, name, price_cents, flash_sale_stock, listed, per_user_limit FROM catalog_items ${where}`,
        params,
      ),
    );
    return rows.map((row) => ({
      sku: row.sku,
      name: row.name,
      priceCents: Number(row.price_cents),
      flashSaleStock: row.flash_sale_stock,
      listed: row.listed === 1,
      ...(row.per_user_limit === null ? {} : { perUserLimit: row.per_user_limit }),
    }));
  }
}
