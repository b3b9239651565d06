import { instanceTypes as pinnedTypes } from "../../infra/lib/pins";
import { memoryBytes, millicores } from "../../infra/workload/args";
import type { StackConfig } from "../../stacks/config/types";
import { instanceTypes, nodesPerAzFor, podsPerNode } from "./nodes";
import type { CapacityProfile } from "./profile";

/**
 * What one primary of each ElastiCache node type is budgeted to serve, in commands per second. AWS
 * publishes no per-type figure; its sizing guidance does bound them: "small (2,000 or less TPS)"
 * and "medium (TPS between 2,000 and 20,000)" workloads go on burstable T nodes, "more than 20,000
 * TPS" on M or R nodes
 * (https://aws.amazon.com/blogs/database/five-workload-characteristics-to-consider-when-right-sizing-amazon-elasticache-redis-clusters/).
 * The budget is that guidance's bound for the family: the low end, so a shard is never promised
 * more than AWS says its family carries.
 */
export const redisOpsPerShard: Readonly<Record<string, number>> = {
  // A small burstable node: the guidance's small-workload bound.
  [pinnedTypes.redis.dev.value]: 2_000,
  // A memory-optimized node: where the guidance sends workloads above 20,000 TPS.
  [pinnedTypes.redis.prod.value]: 20_000,
};

/**
 * Redis commands per request, counted from the app's hot paths (app/src/domain): a cached read is at
 * most one GET when the in-process cache misses; an order attempt runs the rate-limit script, the
 * catalog lookup and the reservation script, and a successful order one more (accept).
 */
export const redisCommandsPerRead = 1;
export const redisCommandsPerOrderAttempt = 3;
export const redisCommandsPerOrder = 1;

/** A configured maximum far above the need: an advisory note about cost, never a failure. */
export const farAboveFactor = 4;

