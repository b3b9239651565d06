import type { Agent } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { Session } from "../../app/bench/fixtures";
import { call, connectionPool, type Reply } from "../../app/test/support/http";
import { type Attempt, normalRefusals, type Purchase, type ReplayOutcome } from "./accounting";

/** Who buys and under which idempotency key. */
export interface BuyerKey {
  readonly userId: string;
  readonly idempotencyKey: string;
}

export interface LoadPace {
  /** New purchases started per second (open loop: a slow or failing server does not slow the buyers). */
  readonly ordersPerSecond: number;
  /** A purchase retries this long after its first attempt, then its buyer gives up. */
  readonly retryWindowMs: number;
  /** One attempt's timeout: no answer by then counts as `timeout` and is retried. */
  readonly requestTimeoutMs: number;
}

const firstRetryDelayMs = 200;
const maxRetryDelayMs = 2_000;
const maxSockets = 64;

/** `202` (any 2xx: a replay may answer 200), `<status> <code>`: how the error table names an answer. */
function outcomeOf(reply: Reply): string {
  if (reply.status >= 200 && reply.status < 300) return String(reply.status);
  return `${reply.status} ${reply.body.error?.code ?? "no_code"}`;
}

function networkOutcome(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code) return code;
  return /timed out/.test(String(error)) ? "timeout" : "network_error";
}

/**
 * Answers after which a buyer stops: accepted, or a 4xx (a normal refusal such as sold out, or a
 * request that is wrong), except 429 and `409 request_in_progress`, which say "try again later".
 */
function isFinal(outcome: string): boolean {
  if (outcome.startsWith("2")) return true;
  if (outcome === "409 request_in_progress" || outcome.startsWith("429")) return false;
  return /^4\d\d /.test(outcome);
}

function retryAfterMs(reply: Reply | undefined, delayMs: number): number {
  const header = reply?.headers["retry-after"];
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  return reply?.status === 429 && Number.isFinite(seconds) ? seconds * 1000 : delayMs;
}

/**
 * Buyers of one SKU, each with their own session and idempotency key, started at a steady rate.
 * A buyer retries with the same key, as a real client would, after a 5xx, a 429 (after
 * Retry-After), `409 request_in_progress`, a timeout or a refused connection; it stops at a 202, a
 * normal refusal (sold out, limit reached) or another 4xx. The API's address is read at every
 * attempt, so a restarted API is found where it now listens.
 */
export class OrderLoad {
  private readonly agent: Agent = connectionPool(maxSockets);
  private readonly purchases: Purchase[] = [];
  private readonly running = new Set<Promise<void>>();
  private issuing: Promise<void> | undefined;
  private stopped = false;
  private next = 0;

  constructor(
    private readonly apiUrl: () => string,
    readonly sku: string,
    private readonly sessions: readonly Session[],
    private readonly pace: LoadPace,
    private readonly keyPrefix: string,
  ) {}

  /** Starts buyers at the steady rate until {@link finish} or until every session has bought once. */
  start(): void {
    this.issuing = this.issue();
  }

  /** Stops starting buyers and waits for those under way to finish (bounded by the retry window). */
  async finish(): Promise<readonly Purchase[]> {
    this.stopped = true;
    await this.issuing;
    await Promise.all(this.running);
    this.agent.destroy();
    return this.purchases;
  }

  /** The purchases started so far (their attempts keep growing while they run). */
  purchasesSoFar(): readonly Purchase[] {
    return this.purchases;
  }

  /** True once every session has started buying. */
  get exhausted(): boolean {
    return this.next >= this.sessions.length;
  }

  /** Starts `count` buyers at once on top of the steady rate: many orders in flight at one moment. */
  burst(count: number): BuyerKey[] {
    const started: BuyerKey[] = [];
    for (let i = 0; i < count && !this.exhausted; i++) started.push(this.startBuyer());
    return started;
  }

  /** True when a request sent at or after `since` (epoch ms) was refused for good (sold out, limit reached). */
  refusedSince(since: number): boolean {
    return this.purchases.some((p) =>
      p.attempts.some((a) => a.sentAt >= since && (normalRefusals as readonly string[]).includes(a.outcome)),
    );
  }

