import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  type LocalServices,
  type MysqlShardService,
  mysqlQuery,
  startLocalServices,
} from "../../tools/services/index";
import { refusesConnections } from "./support";

let services: LocalServices;
let shards: readonly MysqlShardService[];

before(async () => {
  services = await startLocalServices({ mysqlShards: 2 });
  shards = services.mysqlShards;
});

after(() => services.stopAll());

test("each shard is its own MariaDB server, reached with the mariadb client as a password user", async () => {
  assert.equal(shards.length, 2);
  assert.notEqual(shards[0]?.port, shards[1]?.port);
  for (const shard of shards) {
    assert.equal(shard.host, "127.0.0.1");
    assert.ok(shard.password.length >= 16, "a generated password");
    assert.notEqual(shard.user, "root");
    assert.equal(
      shard.url,
      `mysql://${shard.user}:${encodeURIComponent(shard.password)}@127.0.0.1:${shard.port}/${shard.database}`,
    );
    const row = await mysqlQuery(shard, "SELECT DATABASE(), CURRENT_USER(), @@port, @@character_set_server;");
    assert.equal(row, `${shard.database}\t${shard.user}@%\t${shard.port}\tutf8mb4\n`);
  }
});

test("a wrong password and a passwordless root are refused over TCP", async () => {
  const [shard] = shards;
  assert.ok(shard);
  await assert.rejects(
    mysqlQuery({ ...shard, password: `${shard.password}x` }, "SELECT 1;"),
    /Access denied/,
  );
  await assert.rejects(mysqlQuery({ ...shard, user: "root", password: "" }, "SELECT 1;"), /Access denied/);
});

test("stopping one shard leaves the other up; start() brings it back on the same port with its data", async (t) => {
  const [first, second] = shards;
  assert.ok(first && second);
  if (first.external) return t.skip("the shards are external (MYSQL_SHARDS): the tests cannot stop them");
  await mysqlQuery(
    first,
    "CREATE TABLE orders (id INT PRIMARY KEY, item VARCHAR(20)); INSERT INTO orders VALUES (1, '茶');",
  );
  await first.stop();
  assert.ok(
    await refusesConnections(first.port),
    `port ${first.port} still accepts connections after stop()`,
  );
  assert.equal(await mysqlQuery(second, "SELECT 1;"), "1\n");
  await first.start();
  assert.equal(await mysqlQuery(first, "SELECT id, item FROM orders;"), "1\t茶\n");
  assert.equal(await mysqlQuery(first, "SELECT @@port;"), `${first.port}\n`);
});
