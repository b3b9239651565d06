import { setTimeout as sleep } from "node:timers/promises";
import type { RowDataPacket } from "mysql2/promise";
import { applySchema } from "../../app/bench/fixtures";
import { interrupted } from "../../app/bench/processes";
import { type Launch, type ServiceSettings, type StartedServer, startAppMode } from "../../app/bench/servers";
import { metricValue } from "../../app/test/integration/context";
import { call } from "../../app/test/support/http";
import { type LocalStack, startLocalStack } from "../../app/test/support/localStack";
import type { RedisState, StoredOrder } from "./accounting";
import type { BuyerKey } from "./orderLoad";

export type AppRole = "api" | "worker";

/**
 * The API answers without a 429 for a buyer who retries every 200 ms to 2 s: the suite measures
 * faults, not the rate limiter (which the integration tests cover).
 */
const faultSettings: ServiceSettings = { rateLimit: { burst: 50, refillPerSecond: 10 } };

const restartDelayMs = 1_000;
const readyTimeoutMs = 90_000;

/** An app process that exited while nothing asked it to: Kubernetes would restart it, and so does the rig. */
export interface UnplannedExit {
  readonly role: AppRole;
  readonly at: number;
  readonly how: string;
}

/**
 * Real Redis, two MariaDB shards and Kafka (tools/services) with one API and one worker process
 * of the app. Like Kubernetes, the rig restarts an app process that exits unasked (a worker whose
 * consumer stream failed exits on purpose); a fault that takes a process down says so with
 * {@link down}, and {@link start} brings it back. The API always listens on the same port.
 */
export class FaultRig {
  private readonly processes = new Map<AppRole, StartedServer>();
  private readonly planned = new Set<AppRole>();
  private readonly restarting = new Map<AppRole, Promise<void>>();
  readonly unplannedExits: UnplannedExit[] = [];
  private stopping = false;
  private apiPort = 0;
  private starts = 0;

  private constructor(
    readonly stack: LocalStack,
    private readonly launch: Launch,
    private readonly progress: (line: string) => void,
  ) {}