  private startBuyer(): BuyerKey {
    const i = this.next++;
    const session = this.sessions[i];
    if (!session) throw new Error(`buyer ${i}: only ${this.sessions.length} sessions`);
    const idempotencyKey = `${this.keyPrefix}-${i}`;
    const buyer = this.buy(session, idempotencyKey);
    this.running.add(buyer);
    void buyer.finally(() => this.running.delete(buyer));
    return { userId: session.userId, idempotencyKey };
  }

  private async issue(): Promise<void> {
    const intervalMs = 1000 / this.pace.ordersPerSecond;
    let nextAt = performance.now();
    while (!this.stopped && !this.exhausted) {
      this.startBuyer();
      nextAt += intervalMs;
      await sleep(Math.max(0, nextAt - performance.now()));
    }
  }

  private async buy(session: Session, idempotencyKey: string): Promise<void> {
    const attempts: Attempt[] = [];
    this.purchases.push({ userId: session.userId, idempotencyKey, quantity: 1, attempts });
    const giveUpAt = Date.now() + this.pace.retryWindowMs;
    let delayMs = firstRetryDelayMs;
    for (;;) {
      const { attempt, reply } = await this.send(session, idempotencyKey);
      attempts.push(attempt);
      if (isFinal(attempt.outcome)) return;
      const waitMs = retryAfterMs(reply, delayMs);
      if (Date.now() + waitMs > giveUpAt) return;
      await sleep(waitMs);
      delayMs = Math.min(delayMs * 2, maxRetryDelayMs);
    }
  }

  private async send(session: Session, idempotencyKey: string): Promise<{ attempt: Attempt; reply?: Reply }> {
    const sentAt = Date.now();
    try {
      const reply = await call(this.apiUrl(), "POST", `/v1/flash-sales/${this.sku}/orders`, {
        token: session.token,
        body: { quantity: 1 },
        headers: { "idempotency-key": idempotencyKey },
        agent: this.agent,
        timeoutMs: this.pace.requestTimeoutMs,
      });
      const outcome = outcomeOf(reply);
      const orderId = outcome.startsWith("2") ? reply.body.orderId : undefined;
      return { attempt: { sentAt, answeredAt: Date.now(), outcome, ...(orderId ? { orderId } : {}) }, reply };
    } catch (error) {
      return { attempt: { sentAt, answeredAt: Date.now(), outcome: networkOutcome(error) } };
    }
  }

  /**
   * Re-sends the requests of accepted purchases, as buyers who missed their 202 would: each must
   * answer 202 with its original order id. Transient failures are retried within the retry window.
   */
  async replay(accepted: readonly { purchase: Purchase; orderId: string }[]): Promise<ReplayOutcome[]> {
    const sessions = new Map(this.sessions.map((s) => [s.userId, s]));
    return Promise.all(
      accepted.map(async ({ purchase, orderId }) => {
        const session = sessions.get(purchase.userId);
        if (!session) throw new Error(`no session for ${purchase.userId}`);
        const giveUpAt = Date.now() + this.pace.retryWindowMs;
        for (let delayMs = firstRetryDelayMs; ; delayMs = Math.min(delayMs * 2, maxRetryDelayMs)) {
          const { attempt } = await this.send(session, purchase.idempotencyKey);
          const done = isFinal(attempt.outcome) || Date.now() + delayMs > giveUpAt;
          if (done) {
            const same = attempt.orderId === orderId;
            const outcome = same ? "same order" : attempt.orderId ? "other order" : attempt.outcome;
            return { expectedOrderId: orderId, outcome };
          }
          await sleep(delayMs);
        }
      }),
    );
  }
}

/** Purchases whose 202 came before `before` (epoch ms), with the order id it named. */
export function acceptedBefore(
  purchases: readonly Purchase[],
  before: number,
): { purchase: Purchase; orderId: string }[] {
  return purchases.flatMap((purchase) => {
    const accepted = purchase.attempts.find((a) => a.orderId !== undefined);
    return accepted?.orderId && accepted.answeredAt < before ? [{ purchase, orderId: accepted.orderId }] : [];
  });
}
