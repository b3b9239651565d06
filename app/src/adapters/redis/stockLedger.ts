import type { AcceptedOrder } from "../../domain/model";
import type { Reservation, ReservationOutcome, StockLedger } from "../../domain/ports";
import type { DependencyGuard } from "../dependencyGuard";
import { LuaScript, type RedisClient } from "./client";

// One script checks the idempotency record, starts the sale's stock if needed, and reserves:
// Redis runs it atomically, so concurrent requests can never take stock below zero.
const reserve = new LuaScript(`
local existing = redis.call('HMGET', KEYS[2], 'orderId', 'state', 'fingerprint')
if existing[1] then
  return {'existing', existing[1], existing[2], existing[3]}
end
redis.call('SET', KEYS[1], ARGV[4], 'NX')
local quantity = tonumber(ARGV[2])
if tonumber(redis.call('GET', KEYS[1])) < quantity then
  return {'sold_out'}
end
redis.call('DECRBY', KEYS[1], quantity)
redis.call('HSET', KEYS[2], 'orderId', ARGV[1], 'state', 'reserved', 'fingerprint', ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[5])
return {'reserved'}
`);

const accept = new LuaScript(`
if redis.call('HGET', KEYS[1], 'orderId') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', 'accepted')
return 1
`);

// The released marker outlives any Kafka retry of the order, so a copy that did reach Kafka
// despite the failed publish is dead-lettered by the worker instead of selling the stock twice.
const release = new LuaScript(`
if redis.call('HGET', KEYS[2], 'orderId') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[2])
redis.call('INCRBY', KEYS[1], ARGV[2])
redis.call('SET', KEYS[3], '1', 'EX', ARGV[3])
return 1
`);

/**
 * Flash-sale stock and idempotency records in Redis. Every key of a SKU carries the hash tag
 * `{sku}`, so in cluster mode they share one slot and a script may touch them together.
 */
export class RedisStockLedger implements StockLedger {
  constructor(
    private readonly client: RedisClient,
    private readonly guard: DependencyGuard,
    private readonly idempotencySeconds: number,
  ) {}

  async reserve(r: Reservation): Promise<ReservationOutcome> {
    const reply = (await this.guard.run(() =>
      reserve.run(
        this.client,
        [stockKey(r.sku), idempotencyKey(r)],
        [r.orderId, r.quantity, r.fingerprint, r.initialStock, this.idempotencySeconds],
      ),
    )) as string[];
    if (reply[0] === "reserved") return { kind: "reserved" };
    if (reply[0] === "sold_out") return { kind: "sold_out" };
    const [, orderId = "", state, fingerprint = ""] = reply;
    return { kind: "existing", orderId, state: state === "accepted" ? "accepted" : "reserved", fingerprint };
  }

  async accept(r: Reservation): Promise<void> {
    await this.guard.run(() => accept.run(this.client, [idempotencyKey(r)], [r.orderId]));
  }

  async release(r: Reservation): Promise<void> {
    await this.guard.run(() =>
      release.run(
        this.client,
        [stockKey(r.sku), idempotencyKey(r), releasedKey(r.sku, r.orderId)],
        [r.orderId, r.quantity, this.idempotencySeconds * 2],
      ),
    );
  }

  async releasedAmong(orders: readonly AcceptedOrder[]): Promise<Set<string>> {
    // One MGET per SKU rather than one EXISTS per order (a worker batch is mostly one SKU): a
    // SKU's keys share its hash slot, so this holds in cluster mode too.
    const bySku = new Map<string, AcceptedOrder[]>();
    for (const order of orders) bySku.set(order.sku, [...(bySku.get(order.sku) ?? []), order]);
    const released = new Set<string>();
    await this.guard.run(() =>
      Promise.all(
        [...bySku].map(async ([sku, group]) => {
          const markers = await this.client.mget(group.map((o) => releasedKey(sku, o.orderId)));
          markers.forEach((marker, i) => {
            const order = group[i];
            if (marker !== null && order) released.add(order.orderId);
          });
        }),
      ),
    );
    return released;
  }
}

const stockKey = (sku: string) => `fs:{${sku}}:stock`;
const idempotencyKey = (r: Pick<Reservation, "sku" | "userId" | "idempotencyKey">) =>
  `fs:{${r.sku}}:idem:${r.userId}:${r.idempotencyKey}`;
const releasedKey = (sku: string, orderId: string) => `fs:{${sku}}:released:${orderId}`;