  static async start(launch: Launch, progress: (line: string) => void): Promise<FaultRig> {
    const stack = await startLocalStack((line) => progress(`services: ${line}`));
    const rig = new FaultRig(stack, launch, progress);
    try {
      await applySchema(stack);
      await rig.start("worker");
      await rig.start("api");
    } catch (error) {
      await rig.stop();
      throw error;
    }
    return rig;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.apiPort}`;
  }

  /** Sends a signal to an app process's group (SIGSTOP and SIGCONT for a stall). */
  signal(role: AppRole, signal: NodeJS.Signals): void {
    this.processes.get(role)?.process.signal(signal);
  }

  /** Takes a process down with `signal` (SIGKILL: a crash) and keeps it down until {@link start}. */
  async down(role: AppRole, signal: NodeJS.Signals): Promise<void> {
    this.planned.add(role);
    await this.restarting.get(role);
    const server = this.processes.get(role);
    if (!server) return;
    server.process.signal(signal);
    await server.process.exited;
  }

  async start(role: AppRole): Promise<void> {
    this.planned.delete(role);
    // One log per process started, so a restart does not overwrite what its predecessor logged.
    const server = await startAppMode(this.stack, role, {
      name: `${role}-${++this.starts}`,
      launch: this.launch,
      settings: faultSettings,
      ...(role === "api" && this.apiPort > 0 ? { port: this.apiPort } : {}),
    });
    if (role === "api") this.apiPort = Number(new URL(server.baseUrl).port);
    this.processes.set(role, server);
    void server.process.exited.then((exit) => this.onExit(role, server, exit));
  }

  private onExit(
    role: AppRole,
    server: StartedServer,
    exit: { code: number | null; signal: NodeJS.Signals | null },
  ): void {
    // After Ctrl-C every child is killed on purpose: nothing to restart.
    if (this.stopping || interrupted() || this.planned.has(role) || this.processes.get(role) !== server)
      return;
    const how = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
    this.unplannedExits.push({ role, at: Date.now(), how });
    this.progress(`${role} exited unasked (${how}); restarting it as Kubernetes would`);
    const restart = this.restartUntilUp(role).finally(() => this.restarting.delete(role));
    this.restarting.set(role, restart);
  }

  private async restartUntilUp(role: AppRole): Promise<void> {
    while (!this.stopping && !interrupted() && !this.planned.has(role)) {
      await sleep(restartDelayMs);
      try {
        await this.start(role);
        return;
      } catch (error) {
        this.progress(`${role} restart failed, retrying: ${String(error).split("\n")[0]}`);
      }
    }
  }

  /** Waits until the API answers /readyz 200 and no restart is under way. */
  async waitReady(): Promise<void> {
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      await Promise.all(this.restarting.values());
      const ready = await call(this.apiUrl, "GET", "/readyz", { timeoutMs: 2_000 }).catch(() => undefined);
      if (ready?.status === 200 && this.restarting.size === 0) return;
      if (Date.now() > deadline) {
        throw new Error(`the app was not ready within ${readyTimeoutMs / 1000} s: ${ready?.body.text ?? ""}`);
      }
      await sleep(250);
    }
  }

  /**
   * The worker's count of consumed orders that were already stored and skipped
   * (`crest_orders_redelivered_total`), with its pid: a restarted worker counts from zero.
   */
  async workerRedeliveries(): Promise<{ pid: number; count: number } | undefined> {
    const worker = this.processes.get("worker");
    if (!worker) return undefined;
    const count = await metricValue(worker.baseUrl, "crest_orders_redelivered_total").catch(() => undefined);
    return count === undefined ? undefined : { pid: worker.process.pid, count };
  }

  /** Every order row of `sku` on every shard (a pool's connection may be stale after a restart: retried). */
  async storedOrders(sku: string): Promise<StoredOrder[]> {
    const perShard = await Promise.all(
      this.stack.shards.map((pool) =>
        withRetries(() => pool.query<RowDataPacket[]>("SELECT * FROM orders WHERE sku = ?", [sku])),
      ),
    );
    return perShard.flatMap(([rows]) =>
      rows.map((row) => ({
        orderId: String(row.order_id),
        userId: String(row.user_id),
        idempotencyKey: String(row.idempotency_key),
        quantity: Number(row.quantity),
        // A `status` column exists once orders can be stored as rejected (sold out per MySQL).
        ...(row.status === undefined || row.status === null ? {} : { status: String(row.status) }),
      })),
    );
  }

  /**
   * The SKU's stock counter and idempotency records, in the app's Redis layout
   * (app/src/adapters/redis/stockLedger.ts): `fs:{sku}:stock`, `fs:{sku}:idem:<user>:<key>` with a
   * `state` and `orderId` field. A record not `accepted` is what the app answers `request_in_progress` for.
   */
  async redisState(sku: string): Promise<RedisState> {
    const redis = this.stack.redis;
    return withRetries(async () => {
      const stock = await redis.get(`fs:{${sku}}:stock`);
      const keys: string[] = [];
      let cursor = "0";
      do {
        const [next, found] = await redis.scan(cursor, "MATCH", `fs:{${sku}}:idem:*`, "COUNT", 1000);
        keys.push(...found);
        cursor = next;
      } while (cursor !== "0");
      const records = await this.records(keys);
      return {
        stock: stock === null ? undefined : Number(stock),
        keysInProgress: records.filter((r) => r.state !== "accepted").length,
        acceptedOrderIds: records.flatMap((r) => (r.state === "accepted" && r.orderId ? [r.orderId] : [])),
      };
    });
  }

  /** How many of these buyers' idempotency records are in progress: one round trip, for polling. */
  inProgressAmong(sku: string, buyers: readonly BuyerKey[]): Promise<number> {
    return this.inProgress(buyers.map((b) => `fs:{${sku}}:idem:${b.userId}:${b.idempotencyKey}`));
  }

  private async inProgress(keys: readonly string[]): Promise<number> {
    return (await this.records(keys)).filter((r) => r.state !== "accepted").length;
  }

  /** The state and order id of each existing record: one round trip. */
  private async records(keys: readonly string[]): Promise<{ state: string; orderId: string | null }[]> {
    if (keys.length === 0) return [];
    const pipeline = this.stack.redis.pipeline();
    for (const key of keys) pipeline.hmget(key, "state", "orderId");
    const replies = (await pipeline.exec()) ?? [];
    return replies.flatMap(([error, reply]) => {
      const [state, orderId] = (reply ?? []) as (string | null)[];
      return !error && state ? [{ state, orderId: orderId ?? null }] : [];
    });
  }

  /** Resumes a stalled process, then stops the app processes and the servers. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const role of this.processes.keys()) this.signal(role, "SIGCONT");
    await Promise.allSettled([...this.processes.values()].map((server) => server.process.stop()));
    await this.stack.stop();
  }
}

async function withRetries<T>(read: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await read();
    } catch (error) {
      if (i >= attempts) throw error;
      await sleep(500);
    }
  }
}
