import { readFileSync, writeFileSync } from "node:fs";
import type { Comparison } from "../../app/bench/httpLoad";
import { millicores } from "../../infra/workload/args";
import { tierDefaults } from "../../stacks/config/tiers";
import type { MachineInfo } from "../bench/machine";
import type { BenchDocument } from "../bench/results";

/** Where `npm run bench` writes the profile the capacity simulation reads. */
export const capacityProfilePath = "bench/capacity-profile.json";

/** One API pod's throughput with exactly its CPU request busy, for one tier's request. */
export interface PodThroughput {
  readonly tier: string;
  readonly cpuRequestMillicores: number;
  readonly cachedReadsPerSecond: number;
  readonly orderAttemptsPerSecond: number;
}

/**
 * Per-pod throughput derived from one benchmark run: the API process's CPU time per request
 * (user + system, from /proc; the costlier of the warm-up and the measured runs) turned into
 * requests per CPU-second, then scaled to each tier's CPU request. CPU time, not the run's
 * requests per second, because on a shared machine the process waits for the core while its CPU
 * cost per request stays put.
 */
export interface CapacityProfile {
  readonly measuredAt: string;
  /** The bench results file the figures come from. */
  readonly source: string;
  readonly machine: MachineInfo;
  readonly cachedReadsPerCpuSecond: number;
  readonly orderAttemptsPerCpuSecond: number;
  readonly apiPods: readonly PodThroughput[];
  /** The slowest drain of one worker (warm-ups included), divided by the bench topic's partitions. */
  readonly workerOrdersPerSecondPerPartition: number;
  /** The same slowest drain divided by the MySQL shards: what one shard's writer took. */
  readonly mysqlOrdersPerSecondPerShard: number;
  /** The slowest spawn-to-serving time of the worker process in the run, used for every app process. */
  readonly processStartSeconds: number;
}

const perCpuSecond = (cpuUsPerRequest: number | undefined, what: string) => {
  if (cpuUsPerRequest === undefined || !(cpuUsPerRequest > 0)) {
    throw new Error(`the bench results have no API CPU time per request for ${what}`);
  }
  return 1e6 / cpuUsPerRequest;
};

/**
 * The API's costlier CPU per request of a comparison's measured runs and its warm-up: a sale's first
 * seconds meet pods whose JIT has not compiled the path yet (README, "Warm-up"), and sizing on the
 * warm figure alone would promise them more than they give. Runs from before the warm-up was
 * recorded have only the measured figure.
 */
function costlierApiCpu(comparison: Pick<Comparison, "app" | "appWarmUp">): number | undefined {
  const figures = [comparison.app, comparison.appWarmUp].map((f) => f?.cpuUsPerRequest.api ?? 0);
  const costliest = Math.max(...figures);
  return costliest > 0 ? costliest : undefined;
}

/** The profile of a complete bench run (cached reads, order placement and the pipeline phases). */
export function capacityProfileOf(doc: BenchDocument, source: string): CapacityProfile {
  // The costliest connection count: sizing on the cheapest would promise more than the pod gives.
  const reads = doc.app?.cachedRead?.byConnections.toSorted(
    (a, b) => (costlierApiCpu(b) ?? 0) - (costlierApiCpu(a) ?? 0),
  )[0];
  const orders = doc.app?.orderPlacement;
  const pipeline = doc.app?.pipeline;
  if (!reads || !orders || !pipeline || pipeline.runs.length === 0) {
    throw new Error(`${source}: a capacity profile needs the cachedRead, orderPlacement and pipeline phases`);
  }
  const cachedReadsPerCpuSecond = perCpuSecond(costlierApiCpu(reads), "cached reads");
  const orderAttemptsPerCpuSecond = perCpuSecond(costlierApiCpu(orders), "order placement");
  // The slowest drain, a fresh worker's warm-up included (for the same reason as the API's);
  // runs from before the warm-up was measured have none.
  const slowestDrain = Math.min(
    ...pipeline.runs.flatMap((r) => [
      r.ordersPerSecond,
      ...(r.warmUpSeconds > 0 ? [r.warmUpOrders / r.warmUpSeconds] : []),
    ]),
  );
  const apiPods = Object.entries(tierDefaults).map(([tier, defaults]) => {
    const cores = (millicores(defaults.workload.api.cpu.request) ?? 0) / 1000;
    return {
      tier,
      cpuRequestMillicores: cores * 1000,
      cachedReadsPerSecond: Math.floor(cachedReadsPerCpuSecond * cores),
      orderAttemptsPerSecond: Math.floor(orderAttemptsPerCpuSecond * cores),
    };
  });
  return {
    measuredAt: doc.startedAt,
    source,
    machine: doc.machine,
    cachedReadsPerCpuSecond: Math.floor(cachedReadsPerCpuSecond),
    orderAttemptsPerCpuSecond: Math.floor(orderAttemptsPerCpuSecond),
    apiPods,
    workerOrdersPerSecondPerPartition: Math.floor(slowestDrain / pipeline.partitions),
    mysqlOrdersPerSecondPerShard: Math.floor(slowestDrain / pipeline.shards),
    processStartSeconds: Math.max(...pipeline.runs.map((r) => r.workerStartSeconds)),
  };
}

export function writeCapacityProfile(profile: CapacityProfile, file = capacityProfilePath): void {
  writeFileSync(file, `${JSON.stringify(profile, null, 2)}\n`);
}

export function readCapacityProfile(file = capacityProfilePath): CapacityProfile {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Partial<CapacityProfile>;
  for (const key of [
    "cachedReadsPerCpuSecond",
    "orderAttemptsPerCpuSecond",
    "processStartSeconds",
    "workerOrdersPerSecondPerPartition",
    "mysqlOrdersPerSecondPerShard",
  ] as const) {
    if (!(typeof profile[key] === "number" && profile[key] > 0)) {
      throw new Error(`${file}: ${key} must be a positive number (run \`npm run bench\` to write it)`);
    }
  }
  return profile as CapacityProfile;
}
