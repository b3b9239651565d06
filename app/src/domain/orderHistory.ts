import { InvalidInputError } from "./errors";
import type { StoredOrder } from "./model";
import type { OrderPage, OrderPosition, OrderRepository, SharedCache } from "./ports";

export type PageSource = "redis" | "writer" | "reader";

/**
 * A user's orders, newest first. The first page is cached under the user's version number; the
 * worker bumps the version after it stores the user's orders, so the next read misses and the
 * stale page simply expires. The first page is loaded from the writer (replica lag would put a
 * stale page under the new version); later pages come from the shard reader.
 */
export class OrderHistory {
  constructor(
    private readonly repository: OrderRepository,
    private readonly cache: SharedCache,
    private readonly settings: { readonly pageSize: number; readonly cacheSeconds: number },
  ) {}

  async page(userId: string, cursor?: string): Promise<OrderPage & { source: PageSource }> {
    if (cursor !== undefined) {
      const orders = await this.repository.listByUser(userId, {
        after: decodeCursor(cursor),
        limit: this.settings.pageSize + 1,
        source: "reader",
      });
      return { ...this.toPage(orders), source: "reader" };
    }
    const version = await this.cache.counter(versionKey(userId)).catch(() => undefined);
    const key = version === undefined ? undefined : firstPageKey(userId, version);
    if (key) {
      const cached = await this.cache.get(key).catch(() => null);
      if (cached !== null) return { ...(JSON.parse(cached) as OrderPage), source: "redis" };
    }
    const page = this.toPage(
      await this.repository.listByUser(userId, { limit: this.settings.pageSize + 1, source: "writer" }),
    );
    if (key)
      await this.cache.set(key, JSON.stringify(page), this.settings.cacheSeconds).catch(() => undefined);
    return { ...page, source: "writer" };
  }

  /** After new orders of these users were stored: their cached first pages are no longer used. */
  async invalidate(userIds: Iterable<string>): Promise<void> {
    await Promise.all([...new Set(userIds)].map((userId) => this.cache.increment(versionKey(userId))));
  }

  private toPage(rows: readonly StoredOrder[]): OrderPage {
    const orders = rows.slice(0, this.settings.pageSize);
    const last = orders.at(-1);
    return rows.length > this.settings.pageSize && last
      ? { orders, nextCursor: encodeCursor(last) }
      : { orders };
  }
}

const versionKey = (userId: string) => `orders:{${userId}}:version`;
const firstPageKey = (userId: string, version: number) => `orders:{${userId}}:first:${version}`;

function encodeCursor(order: StoredOrder): string {
  return Buffer.from(JSON.stringify([order.acceptedAt, order.orderId])).toString("base64url");
}

function decodeCursor(cursor: string): OrderPosition {
  try {
    const [acceptedAt, orderId] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (
      typeof acceptedAt === "string" &&
      typeof orderId === "string" &&
      !Number.isNaN(Date.parse(acceptedAt))
    ) {
      return { acceptedAt, orderId };
    }
  } catch {
    // fall through to the error below
  }
  throw new InvalidInputError("query.cursor", "not a cursor returned by a previous page");
}
