import { createHash } from "node:crypto";
import { Cluster, Redis } from "ioredis";
import type { RuntimeConfig } from "../../contract/runtimeConfig";
import type { Logger } from "../../observability/logger";

export type RedisClient = Redis | Cluster;

/**
 * One client for the whole process. Commands never queue while Redis is unreachable
 * (enableOfflineQueue: false) and time out after `commandTimeoutMs`, so callers fail fast instead
 * of hanging; the client keeps reconnecting in the background, so recovery needs no restart.
 */
export function createRedisClient(
  config: RuntimeConfig["redis"],
  password: string,
  commandTimeoutMs: number,
  logger: Logger,
): RedisClient {
  const reconnectDelay = (attempt: number) => Math.min(100 * 2 ** Math.min(attempt, 5), 2_000);
  const connection = {
    password,
    tls: config.tls ? {} : undefined,
    connectTimeout: 2_000,
    commandTimeout: commandTimeoutMs,
    maxRetriesPerRequest: 1,
  };
  const client: RedisClient = config.clusterMode
    ? new Cluster([{ host: config.configurationEndpoint, port: config.port }], {
        redisOptions: connection,
        enableOfflineQueue: false,
        enableAutoPipelining: true,
        lazyConnect: true,
        clusterRetryStrategy: reconnectDelay,
        // ElastiCache TLS certificates name the configuration endpoint, not the node IPs.
        dnsLookup: (address, callback) => callback(null, address),
      })
    : new Redis({
        ...connection,
        host: config.configurationEndpoint,
        port: config.port,
        enableOfflineQueue: false,
        enableAutoPipelining: true,
        lazyConnect: true,
        retryStrategy: reconnectDelay,
      });
  let connected = false;
  client.on("ready", () => {
    connected = true;
    logger.info({ dependency: "redis" }, "redis connected");
  });
  client.on("error", (error: Error) => {
    if (connected) logger.warn({ dependency: "redis", err: error.message }, "redis connection error");
    connected = false;
  });
  return client;
}

/** A Lua script run by SHA, loaded on first use and again after a server restart (NOSCRIPT). */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash("sha1").update(source).digest("hex");
  }

  async run(
    client: RedisClient,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return client.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
