import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** Every metric the service exposes, on a registry of its own (one per app instance). */
export class Metrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: "crest_http_request_duration_seconds",
    help: "HTTP request latency by route pattern",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  /** Hit ratio per tier: hits / (hits + misses) for tier="l1" and tier="redis". */
  readonly cacheLookups = new Counter({
    name: "crest_cache_lookups_total",
    help: "Cache lookups by cache, tier (l1, redis) and result (hit, miss, stale, error)",
    labelNames: ["cache", "tier", "result"] as const,
    registers: [this.registry],
  });

  readonly breakerState = new Gauge({
    name: "crest_breaker_state",
    help: "Circuit breaker state per dependency: 0 closed, 1 half-open, 2 open",
    labelNames: ["dependency"] as const,
    registers: [this.registry],
  });

  readonly dependencyFailures = new Counter({
    name: "crest_dependency_failures_total",
    help: "Calls to a dependency that failed, timed out or were refused by an open breaker",
    labelNames: ["dependency", "reason"] as const,
    registers: [this.registry],
  });

  readonly orders = new Counter({
    name: "crest_orders_total",
    help: "Order attempts by outcome (accepted, replayed, sold_out, rate_limited, unavailable, …)",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });

  readonly ordersPersisted = new Counter({
    name: "crest_orders_persisted_total",
    help: "Orders the worker committed to their shard",
    labelNames: ["shard"] as const,
    registers: [this.registry],
  });

  readonly ordersRedelivered = new Counter({
    name: "crest_orders_redelivered_total",
    help: "Consumed orders that were already stored (redelivered after a crash or rebalance), by how they were skipped: offset (in memory, this process stored it) or insert (a no-op write)",
    labelNames: ["skipped"] as const,
    registers: [this.registry],
  });

  readonly ordersRejected = new Counter({
    name: "crest_orders_rejected_total",
    help: "Accepted orders the stock ledger of record (MySQL) refused and stored as rejected, by reason",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });

  readonly reservationsResolved = new Counter({
    name: "crest_reservations_resolved_total",
    help: "Reservations left unsettled by a dead API process that the sweeper re-published and accepted",
    registers: [this.registry],
  });

  readonly ordersDeadLettered = new Counter({
    name: "crest_orders_dead_lettered_total",
    help: "Messages sent to the dead-letter topic, by reason",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });

  readonly ordersParked = new Gauge({
    name: "crest_orders_parked",
    help: "Orders held by the worker until their shard accepts writes again",
    registers: [this.registry],
  });

  readonly batchDuration = new Histogram({
    name: "crest_worker_batch_duration_seconds",
    help: "Time to persist one consumed batch",
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly consumerLag = new Gauge({
    name: "crest_consumer_lag",
    help: "Messages between the group's committed offset and the partition's end",
    labelNames: ["topic", "partition"] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "crest_" });
  }
}
