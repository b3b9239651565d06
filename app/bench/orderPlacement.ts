import { randomUUID } from "node:crypto";
import type { LocalStack } from "../test/support/localStack";
import { issueTokens, seedFlashSale } from "./fixtures";
import { type Comparison, compareWithBaseline, type Target } from "./httpLoad";
import type { ServiceSettings } from "./servers";

/**
 * The API runs with a per-user token bucket far above what the load reaches, so every order
 * walks the whole path (limiter script, reservation, Kafka publish) and none stops at a 429.
 */
export const orderBenchSettings = {
  rateLimit: { burst: 10_000, refillPerSecond: 10_000 },
} as const satisfies ServiceSettings;

/** Far more units than two runs can sell, so no order stops at sold_out. */
const stock = 10_000_000;

export interface OrderPlacementFigures extends Comparison {
  readonly path: string;
  readonly connections: number;
  readonly users: number;
  readonly stock: number;
  /** The service settings the API ran with for this phase, in words. */
  readonly settings: string;
}

/**
 * Phase 2: `POST /v1/flash-sales/:sku/orders` from many users (valid session tokens, a unique
 * idempotency key per request) against a bare route that parses the JSON and answers 202.
 */
export async function benchOrderPlacement(
  stack: LocalStack,
  servers: { readonly app: Target; readonly bare: Target },
  options: {
    readonly connections: number;
    readonly users: number;
    readonly durationSeconds: number;
    readonly warmUpSeconds: number;
    readonly progress: (line: string) => void;
  },
): Promise<OrderPlacementFigures> {
  const sku = await seedFlashSale(stack, stock);
  options.progress(`issuing session tokens for ${options.users} users`);
  const tokens = await issueTokens(stack, options.users);
  const keyPrefix = randomUUID().slice(0, 8);
  let sent = 0;
  const perRequestHeaders = () => {
    const n = sent++;
    return {
      authorization: `Bearer ${tokens[n % tokens.length]}`,
      "idempotency-key": `bench-${keyPrefix}-${n}`,
    };
  };
  const path = `/v1/flash-sales/${sku}/orders`;
  const comparison = await compareWithBaseline(
    {
      connections: options.connections,
      method: "POST",
      body: JSON.stringify({ quantity: 1 }),
      perRequestHeaders,
    },
    {
      app: { ...servers.app, url: `${servers.app.url}${path}` },
      bare: { ...servers.bare, url: `${servers.bare.url}${path}` },
    },
    options,
    options.progress,
  );
  const { burst, refillPerSecond } = orderBenchSettings.rateLimit;
  return {
    path: "POST /v1/flash-sales/:sku/orders",
    connections: options.connections,
    users: options.users,
    stock,
    settings: `service.rateLimit = { burst: ${burst}, refillPerSecond: ${refillPerSecond} } per user; flash-sale stock ${stock}; no worker running (orders stay in Kafka)`,
    ...comparison,
  };
}
