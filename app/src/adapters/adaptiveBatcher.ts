import { setTimeout as delay } from "node:timers/promises";

interface Pending<T> {
  readonly item: T;
  readonly expiresAt: number;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Groups concurrent sends into one request: items sent in one turn of the event loop leave
 * together (the first waits for setImmediate, no longer), and items sent while a request is in
 * flight leave together in the next one. Kafka's idempotent producer allows one request in flight
 * per connection, so one message per request would cap throughput at one broker round trip per
 * order; the stock ledger settles the orders of one produce request in one script call. Items
 * still waiting when their caller's deadline has passed are dropped with an error, not sent late.
 *
 * Under load (items queued while a send was in flight), the next send lingers `lingerMs` to fill
 * up: a Kafka broker's cost is mostly per produce request, not per record (`npm run bench`,
 * orders). An item that finds the batcher idle is not held: a quiet service waits for nothing.
 */
export class AdaptiveBatcher<T> {
  private readonly queue: Pending<T>[] = [];
  private flushing?: Promise<void>;

  constructor(
    private readonly sendBatch: (items: T[]) => Promise<void>,
    private readonly maxBatch: number,
    private readonly maxWaitMs: number,
    private readonly lingerMs = 0,
    private readonly now: () => number = Date.now,
  ) {}

  send(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, expiresAt: this.now() + this.maxWaitMs, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  /** Resolves once everything queued so far has been sent or rejected. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    await new Promise((turnEnded) => setImmediate(turnEnded));
    while (this.queue.length > 0) {
      const now = this.now();
      const batch = this.queue.splice(0, this.maxBatch).filter((p) => {
        if (p.expiresAt > now) return true;
        p.reject(new Error(`not sent within ${this.maxWaitMs} ms`));
        return false;
      });
      if (batch.length === 0) continue;
      try {
        await this.sendBatch(batch.map((p) => p.item));
        for (const p of batch) p.resolve();
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
      if (this.lingerMs > 0 && this.queue.length > 0 && this.queue.length < this.maxBatch)
        await delay(this.lingerMs);
    }
    // In the same synchronous step as the empty-queue check: an item sent after it starts a new flush.
    this.flushing = undefined;
  }
}
