import { DependencyGuard } from "../adapters/dependencyGuard";
import { KafkaProducer } from "../adapters/kafka/producer";
import { MysqlOrderRepository } from "../adapters/mysql/orderRepository";
import { SchemaMigrator } from "../adapters/mysql/schema";
import { ShardPools } from "../adapters/mysql/shardPools";
import { MysqlSoldCounter } from "../adapters/mysql/soldCounter";
import { createRedisClient, type RedisClient } from "../adapters/redis/client";
import { RedisSharedCache } from "../adapters/redis/sharedCache";
import { RedisStockLedger } from "../adapters/redis/stockLedger";
import type { RuntimeConfig } from "../contract/runtimeConfig";
import { OrderHistory } from "../domain/orderHistory";
import type { ReadinessCheck } from "../http/routes/health";
import type { Logger } from "../observability/logger";
import type { Metrics } from "../observability/metrics";
import type { StoreCredentials } from "./credentials";

/** The clients both modes share, built from RuntimeConfig and the mounted secrets. */
export interface SharedDependencies {
  readonly redis: RedisClient;
  readonly redisGuard: DependencyGuard;
  readonly sharedCache: RedisSharedCache;
  readonly ledger: RedisStockLedger;
  readonly pools: ShardPools;
  /** Applied by the worker before its first write to a shard; the API only reads. */
  readonly schema: SchemaMigrator;
  readonly orderRepository: MysqlOrderRepository;
  readonly soldCounter: MysqlSoldCounter;
  readonly producer: KafkaProducer;
  readonly orderHistory: OrderHistory;
  readonly readiness: ReadinessCheck[];
  /** Flushes the producer, then closes Redis and the pools. */
  close(): Promise<void>;
}

/** Connects the clients both modes share with the data stores' credentials read at boot. */
export function connectDependencies(
  config: RuntimeConfig,
  credentials: StoreCredentials,
  metrics: Metrics,
  logger: Logger,
  clientId: string,
): SharedDependencies {
  const timeouts = config.service.timeouts;
  const redis = createRedisClient(config.redis, credentials.redisPassword, timeouts.redisMs, logger);
  // Not awaited: the app starts (and serves L1 reads) while Redis is still unreachable.
  redis.connect().catch((error: Error) => logger.warn({ err: error.message }, "redis not reachable at boot"));
  const redisGuard = new DependencyGuard("redis", { timeoutMs: timeouts.redisMs * 2 }, metrics);
  const sharedCache = new RedisSharedCache(redis, redisGuard);
  const ledger = new RedisStockLedger(redis, redisGuard, {
    idempotencySeconds: config.service.orders.idempotencySeconds,
    leaseSeconds: config.service.orders.reservationLeaseSeconds,
  });
  const pools = new ShardPools(
    config.mysql,
    credentials.shards,
    { queryTimeoutMs: timeouts.mysqlMs, connectionLimit: 10 },
    metrics,
  );
  const kafkaGuard = new DependencyGuard("kafka", { timeoutMs: timeouts.kafkaPublishMs }, metrics);
  const producer = new KafkaProducer(
    config.kafka,
    credentials.kafka,
    kafkaGuard,
    clientId,
    timeouts.kafkaPublishMs,
  );
  const schema = new SchemaMigrator(pools, logger);
  const orderRepository = new MysqlOrderRepository(pools, schema);
  const soldCounter = new MysqlSoldCounter(pools, schema, config.service.orders.perUserLimit);
  const orderHistory = new OrderHistory(orderRepository, sharedCache, {
    pageSize: config.service.orders.pageSize,
    cacheSeconds: config.service.cache.redisSeconds,
  });

  const readiness: ReadinessCheck[] = [
    { name: "redis", check: () => redisGuard.run(() => redis.ping()).then(() => undefined) },
    ...pools.shards.flatMap((shard) => [
      {
        name: `mysql-shard-${shard.id}-writer`,
        check: () => shard.guard.run(() => shard.writer.query("SELECT 1")).then(() => undefined),
      },
      {
        name: `mysql-shard-${shard.id}-reader`,
        check: () => shard.guard.run(() => shard.reader.query("SELECT 1")).then(() => undefined),
      },
    ]),
    { name: "kafka", check: () => producer.check() },
  ];

  return {
    redis,
    redisGuard,
    sharedCache,
    ledger,
    pools,
    schema,
    orderRepository,
    soldCounter,
    producer,
    orderHistory,
    readiness,
    async close() {
      await producer
        .close()
        .catch((error: Error) => logger.warn({ err: error.message }, "producer close failed"));
      redis.disconnect();
      redisGuard.shutdown();
      kafkaGuard.shutdown();
      await pools.close();
    },
  };
}