/** One sized thing: the config key that bounds it, what it is, what the sale needs and what is configured. */
export interface SizingRow {
  readonly key: string;
  readonly what: string;
  readonly need: number;
  readonly configured: number;
  /** How the need follows from the declared sale and the profile (or a documented figure). */
  readonly basis: string;
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const perSecond = (n: number) => Math.floor(n).toLocaleString("en-US");
const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

/** API CPU cores the peak takes at the profile's CPU cost per request. */
export function peakApiCores(config: StackConfig, profile: CapacityProfile): number {
  const sale = config.capacity;
  return (
    sale.peakReadsPerSecond / profile.cachedReadsPerCpuSecond +
    sale.peakOrderAttemptsPerSecond / profile.orderAttemptsPerCpuSecond
  );
}

function podShape(size: StackConfig["workload"]["api"]) {
  return {
    millicores: millicores(size.cpu.request) ?? 0,
    memoryMiB: (memoryBytes(size.memory.request) ?? 0) / 2 ** 20,
  };
}

/** The declared peak as a phrase: `20,000 reads/s and 5,000 order attempts/s`. */
export function peakPhrase(config: StackConfig): string {
  const sale = config.capacity;
  return `${int(sale.peakReadsPerSecond)} reads/s and ${int(sale.peakOrderAttemptsPerSecond)} order attempts/s`;
}

/**
 * What the declared sale needs at its peak, against what the stack configures: API and worker pods,
 * nodes per AZ, Redis shards, the orders topic's partitions and MySQL shards. API pods are counted
 * at 100 % of their CPU request (what the profile's per-pod figures are measured at).
 */
export function sizingRows(config: StackConfig, profile: CapacityProfile): SizingRow[] {
  const sale = config.capacity;
  const api = podShape(config.workload.api);
  const apiPods = Math.max(1, Math.ceil(peakApiCores(config, profile) / (api.millicores / 1000)));
  const perPod = (perCpuSecond: number) => perSecond((perCpuSecond * api.millicores) / 1000);
  const orders = sale.expectedOrdersPerSecond;
  const workerPods = Math.max(1, Math.ceil(orders / profile.workerOrdersPerSecondPerPartition));
  const rows: SizingRow[] = [
    {
      key: "workload.api.maxReplicas",
      what: "the most API pods the HPA may run",
      need: apiPods,
      configured: config.workload.api.maxReplicas,
      basis: `the declared peak of ${peakPhrase(config)} needs at least ${count(apiPods, "API pod")} (${perPod(profile.cachedReadsPerCpuSecond)} reads/s or ${perPod(profile.orderAttemptsPerCpuSecond)} order attempts/s per ${api.millicores}m pod, ${profile.source})`,
    },
    {
      key: "workload.worker.maxReplicas",
      what: "the most order-worker pods the HPA may run",
      need: workerPods,
      configured: config.workload.worker.maxReplicas,
      basis: `the declared ${int(orders)} successful orders/s need at least ${count(workerPods, "worker pod")} (one partition each at ${int(profile.workerOrdersPerSecondPerPartition)} orders/s, ${profile.source})`,
    },
    {
      key: "kafka.ordersPartitions",
      what: "the orders topic's partitions (the worker's parallelism)",
      need: workerPods,
      configured: config.kafka.ordersPartitions,
      basis: `the declared ${int(orders)} successful orders/s need at least ${count(workerPods, "partition")} (${int(profile.workerOrdersPerSecondPerPartition)} orders/s drained per partition, ${profile.source})`,
    },
  ];
  const nodeType = config.cluster.nodeInstanceTypes[0] ?? "";
  const node = instanceTypes[nodeType];
  if (node) {
    const zones = config.network.availabilityZones.length;
    // Worker pods take API-sized slots: both tiers give them the API's requests.
    const perNode = podsPerNode(node, api);
    const nodes = nodesPerAzFor(apiPods + workerPods, zones, perNode);
    rows.push({
      key: "cluster.nodesPerAz.max",
      what: "the most nodes per AZ the node group may run",
      need: nodes,
      configured: config.cluster.nodesPerAz.max,
      basis: `${apiPods} API and ${workerPods} worker pods spread over ${zones} AZs need at least ${count(nodes, `${nodeType} node`)} per AZ (${perNode} pods of ${api.millicores}m and ${int(api.memoryMiB)} MiB each after kubelet reserves and DaemonSets)`,
    });
  }
  const redisBudget = redisOpsPerShard[config.redis.nodeType];
  if (redisBudget) {
    const commands =
      sale.peakReadsPerSecond * redisCommandsPerRead +
      sale.peakOrderAttemptsPerSecond * redisCommandsPerOrderAttempt +
      orders * redisCommandsPerOrder;
    const shards = Math.ceil(commands / redisBudget);
    rows.push({
      key: "redis.shards",
      what: "Redis shards (one primary each)",
      need: shards,
      configured: config.redis.shards,
      basis: `the declared peak sends ${int(commands)} Redis commands/s; a ${config.redis.nodeType} primary is budgeted ${int(redisBudget)}/s (AWS's ElastiCache sizing guidance)`,
    });
  }
  const mysqlShards = Math.max(1, Math.ceil(orders / profile.mysqlOrdersPerSecondPerShard));
  rows.push({
    key: "mysql.shards",
    what: "Aurora MySQL shards (one writer each)",
    need: mysqlShards,
    configured: config.mysql.shards,
    basis: `the declared ${int(orders)} successful orders/s need at least ${count(mysqlShards, "shard writer")} (${int(profile.mysqlOrdersPerSecondPerShard)} orders/s batch-inserted per shard, ${profile.source})`,
  });
  return rows;
}

/** Rows whose configured maximum cannot serve the peak. */
export const shortfalls = (rows: readonly SizingRow[]) => rows.filter((r) => r.configured < r.need);

/** Rows whose configured maximum is far above the need: worth a look at the cost. */
export const farAbove = (rows: readonly SizingRow[]) =>
  rows.filter((r) => r.configured >= farAboveFactor * r.need && r.configured > 1);

/** Configured over need, in %: 100 % is exactly enough. */
export const headroomPercent = (row: SizingRow) => Math.round((row.configured / row.need) * 100);
