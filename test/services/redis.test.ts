import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  type LocalServices,
  type RedisService,
  redisCommand,
  startLocalServices,
} from "../../tools/services/index";
import { refusesConnections } from "./support";

let services: LocalServices;
let redis: RedisService;

before(async () => {
  services = await startLocalServices({ redis: true });
  assert.ok(services.redis, "redis was asked for");
  redis = services.redis;
});

after(() => services.stopAll());

test("redis answers RESP over TCP on its loopback port", async () => {
  assert.equal(redis.host, "127.0.0.1");
  assert.equal(redis.url, `redis://127.0.0.1:${redis.port}`);
  assert.equal(await redisCommand(redis.host, redis.port, ["PING"]), "PONG");
  assert.equal(await redisCommand(redis.host, redis.port, ["SET", "greeting", "héllo"]), "OK");
  assert.equal(await redisCommand(redis.host, redis.port, ["GET", "greeting"]), "héllo");
  assert.deepEqual(await redisCommand(redis.host, redis.port, ["MGET", "greeting", "absent"]), [
    "héllo",
    null,
  ]);
});

test("stop() refuses connections; start() comes back on the same port with the keys kept", async (t) => {
  if (redis.external) return t.skip("redis is external (REDIS_URL): the tests cannot stop it");
  const { port } = redis;
  await redisCommand(redis.host, port, ["SET", "survives", "restart"]);
  await redis.stop();
  assert.ok(await refusesConnections(port), `port ${port} still accepts connections after stop()`);
  await assert.rejects(redisCommand(redis.host, port, ["PING"]));
  await redis.start();
  assert.equal(redis.port, port);
  assert.equal(await redisCommand(redis.host, port, ["GET", "survives"]), "restart");
});
