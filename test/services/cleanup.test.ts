import assert from "node:assert/strict";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { processesIn } from "../../tools/services/cleanup";
import { redisCommand, startLocalServices } from "../../tools/services/index";
import { ownLeftovers, refusesConnections, startHolder } from "./support";

test("stopAll stops every server it started and removes their folder", async () => {
  const services = await startLocalServices({ redis: true, mysqlShards: 1 });
  const running = ownLeftovers();
  assert.equal(running.folders.length, 1);
  assert.equal(running.processes.length, 2, "redis-server and one mariadbd");
  await services.stopAll();
  assert.deepEqual(ownLeftovers(), { folders: [], processes: [] });
  assert.ok(services.redis && (await refusesConnections(services.redis.port)));
  for (const shard of services.mysqlShards) assert.ok(await refusesConnections(shard.port));
  await services.stopAll();
});

test("SIGTERM to the owning process stops its servers before it exits", async () => {
  const holder = await startHolder("wait");
  const [folder] = holder.folders;
  assert.ok(folder);
  assert.equal(processesIn(folder).length, 2);
  const exited = once(holder.child, "exit");
  holder.child.kill("SIGTERM");
  assert.deepEqual(await exited, [143, null]);
  assert.equal(existsSync(folder), false);
  assert.ok(await refusesConnections(holder.redisPort));
});

test("a process that ends without stopAll leaves no server behind", async () => {
  const holder = await startHolder("exit");
  const [folder] = holder.folders;
  assert.ok(folder);
  const [code] = await once(holder.child, "exit");
  assert.equal(code, 0);
  assert.equal(existsSync(folder), false);
  assert.deepEqual(processesIn(folder), []);
  assert.ok(await refusesConnections(holder.redisPort));
});

test("the servers of a SIGKILLed process are swept by the next start", async () => {
  const holder = await startHolder("wait");
  const [folder] = holder.folders;
  assert.ok(folder);
  holder.child.kill("SIGKILL");
  await once(holder.child, "exit");
  assert.equal(await redisCommand("127.0.0.1", holder.redisPort, ["PING"]), "PONG", "orphaned until swept");
  const progress: string[] = [];
  const next = await startLocalServices({ redis: true, onProgress: (line) => progress.push(line) });
  await next.stopAll();
  assert.ok(
    progress.some((line) => line.startsWith(`removed ${folder} left by dead process ${holder.child.pid}`)),
    progress.join("\n"),
  );
  assert.equal(existsSync(folder), false);
  assert.ok(await refusesConnections(holder.redisPort));
});
