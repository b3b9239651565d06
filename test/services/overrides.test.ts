import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  ExternalServerError,
  type LocalServices,
  mysqlQuery,
  redisCommand,
  startLocalServices,
} from "../../tools/services/index";
import { ownLeftovers, withEnv } from "./support";

let local: LocalServices;

before(async () => {
  local = await startLocalServices({ redis: true, mysqlShards: 1 });
});

after(() => local.stopAll());

const noOverrides = { REDIS_URL: undefined, MYSQL_SHARDS: undefined, KAFKA_BROKERS: undefined };

test("REDIS_URL and MYSQL_SHARDS are used instead of starting servers; their stop() and start() throw", async () => {
  const { redis } = local;
  const [shard] = local.mysqlShards;
  assert.ok(redis && shard);
  const foldersBefore = ownLeftovers().folders;
  await withEnv({ ...noOverrides, REDIS_URL: redis.url, MYSQL_SHARDS: ` ${shard.url} ,` }, async () => {
    const progress: string[] = [];
    const reused = await startLocalServices({
      redis: true,
      mysqlShards: 1,
      onProgress: (line) => progress.push(line),
    });
    try {
      assert.deepEqual(ownLeftovers().folders, foldersBefore, "no new server was started");
      assert.ok(reused.redis?.external);
      assert.equal(reused.redis?.port, redis.port);
      assert.equal(await redisCommand(reused.redis.host, reused.redis.port, ["PING"]), "PONG");
      const [reusedShard] = reused.mysqlShards;
      assert.ok(reusedShard?.external);
      assert.deepEqual(
        [reusedShard.host, reusedShard.port, reusedShard.user, reusedShard.password, reusedShard.database],
        [shard.host, shard.port, shard.user, shard.password, shard.database],
      );
      assert.equal(await mysqlQuery(reusedShard, "SELECT 1;"), "1\n");
      await assert.rejects(reused.redis.stop(), ExternalServerError);
      await assert.rejects(
        reusedShard.start(),
        /is external \(set by MYSQL_SHARDS\): the tests cannot stop or start it/,
      );
      assert.deepEqual(progress, [
        `redis: using 127.0.0.1:${redis.port} (REDIS_URL)`,
        `mysql shard 0: using 127.0.0.1:${shard.port} (MYSQL_SHARDS)`,
      ]);
    } finally {
      await reused.stopAll();
    }
  });
  assert.equal(
    await redisCommand(redis.host, redis.port, ["PING"]),
    "PONG",
    "stopAll left external redis up",
  );
  assert.equal(await mysqlQuery(shard, "SELECT 1;"), "1\n", "stopAll left the external shard up");
});

test("bad overrides and options are refused with the variable, the value and what is allowed", async () => {
  const refused = (vars: Record<string, string | undefined>, options: object, message: RegExp) =>
    withEnv({ ...noOverrides, ...vars }, () => assert.rejects(startLocalServices(options), { message }));
  await refused(
    { REDIS_URL: "redis://10.0.0.5:6379" },
    { redis: true },
    /^REDIS_URL: "redis:\/\/10\.0\.0\.5:6379" is not allowed: a redis:\/\/host:port URL on a loopback host/,
  );
  await refused(
    { REDIS_URL: "http://127.0.0.1:6379" },
    { redis: true },
    /^REDIS_URL: .* is not allowed: a redis:\/\/host:port URL$/,
  );
  await refused(
    { MYSQL_SHARDS: "mysql://crest:hunter2@127.0.0.1:3306/crest,mysql://crest@127.0.0.1:3307/crest" },
    { mysqlShards: 2 },
    /^MYSQL_SHARDS\[1\]: "mysql:\/\/crest@127\.0\.0\.1:3307\/crest" is not allowed: comma-separated mysql:\/\/user:password@host:port\/database URLs$/,
  );
  await refused(
    { MYSQL_SHARDS: "mysql://crest:hunter2@example.com:3306/crest" },
    { mysqlShards: 1 },
    /^MYSQL_SHARDS\[0\]: "mysql:\/\/crest:\*\*\*@example\.com:3306\/crest" is not allowed: .* on a loopback host/,
  );
  await refused(
    { MYSQL_SHARDS: "mysql://crest:hunter2@127.0.0.1:3306/crest" },
    { mysqlShards: 2 },
    /^MYSQL_SHARDS: names 1 shard\(s\) but 2 were asked for/,
  );
  await refused(
    { KAFKA_BROKERS: "127.0.0.1:9092,broker.example:9092" },
    { kafka: true },
    /^KAFKA_BROKERS\[1\]: "broker\.example:9092" is not allowed: host:port on a loopback host/,
  );
  await refused(
    { KAFKA_BROKERS: "127.0.0.1:9092", KAFKA_SASL_USERNAME: "crest" },
    { kafka: true },
    /^KAFKA_SASL_PASSWORD: missing/,
  );
  await refused({}, { mysqlShards: -1 }, /^mysqlShards: -1 is not allowed: a whole number from 0 to 16$/);
  await refused({}, { mysqlShards: 1.5 }, /^mysqlShards: 1\.5 is not allowed/);
});

test("an error message never shows a password from the environment", async () => {
  await withEnv({ ...noOverrides, MYSQL_SHARDS: "mysql://crest:hunter2@10.1.1.1/crest" }, async () => {
    const error = await startLocalServices({ mysqlShards: 1 }).catch((e: Error) => e);
    assert.ok(error instanceof Error);
    assert.doesNotMatch(error.message, /hunter2/);
  });
});
