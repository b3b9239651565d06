/**
 * What a fault did to the orders, from three views that must agree: what the clients were told
 * (every attempt's answer), what MySQL stored, and what Redis still holds. Pure functions on plain
 * data, so the arithmetic is unit-tested on synthetic cases (test/faults/accounting.test.ts).
 */

/** One HTTP attempt of a purchase: when it was sent and answered (epoch ms), and how. */
export interface Attempt {
  readonly sentAt: number;
  readonly answeredAt: number;
  /** `202` (any 2xx), `<status> <error code>` (`503 dependency_unavailable`), or a network error (`ECONNREFUSED`, `timeout`). */
  readonly outcome: string;
  /** The order id of a 202. */
  readonly orderId?: string;
}

/** One buyer's order: one user, one idempotency key, retried until answered for good or given up. */
export interface Purchase {
  readonly userId: string;
  readonly idempotencyKey: string;
  readonly quantity: number;
  readonly attempts: readonly Attempt[];
}

/** A row of the orders table, from any shard. `status` only when the table has that column. */
export interface StoredOrder {
  readonly orderId: string;
  readonly userId: string;
  readonly idempotencyKey: string;
  readonly quantity: number;
  readonly status?: string;
}

/** The SKU's Redis state after the settle period. */
export interface RedisState {
  /** The stock counter; undefined when the key does not exist (Redis lost it and no order came since). */
  readonly stock: number | undefined;
  /** Idempotency records not in state `accepted`: what the app answers `request_in_progress` for. */
  readonly keysInProgress: number;
  /**
   * Order ids of the records in state `accepted`. Each must end up stored: the sweeper accepts an
   * orphaned reservation once it has re-published it, before the worker has stored it.
   */
  readonly acceptedOrderIds: readonly string[];
}

/** Answers to re-sending an accepted purchase's request (a client that missed its 202 retries). */
export interface ReplayOutcome {
  readonly expectedOrderId: string;
  /** `same order`, `other order`, or the answer (`409 sold_out`, `503 …`). */
  readonly outcome: string;
}

export interface FaultWindow {
  readonly injectedAt: number;
  /** When the clearing action (restart, SIGCONT) had finished. */
  readonly clearedAt: number;
}

export interface Accounting {
  /** Purchases whose client saw a 202 (each with one order id). */
  readonly accepted: number;
  /** Rows stored for the SKU across shards, `rejected` ones included. */
  readonly stored: number;
  /** Stored with status `rejected` (sold out per MySQL): told in the order history, not sold. */
  readonly rejected: number;
  readonly soldUnits: number;
  /** Accepted order ids with no row. */
  readonly lost: number;
  /** Rows beyond the first that share an order id (shards do not see each other's keys). */
  readonly duplicatedById: number;
  /** Rows beyond the first that share (user, idempotency key). */
  readonly duplicatedByKey: number;
  /** Sold units beyond the initial stock. */
  readonly oversoldUnits: number;
  /** Idempotency keys still in progress in Redis after the settle period. */
  readonly strandedKeys: number;
  /**
   * initial − Redis stock − sold units − units of accepted orders not stored (in flight): units
   * reserved that no order accounts for. Undefined when Redis has no stock counter.
   */
  readonly strandedUnits: number | undefined;
  /** Stored orders no client got the id of, and which no duplicate already counts. */
  readonly phantom: number;
  /** …of which some attempt of their purchase had no answer (the 202 was lost in transit). */
  readonly phantomAfterUnansweredAttempt: number;
  /** Re-sent accepted requests that did not answer with their original order. */
  readonly replaysWrong: number;
  readonly replays: number;
  /** Every attempt's outcome except 2xx, counted. */
  readonly errors: Record<string, number>;
  /** Purchases accepted between the fault's injection and its clearing. */
  readonly acceptedDuringFault: number;
  /**
   * Seconds from the fault cleared to the first normal answer (202, or a 409 refusal of a sold-out
   * sale) of a request sent after it; undefined when none came.
   */
  readonly recoverySeconds: number | undefined;
  /** What made this fault fail: lost, duplicated, stranded or oversold orders. Empty: passed. */
  readonly failures: readonly string[];
}

/** 409 answers a working service gives a buyer it refuses for good: not a fault's error. */
export const normalRefusals = ["409 sold_out", "409 limit_reached"] as const;

const isSuccess = (outcome: string) => /^2\d\d$/.test(outcome);
const isRejected = (order: StoredOrder) => order.status?.toLowerCase().startsWith("rejected") === true;
const keyOf = (userId: string, idempotencyKey: string) => `${userId}\u0000${idempotencyKey}`;

function acceptedOrderId(purchase: Purchase): string | undefined {
  return purchase.attempts.find((a) => a.orderId !== undefined)?.orderId;
}

/** Which order went missing and what its buyer saw, so a failed run in CI can be traced in the logs. */
function describeLost([orderId, purchase]: [string, Purchase]): string {
  return `order ${orderId} of ${purchase.userId}: ${purchase.attempts.map((a) => a.outcome).join(" → ")}`;
}

