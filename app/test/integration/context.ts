import { randomUUID } from "node:crypto";
import type { RowDataPacket } from "mysql2/promise";
import { ShardRing } from "../../src/adapters/mysql/shardRing";
import { JwtSessionTokens } from "../../src/adapters/sessionTokens";
import type { RuntimeConfigInput } from "../../src/contract/runtimeConfig";
import { type AppProcess, freeLoopbackPort, startApp } from "../support/appProcess";
import { startFakeWeChat } from "../support/fakeWeChat";
import { call, eventually, type Reply } from "../support/http";
import { type LocalStack, startLocalStack } from "../support/localStack";

export const wechatApp = { appId: "wx-test-app", appSecret: "wechat-app-secret-for-tests" };

/** Settings every app process in the suite starts with (tests may add to them). */
export const suiteSettings: RuntimeConfigInput["service"] = {
  drainDelaySeconds: 0,
  shutdownGraceSeconds: 15,
  // Long enough for L1 to outlive a Redis restart in the degradation test.
  cache: { l1Seconds: 30 },
  worker: { batchSize: 100, batchWaitMs: 20 },
};

export interface StoredRow {
  readonly orderId: string;
  readonly userId: string;
  readonly quantity: number;
  readonly idempotencyKey: string;
  readonly status: string;
}

/** Everything the scenarios share: the servers, one API and one worker process, helpers. */
export class Context {
  api!: AppProcess;
  worker!: AppProcess;
  private readonly tokens: JwtSessionTokens;
  readonly ring = new ShardRing([0, 1]);

  private constructor(
    readonly stack: LocalStack,
    readonly wechat: Awaited<ReturnType<typeof startFakeWeChat>>,
  ) {
    this.tokens = new JwtSessionTokens(stack.signingKey, 3_600);
  }

  static async start(log: (line: string) => void): Promise<Context> {
    const stack = await startLocalStack(log);
    const wechat = await startFakeWeChat(wechatApp.appId, wechatApp.appSecret);
    const context = new Context(stack, wechat);
    try {
      context.worker = await context.startWorker();
      context.api = await context.startApi();
    } catch (error) {
      await context.stop();
      throw error;
    }
    return context;
  }

  /** Environment for an app process: inline RuntimeConfig with its own port, secrets as variables. */
  env(port: number, settings: RuntimeConfigInput["service"] = {}): Record<string, string> {
    const service = { ...suiteSettings, ...settings, httpPort: port };
    return {
      ...this.stack.secretEnv(),
      CREST_RUNTIME_CONFIG_JSON: JSON.stringify(this.stack.config(service, this.wechat.baseUrl)),
    };
  }

  async startApi(
    settings: RuntimeConfigInput["service"] = {},
    extraEnv: Record<string, string> = {},
  ): Promise<AppProcess> {
    const port = await freeLoopbackPort();
    return startApp("api", { ...this.env(port, settings), ...extraEnv }, port);
  }

  async startWorker(settings: RuntimeConfigInput["service"] = {}): Promise<AppProcess> {
    const port = await freeLoopbackPort();
    return startApp("worker", this.env(port, settings), port);
  }

  get apiUrl(): string {
    return this.api.baseUrl;
  }

  token(userId: string): Promise<string> {
    return this.tokens.issue(userId).then((t) => t.token);
  }

  /** A fresh user id that the shard ring puts on the given shard. */
  userOnShard(shardId: number, prefix = "u"): string {
    for (;;) {
      const user = `${prefix}${randomUUID().replaceAll("-", "").slice(0, 20)}`;
      if (this.ring.shardFor(user) === shardId) return user;
    }
  }

  /** A new flash-sale SKU on the catalog shard (shard 0); listed (for sale) unless told otherwise. */
  async seedSku(
    stock: number,
    options: { listed?: boolean; priceCents?: number; perUserLimit?: number } = {},
  ): Promise<string> {
    const sku = `sku-${randomUUID().slice(0, 8)}`;
    await this.stack.shards[0]?.query(
      "INSERT INTO catalog_items (sku, name, price_cents, flash_sale_stock, listed, per_user_limit) VALUES (?, ?, ?, ?, ?, ?)",
      [
        sku,
        `Item ${sku}`,
        options.priceCents ?? 1_000,
        stock,
        options.listed === false ? 0 : 1,
        options.perUserLimit ?? null,
      ],
    );
    return sku;
  }

  placeOrder(
    token: string,
    sku: string,
    key: string,
    body: unknown = { quantity: 1 },
    baseUrl = this.apiUrl,
  ): Promise<Reply> {
    return call(baseUrl, "POST", `/v1/flash-sales/${sku}/orders`, {
      token,
      body,
      headers: { "idempotency-key": key },
    });
  }

  /** Rows for a SKU across the given shards. */
  async storedOrders(sku: string, shardIds: readonly number[] = [0, 1]): Promise<StoredRow[]> {
    const rows: StoredRow[] = [];
    for (const id of shardIds) {
      const [found] = await (this.stack.shards[id] as NonNullable<LocalStack["shards"][number]>).query<
        RowDataPacket[]
      >("SELECT order_id, user_id, quantity, idempotency_key, status FROM orders WHERE sku = ?", [sku]);
      rows.push(
        ...found.map((r) => ({
          orderId: r.order_id as string,
          userId: r.user_id as string,
          quantity: r.quantity as number,
          idempotencyKey: r.idempotency_key as string,
          status: r.status as string,
        })),
      );
    }
    return rows;
  }

  waitForStoredOrders(sku: string, count: number, timeoutMs = 30_000) {
    return eventually(
      `${count} orders of ${sku} stored`,
      async () => {
        const rows = await this.storedOrders(sku);
        return rows.length >= count ? rows : undefined;
      },
      timeoutMs,
      100,
    );
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.api?.stop(), this.worker?.stop()]);
    await this.wechat.close();
    await this.stack.stop();
  }
}

/** Reads one sample of a metric from Prometheus text (the sum over matching series). */
export async function metricValue(
  baseUrl: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = (await call(baseUrl, "GET", "/metrics")).body.text ?? "";
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
      sum += Number(line.split(" ").at(-1));
  }
  return sum;
}
