import type { AcceptedOrder } from "../../domain/model";
import { decodeOrderMessage, encodeOrderMessage } from "../../domain/orderMessage";
import type { Reservation, ReservationOutcome, StockLedger } from "../../domain/ports";
import { AdaptiveBatcher } from "../adaptiveBatcher";
import type { DependencyGuard } from "../dependencyGuard";
import { LuaScript, type RedisClient } from "./client";

// One script checks the idempotency record, the stock and the buyer's units, and reserves:
// Redis runs it atomically, so concurrent requests can never take stock below zero nor a user
// past the limit. A missing stock key is not guessed at (the catalog's initial stock would
// oversell after a data loss): the caller initialises it from the ledger of record and retries.
// The reservation gets a lease in the SKU's lease set, settled by accept/release or, when its
// API process died, by the worker's sweeper.
const reserve = new LuaScript(`
local existing = redis.call('HMGET', KEYS[2], 'orderId', 'state', 'fingerprint')
if existing[1] then
  return {'existing', existing[1], existing[2], existing[3]}
end
local stock = redis.call('GET', KEYS[1])
if not stock then return {'stock_unknown'} end
local quantity = tonumber(ARGV[2])
if tonumber(stock) < quantity then return {'sold_out', redis.call('EXISTS', KEYS[5])} end
if tonumber(redis.call('GET', KEYS[3]) or '0') + quantity > tonumber(ARGV[5]) then
  return {'limit_reached', redis.call('EXISTS', KEYS[5])}
end
redis.call('DECRBY', KEYS[1], quantity)
redis.call('INCRBY', KEYS[3], quantity)
redis.call('EXPIRE', KEYS[3], ARGV[4])
redis.call('HSET', KEYS[2], 'orderId', ARGV[1], 'state', 'reserved', 'fingerprint', ARGV[3], 'order', ARGV[8], 'attempt', ARGV[9])
redis.call('EXPIRE', KEYS[2], ARGV[4])
local now = redis.call('TIME')
redis.call('ZADD', KEYS[4], tonumber(now[1]) + tonumber(ARGV[6]), ARGV[7])
return {'reserved'}
`);

// Only a reservation still in hand is settled: the API and the sweeper may race, and the
// first to settle wins (the other's call is a no-op). Every attempt of a key has the same order
// id, so the attempt (its acceptedAt) is compared too: settling a released attempt must not settle
// the retry that reserved after it. A record without it predates the field and is matched by id.
const settleable = `
local function settleable(key, orderId, attempt)
  local record = redis.call('HMGET', key, 'orderId', 'state', 'attempt')
  if record[1] ~= orderId or record[2] ~= 'reserved' then return false end
  return not record[3] or record[3] == attempt
end`;

// Settles a SKU's orders in one call: the orders of one produce request are accepted together,
// one script instead of one per order (Redis and the API each pay per call). KEYS[1] is the SKU's
// lease set, then one idempotency record per order; ARGV holds order id, lease member and attempt
// for each record in turn.
const accept = new LuaScript(`${settleable}
local settled = 0
for i = 2, #KEYS do
  local arg = (i - 2) * 3
  if settleable(KEYS[i], ARGV[arg + 1], ARGV[arg + 3]) then
    redis.call('HSET', KEYS[i], 'state', 'accepted')
    redis.call('HDEL', KEYS[i], 'order')
    redis.call('ZREM', KEYS[1], ARGV[arg + 2])
    settled = settled + 1
  end
end
return settled
`);

// The released marker names the attempt (order id and acceptedAt) and outlives any Kafka retry
// of it, so a copy that did reach Kafka despite the failed publish is dead-lettered by the worker,
// while a later attempt with the same key (same order id) is stored. Counters that a data loss
// removed are left missing rather than re-created from this one difference.
const release = new LuaScript(`${settleable}
if not settleable(KEYS[2], ARGV[1], ARGV[5]) then return 0 end
redis.call('DEL', KEYS[2])
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('INCRBY', KEYS[1], ARGV[2]) end
if redis.call('EXISTS', KEYS[4]) == 1 then redis.call('DECRBY', KEYS[4], ARGV[2]) end
redis.call('SET', KEYS[3], '1', 'EX', ARGV[3])
redis.call('ZREM', KEYS[5], ARGV[4])
return 1
`);

// Sets the stock only where none is (another API may have initialised it meanwhile); after a data
// loss it also marks the SKU, so refusals know to look for a forgotten key's earlier order.
const initStock = new LuaScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX') and ARGV[2] == '1' then
  redis.call('SET', KEYS[2], '1', 'EX', ARGV[3])
end
return 1
`);

const giveBack = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('INCRBY', KEYS[1], ARGV[1]) end
if tonumber(redis.call('GET', KEYS[2]) or '0') >= tonumber(ARGV[1]) then
  redis.call('DECRBY', KEYS[2], ARGV[1])
end
return 1
`);

const expiredLeases = new LuaScript(`
local now = redis.call('TIME')
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now[1], 'LIMIT', 0, ARGV[1])
`);

/**
 * Flash-sale stock, per-user counts and idempotency records in Redis. Every key of a SKU carries
 * the hash tag `{sku}`, so in cluster mode they share one slot and a script may touch them together.
 */
export class RedisStockLedger implements StockLedger {
  /** Accepts arriving while one accept call is in flight leave together in the next. */
  private readonly accepts: AdaptiveBatcher<AcceptedOrder>;

  constructor(
    private readonly client: RedisClient,
    private readonly guard: DependencyGuard,
    private readonly settings: { readonly idempotencySeconds: number; readonly leaseSeconds: number },
  ) {
    // An accept still queued past its lease is dropped (its caller logs it): the sweeper settles it.
    this.accepts = new AdaptiveBatcher((orders) => this.acceptAll(orders), 500, settings.leaseSeconds * 1000);
  }