function extraRows(groups: Map<string, number>): number {
  let extra = 0;
  for (const count of groups.values()) extra += count - 1;
  return extra;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

function errorCounts(purchases: readonly Purchase[]): Record<string, number> {
  const errors: Record<string, number> = {};
  for (const attempt of purchases.flatMap((p) => p.attempts)) {
    if (!isSuccess(attempt.outcome)) errors[attempt.outcome] = (errors[attempt.outcome] ?? 0) + 1;
  }
  return errors;
}

export function recoverySeconds(purchases: readonly Purchase[], window: FaultWindow): number | undefined {
  const refusals = new Set<string>(normalRefusals);
  let first: number | undefined;
  for (const attempt of purchases.flatMap((p) => p.attempts)) {
    const normal = isSuccess(attempt.outcome) || refusals.has(attempt.outcome);
    if (attempt.sentAt < window.clearedAt || !normal) continue;
    if (first === undefined || attempt.answeredAt < first) first = attempt.answeredAt;
  }
  return first === undefined ? undefined : (first - window.clearedAt) / 1000;
}

const unanswered = (attempt: Attempt) => !/^\d{3}/.test(attempt.outcome);

/** Orders Redis marks accepted that MySQL has not stored (yet, or ever). */
function acceptedNotStored(redis: RedisState, storedIds: ReadonlySet<string>): string[] {
  return redis.acceptedOrderIds.filter((id) => !storedIds.has(id));
}

/**
 * Whether the pipeline has come to rest: every order a client was told about and every order Redis
 * holds as accepted is stored, and no key is still in progress. Until then the books cannot balance
 * (a unit the sweeper accepted a moment ago is held, its order still on its way to MySQL).
 */
export function pipelineAtRest(
  toldOrderIds: readonly string[],
  stored: readonly StoredOrder[],
  redis: RedisState,
): boolean {
  const storedIds = new Set(stored.map((o) => o.orderId));
  return (
    redis.keysInProgress === 0 &&
    toldOrderIds.every((id) => storedIds.has(id)) &&
    acceptedNotStored(redis, storedIds).length === 0
  );
}

export function account(input: {
  readonly initialStock: number;
  readonly purchases: readonly Purchase[];
  readonly stored: readonly StoredOrder[];
  readonly redis: RedisState;
  readonly replays: readonly ReplayOutcome[];
  readonly window: FaultWindow;
}): Accounting {
  const { initialStock, purchases, stored, redis, window } = input;
  const acceptedIds = new Map<string, Purchase>();
  for (const purchase of purchases) {
    const orderId = acceptedOrderId(purchase);
    if (orderId !== undefined) acceptedIds.set(orderId, purchase);
  }
  const storedIds = new Set(stored.map((o) => o.orderId));
  const lostPurchases = [...acceptedIds].filter(([orderId]) => !storedIds.has(orderId));
  const sold = stored.filter((o) => !isRejected(o));
  const soldUnits = sold.reduce((sum, o) => sum + o.quantity, 0);
  const inFlightUnits = lostPurchases.reduce((sum, [, p]) => sum + p.quantity, 0);

  // A row no 202 named is a duplicate when its (user, key) also has a row the client was told
  // about, else a phantom: an order whose buyer cannot know it exists.
  const purchaseByKey = new Map(purchases.map((p) => [keyOf(p.userId, p.idempotencyKey), p]));
  const toldKeys = new Set(
    stored.filter((o) => acceptedIds.has(o.orderId)).map((o) => keyOf(o.userId, o.idempotencyKey)),
  );
  const untold = [...new Map(stored.map((o) => [o.orderId, o])).values()].filter(
    (o) => !acceptedIds.has(o.orderId) && !toldKeys.has(keyOf(o.userId, o.idempotencyKey)),
  );
  const phantomKeys = countBy(untold, (o) => keyOf(o.userId, o.idempotencyKey));
  const phantomAfterUnanswered = [...phantomKeys.keys()].filter((key) =>
    purchaseByKey.get(key)?.attempts.some(unanswered),
  ).length;

  const strandedUnits =
    redis.stock === undefined
      ? undefined
      : Math.max(0, initialStock - redis.stock - soldUnits - inFlightUnits);
  const unstored = acceptedNotStored(redis, storedIds);
  const unstoredNote =
    unstored.length > 0
      ? ` (Redis marks ${unstored.length} orders accepted that were never stored: ${unstored.slice(0, 5).join(", ")})`
      : "";
  const figures = {
    lost: lostPurchases.length,
    duplicatedById: extraRows(countBy(stored, (o) => o.orderId)),
    duplicatedByKey: extraRows(countBy(stored, (o) => keyOf(o.userId, o.idempotencyKey))),
    oversoldUnits: Math.max(0, soldUnits - initialStock),
    strandedKeys: redis.keysInProgress,
    strandedUnits,
  };
  const failures = [
    figures.lost > 0
      ? `${figures.lost} lost (${lostPurchases.slice(0, 5).map(describeLost).join("; ")})`
      : "",
    figures.duplicatedById > 0 ? `${figures.duplicatedById} duplicated by order id` : "",
    figures.duplicatedByKey > 0 ? `${figures.duplicatedByKey} duplicated by (user, key)` : "",
    figures.oversoldUnits > 0 ? `${figures.oversoldUnits} units oversold` : "",
    figures.strandedKeys > 0 ? `${figures.strandedKeys} keys stuck in progress` : "",
    (strandedUnits ?? 0) > 0 ? `${strandedUnits} units held without an order${unstoredNote}` : "",
  ].filter(Boolean);

  return {
    accepted: acceptedIds.size,
    stored: stored.length,
    rejected: stored.length - sold.length,
    soldUnits,
    ...figures,
    phantom: phantomKeys.size,
    phantomAfterUnansweredAttempt: phantomAfterUnanswered,
    replays: input.replays.length,
    replaysWrong: input.replays.filter((r) => r.outcome !== "same order").length,
    errors: errorCounts(purchases),
    acceptedDuringFault: [...acceptedIds.values()].filter((p) => {
      const at = p.attempts.find((a) => a.orderId !== undefined)?.answeredAt ?? 0;
      return at >= window.injectedAt && at < window.clearedAt;
    }).length,
    recoverySeconds: recoverySeconds(purchases, window),
    failures,
  };
}
