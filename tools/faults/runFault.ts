import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { issueSessions, seedFlashSale } from "../../app/bench/fixtures";
import { type Accounting, account, type Purchase } from "./accounting";
import type { Fault } from "./faults";
import { acceptedBefore, OrderLoad } from "./orderLoad";
import type { FaultRig, UnplannedExit } from "./rig";

/** How hard and how long each fault is driven: `npm run faults` and its --quick form differ only here. */
export interface LoadPlan {
  readonly ordersPerSecond: number;
  /** Load before the fault is injected. */
  readonly leadSeconds: number;
  /** Load after the fault has cleared. */
  readonly afterSeconds: number;
  /** Each fault's hold is its own `holdSeconds` times this. */
  readonly holdScale: number;
  /** After the load, how long the pipeline may take to store what was accepted. */
  readonly settleSeconds: number;
  readonly retryWindowSeconds: number;
  readonly requestTimeoutMs: number;
  /** Accepted purchases from before the fault whose request is sent again at the end. */
  readonly replays: number;
}

export interface FaultResult {
  readonly id: string;
  readonly description: string;
  readonly sku: string;
  readonly initialStock: number;
  readonly purchases: number;
  readonly holdSeconds: number;
  /** How long clearing took (a restart until ready). */
  readonly clearSeconds: number;
  /** Seconds from the end of the load until every accepted order was stored (or the settle period ran out). */
  readonly settleSeconds: number;
  readonly accounting: Accounting;
  readonly unplannedExits: readonly UnplannedExit[];
  readonly passed: boolean;
}

/** Clearing may take this long (a Kafka restart on a busy machine): buyers are provisioned for it. */
const maxClearSeconds = 60;
const settlePollMs = 1_000;

const seconds = (fromMs: number, toMs: number) => Math.round((toMs - fromMs) / 100) / 10;

/**
 * Stock that sells out during the load after the fault, but not before it clears: a Redis that
 * comes back with the initial stock then sells past it, and the recovery time has orders to see.
 */
export function stockFor(plan: LoadPlan, holdSeconds: number): number {
  return Math.round(0.8 * plan.ordersPerSecond * (plan.leadSeconds + holdSeconds + plan.afterSeconds));
}

async function settle(rig: FaultRig, sku: string, purchases: readonly Purchase[], plan: LoadPlan) {
  const accepted = purchases.flatMap((p) => p.attempts.flatMap((a) => (a.orderId ? [a.orderId] : [])));
  const started = Date.now();
  const deadline = started + plan.settleSeconds * 1000;
  for (;;) {
    const stored = await rig.storedOrders(sku);
    const redis = await rig.redisState(sku);
    const storedIds = new Set(stored.map((o) => o.orderId));
    const done = accepted.every((id) => storedIds.has(id)) && redis.keysInProgress === 0;
    if (done || Date.now() >= deadline) return { stored, redis, settleSeconds: seconds(started, Date.now()) };
    await sleep(settlePollMs);
  }
}

/**
 * One fault under load on a fresh SKU: buyers start at a steady rate, the fault is injected after
 * the lead time, held, cleared, and the load goes on for `afterSeconds`; then buyers who missed
 * nothing re-send some accepted requests, the pipeline settles, and the three views are compared.
 */
export async function runFault(
  rig: FaultRig,
  fault: Fault,
  plan: LoadPlan,
  progress: (line: string) => void,
): Promise<FaultResult> {
  await rig.waitReady();
  const holdSeconds = fault.holdSeconds * plan.holdScale;
  const initialStock = stockFor(plan, holdSeconds);
  const sku = await seedFlashSale(rig.stack, initialStock);
  const buyers = Math.ceil(
    plan.ordersPerSecond * (plan.leadSeconds + holdSeconds + maxClearSeconds + plan.afterSeconds),
  );
  const sessions = await issueSessions(rig.stack, buyers);
  const exitsBefore = rig.unplannedExits.length;
  const load = new OrderLoad(
    () => rig.apiUrl,
    sku,
    sessions,
    {
      ordersPerSecond: plan.ordersPerSecond,
      retryWindowMs: plan.retryWindowSeconds * 1000,
      requestTimeoutMs: plan.requestTimeoutMs,
    },
    `fault-${randomUUID().slice(0, 8)}`,
  );
  progress(`${fault.id}: ${sku} with ${initialStock} units, ${plan.ordersPerSecond} orders/s`);
  load.start();
  let injectedAt = 0;
  let clearedAt = 0;
  let clearSeconds = 0;
  try {
    await sleep(plan.leadSeconds * 1000);
    progress(`${fault.id}: inject (${fault.description}), hold ${holdSeconds} s`);
    injectedAt = Date.now();
    await fault.inject(rig);
    await sleep(Math.max(0, injectedAt + holdSeconds * 1000 - Date.now()));
  } finally {
    const clearing = Date.now();
    await fault.clear(rig);
    clearedAt = Date.now();
    clearSeconds = seconds(clearing, clearedAt);
  }
  progress(`${fault.id}: cleared in ${clearSeconds} s; load goes on for ${plan.afterSeconds} s`);
  await sleep(plan.afterSeconds * 1000);
  const purchases = await load.finish();
  const replays = await load.replay(acceptedBefore(purchases, injectedAt).slice(0, plan.replays));
  progress(`${fault.id}: ${purchases.length} buyers done; settling (up to ${plan.settleSeconds} s)`);
  const settled = await settle(rig, sku, purchases, plan);
  const accounting = account({
    initialStock,
    purchases,
    stored: settled.stored,
    redis: settled.redis,
    replays,
    window: { injectedAt, clearedAt },
  });
  const verdict = accounting.failures.length === 0 ? "passed" : `FAILED: ${accounting.failures.join(", ")}`;
  progress(`${fault.id}: ${accounting.accepted} accepted, ${accounting.stored} stored; ${verdict}`);
  return {
    id: fault.id,
    description: fault.description,
    sku,
    initialStock,
    purchases: purchases.length,
    holdSeconds,
    clearSeconds,
    settleSeconds: settled.settleSeconds,
    accounting,
    unplannedExits: rig.unplannedExits.slice(exitsBefore),
    passed: accounting.failures.length === 0,
  };
}
