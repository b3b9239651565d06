import { createServicesFolder, removeServicesFolder, sweepOrphans } from "./cleanup";
import { readServiceOverrides } from "./external";
import { startKafka } from "./kafka";
import { startMysqlShard } from "./mariadb";
import { startRedis } from "./redis";
import type {
  ControllableServer,
  KafkaService,
  LocalServices,
  LocalServicesOptions,
  MysqlShardService,
  RedisService,
} from "./types";

export { listKafkaTopics } from "./kafka";
export { mysqlQuery } from "./mariadb";
export { RespError, type RespValue, redisCommand } from "./resp";
export * from "./types";

/** Each shard is a whole server; past this a test wants a smaller shard count, not a bigger machine. */
const maxLocalShards = 16;

function checkOptions(options: LocalServicesOptions): void {
  const shards = options.mysqlShards ?? 0;
  if (!Number.isInteger(shards) || shards < 0 || shards > maxLocalShards) {
    throw new Error(`mysqlShards: ${shards} is not allowed: a whole number from 0 to ${maxLocalShards}`);
  }
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

/**
 * Starts the requested servers on free loopback ports, in parallel, from the binaries that
 * tools/services/install.sh installs; servers named by REDIS_URL, MYSQL_SHARDS or KAFKA_BROKERS are
 * used instead. If one fails to start, the others are stopped and the error names it, with its log.
 */
export async function startLocalServices(options: LocalServicesOptions): Promise<LocalServices> {
  checkOptions(options);
  const progress = options.onProgress ?? (() => {});
  const overrides = readServiceOverrides(process.env);
  const shardCount = options.mysqlShards ?? 0;
  if (overrides.mysqlShards && overrides.mysqlShards.length < shardCount) {
    throw new Error(
      `MYSQL_SHARDS: names ${overrides.mysqlShards.length} shard(s) but ${shardCount} were asked for: name at least ${shardCount}`,
    );
  }
  const wantLocal = {
    redis: options.redis === true && !overrides.redis,
    shards: overrides.mysqlShards ? 0 : shardCount,
    kafka: options.kafka === true && !overrides.kafka,
  };

  const started: ControllableServer[] = [];
  let folder: string | undefined;
  const stopEverything = async () => {
    const stopping = started.splice(0).map((server) => server.stop());
    const results = await Promise.allSettled(stopping);
    if (folder !== undefined) removeServicesFolder(folder, stopAll);
    folder = undefined;
    const failed = results.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
  };
  // One teardown, however many callers (a signal handler and a test's `after`, say) ask for it:
  // a second run would delete the folder while the first still waits for servers to save and exit.
  let teardown: Promise<void> | undefined;
  const stopAll = (): Promise<void> => {
    teardown ??= stopEverything();
    return teardown;
  };
  const timed = async <T extends ControllableServer>(name: string, start: () => Promise<T>): Promise<T> => {
    const since = performance.now();
    const server = await start();
    started.push(server);
    progress(`${name}: ready in ${seconds(since)}`);
    return server;
  };

  let redis: RedisService | undefined = options.redis ? overrides.redis : undefined;
  let mysqlShards: readonly MysqlShardService[] = overrides.mysqlShards?.slice(0, shardCount) ?? [];
  let kafka: KafkaService | undefined = options.kafka ? overrides.kafka : undefined;
  if (redis) progress(`redis: using ${redis.host}:${redis.port} (REDIS_URL)`);
  for (const [i, shard] of mysqlShards.entries()) {
    progress(`mysql shard ${i}: using ${shard.host}:${shard.port} (MYSQL_SHARDS)`);
  }
  if (kafka) progress(`kafka: using ${kafka.brokers.join(",")} (KAFKA_BROKERS)`);

  if (wantLocal.redis || wantLocal.shards > 0 || wantLocal.kafka) {
    sweepOrphans(progress);
    const servicesFolder = createServicesFolder(stopAll);
    folder = servicesFolder;
    const since = performance.now();
    const starting = {
      redis: wantLocal.redis ? timed("redis", () => startRedis(servicesFolder, progress)) : undefined,
      shards: Array.from({ length: wantLocal.shards }, (_, i) =>
        timed(`mysql shard ${i}`, () => startMysqlShard(servicesFolder, i, progress)),
      ),
      kafka: wantLocal.kafka ? timed("kafka", () => startKafka(servicesFolder, progress)) : undefined,
    };
    const all = [starting.redis, ...starting.shards, starting.kafka].filter((p) => p !== undefined);
    const failures = (await Promise.allSettled(all)).filter((result) => result.status === "rejected");
    if (failures.length > 0) {
      await stopAll().catch(() => undefined);
      const reasons = failures.map((failure) => (failure.reason as Error).message ?? String(failure.reason));
      throw new Error(`local services failed to start:\n${reasons.join("\n\n")}`);
    }
    redis = (await starting.redis) ?? redis;
    if (starting.shards.length > 0) mysqlShards = await Promise.all(starting.shards);
    kafka = (await starting.kafka) ?? kafka;
    progress(`all started in ${seconds(since)}`);
  }

  return {
    ...(redis ? { redis } : {}),
    mysqlShards,
    ...(kafka ? { kafka } : {}),
    stopAll,
  };
}
