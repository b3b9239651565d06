import type { CatalogItem } from "./model";
import type { CatalogRepository } from "./ports";
import type { CacheTier, TieredCache } from "./tieredCache";

/** Catalog reads, all through the tiered cache: the home page and single SKUs. */
export class Catalog {
  constructor(
    private readonly repository: CatalogRepository,
    private readonly cache: TieredCache,
  ) {}

  async home(): Promise<{ items: CatalogItem[]; tier: CacheTier }> {
    const { value, tier } = await this.cache.get("catalog:home", () => this.repository.listHome());
    return { items: value ?? [], tier };
  }

  /** Unknown SKUs are cached as "not found" too, so a flood of made-up SKUs stays off the database. */
  async item(sku: string): Promise<CatalogItem | undefined> {
    const { value } = await this.cache.get(`catalog:item:${sku}`, () => this.repository.findItem(sku));
    return value;
  }
}
