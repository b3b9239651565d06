import { rmSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { localServiceProcesses } from "../../app/bench/cpuTime";
import type { ControllableServer } from "../services";
import type { OrderLoad } from "./orderLoad";
import type { FaultRig } from "./rig";

/** One thing that goes wrong in production, done to the running rig and then undone. */
export interface Fault {
  readonly id: string;
  readonly description: string;
  /** How long the fault lasts before {@link clear}, in seconds. */
  readonly holdSeconds: number;
  /** `load` is the order load under way, for a fault that needs orders in flight at its moment. */
  inject(rig: FaultRig, load: OrderLoad): Promise<void>;
  clear(rig: FaultRig): Promise<void>;
}

/** A server tools/services started: a server named by REDIS_URL and the like cannot be stopped. */
function local<T extends ControllableServer>(server: T | undefined, what: string): T {
  if (!server) throw new Error(`${what}: the rig has no such server`);
  if (server.external) throw new Error(`${what} is external (set by an environment variable): unset it`);
  return server;
}

const redis = (rig: FaultRig) => local(rig.stack.services.redis, "redis");
const kafka = (rig: FaultRig) => local(rig.stack.services.kafka, "kafka");
const shard = (rig: FaultRig, id: number) => local(rig.stack.services.mysqlShards[id], `mysql shard ${id}`);

/**
 * Stops Redis and deletes the snapshot it wrote on the way down, so it starts with no data: an
 * ElastiCache node replaced, or a failover to a replica that had none of the sale's writes.
 */
async function stopRedisLosingData(rig: FaultRig): Promise<void> {
  const reply = (await rig.stack.redis.config("GET", "dir")) as string[];
  const dir = reply[1];
  if (!dir) throw new Error(`redis: CONFIG GET dir answered ${JSON.stringify(reply)}`);
  await redis(rig).stop();
  rmSync(join(dir, "dump.rdb"), { force: true });
}

/** Sends a signal to the Kafka broker this process started (tools/services). */
function signalKafka(signal: NodeJS.Signals): void {
  const brokers = localServiceProcesses().filter((p) => p.name === "kafka");
  if (brokers.length === 0) throw new Error("kafka: no broker process of this run found");
  for (const broker of brokers) process.kill(broker.pid, signal);
}

/**
 * The API is killed while orders are certainly between reservation and Kafka's acknowledgement:
 * the broker is frozen for that moment (as in a long GC pause), a burst of orders comes in, and
 * once some of them hold a reservation the API is SIGKILLed and the broker resumes. Killed at a
 * random instant, a process at this rate is rarely inside that window of a few milliseconds.
 */
async function killApiWithOrdersInFlight(rig: FaultRig, load: OrderLoad): Promise<void> {
  signalKafka("SIGSTOP");
  try {
    const buyers = load.burst(apiKillBurst.buyers);
    const deadline = Date.now() + apiKillBurst.waitMs;
    while ((await rig.inProgressAmong(load.sku, buyers)) < apiKillBurst.inFlight && Date.now() < deadline) {
      await sleep(5);
    }
    await rig.down("api", "SIGKILL");
  } finally {
    signalKafka("SIGCONT");
  }
}

/** Well under the API's Kafka publish timeout (3 s), which would release the reservations itself. */
const apiKillBurst = { buyers: 40, inFlight: 10, waitMs: 1_500 };

/**
 * The faults in the order they run. Stalls outlast the worker's Kafka session timeout (10 s,
 * app/src/worker/orderConsumer.ts), so the group hands the partitions on while it is frozen.
 */
export const faults: readonly Fault[] = [
  {
    id: "worker-killed",
    description: "worker SIGKILLed, restarted after the hold",
    holdSeconds: 5,
    inject: (rig) => rig.down("worker", "SIGKILL"),
    clear: (rig) => rig.start("worker"),
  },
  {
    id: "api-killed",
    description: "API SIGKILLed with orders awaiting Kafka (broker paused for that moment), restarted",
    holdSeconds: 3,
    inject: killApiWithOrdersInFlight,
    clear: (rig) => rig.start("api"),
  },
  {
    id: "redis-stopped",
    description: "Redis stopped (snapshot kept), started again",
    holdSeconds: 5,
    inject: (rig) => redis(rig).stop(),
    clear: (rig) => redis(rig).start(),
  },
  {
    id: "redis-emptied",
    description: "Redis restarted empty (its data lost)",
    holdSeconds: 3,
    inject: stopRedisLosingData,
    clear: (rig) => redis(rig).start(),
  },
  {
    id: "mysql-shard-stopped",
    description: "MySQL shard 1 (users' orders only) stopped, started again",
    holdSeconds: 8,
    inject: (rig) => shard(rig, 1).stop(),
    clear: (rig) => shard(rig, 1).start(),
  },
  {
    id: "catalog-shard-stopped",
    description: "MySQL shard 0 (the catalog and users' orders) stopped, started again",
    holdSeconds: 8,
    inject: (rig) => shard(rig, 0).stop(),
    clear: (rig) => shard(rig, 0).start(),
  },
  {
    id: "kafka-stopped",
    description: "Kafka stopped, started again",
    holdSeconds: 5,
    inject: (rig) => kafka(rig).stop(),
    clear: (rig) => kafka(rig).start(),
  },
  {
    id: "worker-stalled",
    description: "worker frozen (SIGSTOP) past its Kafka session timeout, then SIGCONT",
    holdSeconds: 15,
    inject: async (rig) => rig.signal("worker", "SIGSTOP"),
    clear: async (rig) => rig.signal("worker", "SIGCONT"),
  },
];

export const faultIds = faults.map((f) => f.id);