  async reserve(r: Reservation): Promise<ReservationOutcome> {
    const o = r.order;
    const reply = (await this.guard.run(() =>
      reserve.run(
        this.client,
        [stockKey(o.sku), idempotencyKey(o), boughtKey(o), leasesKey(o.sku), afterLossKey(o.sku)],
        [
          o.orderId,
          o.quantity,
          r.fingerprint,
          this.settings.idempotencySeconds,
          r.perUserLimit,
          this.settings.leaseSeconds,
          leaseMember(o),
          encodeOrderMessage(o),
          o.acceptedAt,
        ],
      ),
    )) as [string, ...(string | number)[]];
    const kind = reply[0];
    if (kind === "existing") {
      const [, orderId, state, fingerprint] = reply.map(String);
      return {
        kind,
        orderId: orderId ?? "",
        state: state === "accepted" ? "accepted" : "reserved",
        fingerprint: fingerprint ?? "",
      };
    }
    if (kind === "sold_out" || kind === "limit_reached") return { kind, afterLoss: reply[1] === 1 };
    if (kind === "stock_unknown") return { kind };
    return { kind: "reserved" };
  }

  async initStock(sku: string, remaining: number, afterLoss: boolean): Promise<void> {
    await this.guard.run(() =>
      initStock.run(
        this.client,
        [stockKey(sku), afterLossKey(sku)],
        [remaining, afterLoss ? 1 : 0, this.settings.idempotencySeconds],
      ),
    );
  }

  async giveBack(orders: readonly AcceptedOrder[]): Promise<void> {
    await this.guard.run(() =>
      Promise.all(
        orders.map((o) => giveBack.run(this.client, [stockKey(o.sku), boughtKey(o)], [o.quantity])),
      ),
    );
  }

  accept(order: AcceptedOrder): Promise<void> {
    return this.accepts.send(order);
  }

  private async acceptAll(orders: readonly AcceptedOrder[]): Promise<void> {
    await this.guard.run(() =>
      Promise.all(
        [...groupBySku(orders)].map(([sku, group]) =>
          accept.run(
            this.client,
            [leasesKey(sku), ...group.map(idempotencyKey)],
            group.flatMap((o) => [o.orderId, leaseMember(o), o.acceptedAt]),
          ),
        ),
      ),
    );
  }

  async release(o: AcceptedOrder): Promise<void> {
    await this.guard.run(() =>
      release.run(
        this.client,
        [stockKey(o.sku), idempotencyKey(o), releasedKey(o), boughtKey(o), leasesKey(o.sku)],
        [o.orderId, o.quantity, this.settings.idempotencySeconds * 2, leaseMember(o), o.acceptedAt],
      ),
    );
  }

  async releasedAmong(orders: readonly AcceptedOrder[]): Promise<Set<AcceptedOrder>> {
    // One MGET per SKU rather than one EXISTS per order (a worker batch is mostly one SKU): a
    // SKU's keys share its hash slot, so this holds in cluster mode too.
    const released = new Set<AcceptedOrder>();
    await this.guard.run(() =>
      Promise.all(
        [...groupBySku(orders).values()].map(async (group) => {
          const markers = await this.client.mget(group.map(releasedKey));
          markers.forEach((marker, i) => {
            const order = group[i];
            if (marker !== null && order) released.add(order);
          });
        }),
      ),
    );
    return released;
  }

  async expiredReservations(sku: string, limit: number): Promise<AcceptedOrder[]> {
    return this.guard.run(async () => {
      const members = (await expiredLeases.run(this.client, [leasesKey(sku)], [limit])) as string[];
      const encoded = await Promise.all(
        members.map((member) => this.client.hget(`${idempotencyPrefix(sku)}${member}`, "order")),
      );
      const orders: AcceptedOrder[] = [];
      encoded.forEach((value, i) => {
        const decoded = decodeOrderMessage(value ?? undefined);
        // Settled or expired since the range was read: nothing to resolve, drop the lease.
        if ("problem" in decoded)
          this.client.zrem(leasesKey(sku), members[i] as string).catch(() => undefined);
        else orders.push(decoded);
      });
      return orders;
    });
  }
}

/** Orders by SKU: a SKU's keys share one hash slot, so one call may touch them all. */
function groupBySku(orders: readonly AcceptedOrder[]): Map<string, AcceptedOrder[]> {
  const bySku = new Map<string, AcceptedOrder[]>();
  for (const order of orders) {
    const group = bySku.get(order.sku);
    if (group) group.push(order);
    else bySku.set(order.sku, [order]);
  }
  return bySku;
}

type OrderKeyParts = Pick<AcceptedOrder, "sku" | "userId" | "idempotencyKey">;
const stockKey = (sku: string) => `fs:{${sku}}:stock`;
const leasesKey = (sku: string) => `fs:{${sku}}:leases`;
const afterLossKey = (sku: string) => `fs:{${sku}}:after-loss`;
const idempotencyPrefix = (sku: string) => `fs:{${sku}}:idem:`;
const leaseMember = (o: OrderKeyParts) => `${o.userId}:${o.idempotencyKey}`;
const idempotencyKey = (o: OrderKeyParts) => `${idempotencyPrefix(o.sku)}${leaseMember(o)}`;
const boughtKey = (o: Pick<AcceptedOrder, "sku" | "userId">) => `fs:{${o.sku}}:bought:${o.userId}`;
const releasedKey = (o: Pick<AcceptedOrder, "sku" | "orderId" | "acceptedAt">) =>
  `fs:{${o.sku}}:released:${o.orderId}:${o.acceptedAt}`;
