import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { issueSessions, seedFlashSale } from "../../app/bench/fixtures";
import { type Accounting, account, type Purchase, pipelineAtRest } from "./accounting";
import type { Fault } from "./faults";
import { acceptedBefore, OrderLoad } from "./orderLoad";
import type { FaultRig, UnplannedExit } from "./rig";

/** How hard and how long each fault is driven: `npm run faults` and its --quick form differ only here. */
export interface LoadPlan {
  readonly ordersPerSecond: number;
  /** Load before the fault is injected. */
  readonly leadSeconds: number;
  /** Load after the fault has cleared, at least: it goes on until the sale sells out. */
  readonly afterSeconds: number;
  /** After the load, how long the pipeline may take to store what was accepted. */
  readonly settleSeconds: number;
  readonly retryWindowSeconds: number;
  readonly requestTimeoutMs: number;
  /** Accepted purchases from before the fault whose request is sent again at the end. */
  readonly replays: number;
  /** How long clearing usually takes at most: the stock lasts this long past the hold. */
  readonly clearAllowanceSeconds: number;
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
  /**
   * Orders the worker consumed again although they were stored (after a restart: what the new
   * worker re-read); undefined when its metrics could not be read.
   */
  readonly redelivered: number | undefined;
  readonly unplannedExits: readonly UnplannedExit[];
  readonly passed: boolean;
}

/** Clearing may take this long (a Kafka restart on a busy machine): buyers are provisioned for it. */
const maxClearSeconds = 60;
/** Buyers beyond the stock's worth, so the sale sells out even when a fault gives stock back or Redis forgets it. */
const buyersPerUnit = 2.5;
const settlePollMs = 1_000;

const seconds = (fromMs: number, toMs: number) => Math.round((toMs - fromMs) / 100) / 10;

/**
 * Enough stock to last until the fault has cleared, so the recovery time has orders to see; the
 * load then goes on until the sale sells out, so a Redis that comes back with the initial stock
 * sells past it.
 */
export function stockFor(plan: LoadPlan, holdSeconds: number): number {
  return Math.round(
    plan.ordersPerSecond * (plan.leadSeconds + holdSeconds + plan.clearAllowanceSeconds + plan.afterSeconds),
  );
}

async function settle(rig: FaultRig, sku: string, purchases: readonly Purchase[], plan: LoadPlan) {
  const accepted = purchases.flatMap((p) => p.attempts.flatMap((a) => (a.orderId ? [a.orderId] : [])));
  const started = Date.now();
  const deadline = started + plan.settleSeconds * 1000;
  for (;;) {
    const stored = await rig.storedOrders(sku);
    const redis = await rig.redisState(sku);
    if (pipelineAtRest(accepted, stored, redis) || Date.now() >= deadline)
      return { stored, redis, settleSeconds: seconds(started, Date.now()) };
    await sleep(settlePollMs);
  }
}

/** Waits at least `afterSeconds` past the clearing, then until a buyer is refused (sold out). */
async function untilSoldOut(load: OrderLoad, clearedAt: number, plan: LoadPlan, stock: number) {
  const earliest = clearedAt + plan.afterSeconds * 1000;
  // Long enough to sell the whole stock again after a Redis that lost it.
  const latest = earliest + (stock / plan.ordersPerSecond) * 1000;
  while (Date.now() < latest && !load.exhausted) {
    if (Date.now() >= earliest && load.refusedSince(clearedAt)) return;
    await sleep(250);
  }
}

/**
 * One fault under load on a fresh SKU: buyers start at a steady rate, the fault is injected after
 * the lead time, held and cleared; buyers accepted before it re-send their request (as if they had
 * missed the 202), the load goes on until the sale sells out, the pipeline settles, and what the
 * clients were told is compared with what MySQL stored and Redis holds.
 */
export async function runFault(
  rig: FaultRig,
  fault: Fault,
  plan: LoadPlan,
  progress: (line: string) => void,
): Promise<FaultResult> {
  await rig.waitReady();
  const { holdSeconds } = fault;
  const initialStock = stockFor(plan, holdSeconds);
  const sku = await seedFlashSale(rig.stack, initialStock);
  const buyers = Math.ceil(initialStock * buyersPerUnit + plan.ordersPerSecond * maxClearSeconds);
  const sessions = await issueSessions(rig.stack, buyers);
  const exitsBefore = rig.unplannedExits.length;
  const redeliveredBefore = await rig.workerRedeliveries();
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
    await fault.inject(rig, load);
    await sleep(Math.max(0, injectedAt + holdSeconds * 1000 - Date.now()));
  } finally {
    const clearing = Date.now();
    await fault.clear(rig);
    clearedAt = Date.now();
    clearSeconds = seconds(clearing, clearedAt);
  }
  progress(
    `${fault.id}: cleared in ${clearSeconds} s; load goes on until sold out (≥ ${plan.afterSeconds} s)`,
  );
  // Buyers who missed their 202 during the fault retry once it has cleared, while stock remains.
  const replaying = load.replay(acceptedBefore(load.purchasesSoFar(), injectedAt).slice(0, plan.replays));
  await untilSoldOut(load, clearedAt, plan, initialStock);
  const replays = await replaying;
  const purchases = await load.finish();
  progress(`${fault.id}: ${purchases.length} buyers done; settling (up to ${plan.settleSeconds} s)`);
  const settled = await settle(rig, sku, purchases, plan);
  const redeliveredAfter = await rig.workerRedeliveries();
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
    redelivered:
      redeliveredBefore && redeliveredAfter
        ? redeliveredAfter.count -
          (redeliveredAfter.pid === redeliveredBefore.pid ? redeliveredBefore.count : 0)
        : undefined,
    unplannedExits: rig.unplannedExits.slice(exitsBefore),
    passed: accounting.failures.length === 0,
  };
}
