import { HpaController, type HpaSettings, hpaSyncSeconds } from "./hpa";
import { type InstanceType, nodesPerAzFor, type PodRequests, podsPerNode } from "./nodes";

/** Cluster autoscaler `--scan-interval` default: it looks for pending pods every 10 s (cluster-autoscaler FAQ). */
export const autoscalerScanSeconds = 10;

/** A declared flash sale: linear ramp from baseline to peak, then the peak held. */
export interface Sale {
  readonly baselineReadsPerSecond: number;
  readonly peakReadsPerSecond: number;
  readonly baselineOrdersPerSecond: number;
  readonly peakOrdersPerSecond: number;
  readonly rampSeconds: number;
  readonly durationSeconds: number;
}

export interface SimulationSetup {
  readonly hpa: HpaSettings;
  readonly pod: PodRequests;
  /** The CPU limit over the request: how far above 100 % the metric can read. */
  readonly limitOverRequest: number;
  /** Pod scheduled → Ready: process start, then the startup probe's and the readiness probe's periods. */
  readonly podReadySeconds: number;
  /** API CPU time per request, from the capacity profile. */
  readonly cpuSecondsPerRead: number;
  readonly cpuSecondsPerOrder: number;
  readonly zones: number;
  readonly nodeType: InstanceType;
  readonly nodesPerAz: { readonly min: number; readonly max: number };
  /** Pods of the same shape that hold node slots throughout (the worker's minimum). */
  readonly otherPods: number;
}

export interface SecondSample {
  readonly t: number;
  readonly demand: number;
  readonly capacity: number;
  readonly readyPods: number;
  readonly nodes: number;
}

export interface SimulationResult {
  readonly samples: readonly SecondSample[];
  /** Seconds from the sale's start until the Ready pods serve the peak; undefined when they never do. */
  readonly secondsToFullCapacity: number | undefined;
  readonly overloadedSeconds: number;
  readonly shedReads: number;
  readonly shedOrders: number;
  readonly peakPods: number;
  readonly peakNodes: number;
}

export function demandAt(sale: Sale, t: number): { reads: number; orders: number } {
  const progress = sale.rampSeconds === 0 ? 1 : Math.min(1, Math.max(0, t / sale.rampSeconds));
  return {
    reads: sale.baselineReadsPerSecond + (sale.peakReadsPerSecond - sale.baselineReadsPerSecond) * progress,
    orders:
      sale.baselineOrdersPerSecond + (sale.peakOrdersPerSecond - sale.baselineOrdersPerSecond) * progress,
  };
}

interface Pod {
  scheduledAt?: number;
  readyAt?: number;
}

/** Replays the sale second by second: HPA every 15 s, scheduling, cluster autoscaler every 10 s. */
export function simulate(sale: Sale, setup: SimulationSetup): SimulationResult {
  const cores = setup.pod.millicores / 1000;
  const cpuDemand = (t: number) => {
    const d = demandAt(sale, t);
    return { ...d, cores: d.reads * setup.cpuSecondsPerRead + d.orders * setup.cpuSecondsPerOrder };
  };
  const perNode = podsPerNode(setup.nodeType, setup.pod);
  const nodesFor = (pods: number) =>
    setup.zones * Math.max(setup.nodesPerAz.min, nodesPerAzFor(pods + setup.otherPods, setup.zones, perNode));
  const maxNodes = setup.zones * setup.nodesPerAz.max;
  const controller = new HpaController(setup.hpa);
  const target = setup.hpa.targetUtilization / 100;
  // Steady state before the sale: what the HPA holds the baseline at, every pod Ready.
  const baselineCores =
    sale.baselineReadsPerSecond * setup.cpuSecondsPerRead +
    sale.baselineOrdersPerSecond * setup.cpuSecondsPerOrder;
  const initial = Math.min(
    setup.hpa.maxReplicas,
    Math.max(setup.hpa.minReplicas, Math.ceil(baselineCores / (cores * target))),
  );
  const pods: Pod[] = Array.from({ length: initial }, () => ({ scheduledAt: -1, readyAt: -1 }));
  let nodes = Math.min(maxNodes, nodesFor(initial));
  const launching: number[] = [];
  const recentCores: number[] = [];
  const samples: SecondSample[] = [];
  const peakCores = cpuDemand(sale.rampSeconds).cores;
  let full: number | undefined;
  let overloadedSeconds = 0;
  let shedReads = 0;
  let shedOrders = 0;
  let peakPods = initial;
  let peakNodes = nodes;
  const end = sale.rampSeconds + sale.durationSeconds;

  for (let t = 0; t <= end; t++) {
    nodes += launching.filter((readyAt) => readyAt === t).length;
    const slots = Math.max(0, nodes * perNode - setup.otherPods);
    for (const pod of pods) {
      if (pod.scheduledAt !== undefined) continue;
      if (pods.filter((p) => p.scheduledAt !== undefined).length >= slots) break;
      pod.scheduledAt = t;
      pod.readyAt = t + setup.podReadySeconds;
    }
    const ready = pods.filter((p) => p.readyAt !== undefined && p.readyAt <= t).length;
    const demand = cpuDemand(t);
    const capacityCores = ready * cores;
    const servedShare = demand.cores > 0 ? Math.min(1, capacityCores / demand.cores) : 1;
    if (servedShare < 1) {
      overloadedSeconds++;
      shedReads += demand.reads * (1 - servedShare);
      shedOrders += demand.orders * (1 - servedShare);
    }
    if (full === undefined && capacityCores >= peakCores) full = t;
    const requests = demand.reads + demand.orders;
    samples.push({
      t,
      demand: requests,
      capacity: (requests * capacityCores) / demand.cores,
      readyPods: ready,
      nodes,
    });
    recentCores.push(demand.cores);

    if (t % hpaSyncSeconds === 0 && t > 0) {
      // metrics-server's usage is a rate over its window: the load of the last 15 s over the Ready
      // pods, each held to its CPU limit.
      const window = recentCores.slice(-hpaSyncSeconds);
      const average = window.reduce((a, b) => a + b, 0) / window.length;
      const desired = controller.decide(t, {
        currentReplicas: pods.length,
        readyPods: ready,
        readyUtilization: ready > 0 ? Math.min(average / capacityCores, setup.limitOverRequest) * 100 : 0,
      });
      while (pods.length < desired) pods.push({});
      // The ReplicaSet removes pods that are not scheduled or not Ready first.
      if (pods.length > desired) pods.splice(desired);
    }
    if (t % autoscalerScanSeconds === 0 && pods.some((p) => p.scheduledAt === undefined)) {
      const wanted = Math.min(maxNodes, nodesFor(pods.length));
      for (let n = nodes + launching.filter((r) => r > t).length; n < wanted; n++) {
        launching.push(t + setup.nodeType.provisioningSeconds);
      }
    }
    peakPods = Math.max(peakPods, pods.length);
    peakNodes = Math.max(peakNodes, nodes + launching.filter((r) => r > t).length);
  }
  return {
    samples,
    secondsToFullCapacity: full,
    overloadedSeconds,
    shedReads: Math.round(shedReads),
    shedOrders: Math.round(shedOrders),
    peakPods,
    peakNodes,
  };
}

/** Replicas whose CPU requests serve the peak at the HPA's target (what maxReplicas must allow). */
export function replicasForPeak(sale: Sale, setup: SimulationSetup): number {
  const peak = demandAt(sale, sale.rampSeconds);
  const coresNeeded = peak.reads * setup.cpuSecondsPerRead + peak.orders * setup.cpuSecondsPerOrder;
  return Math.ceil(coresNeeded / (setup.pod.millicores / 1000));
}

export interface Fixes {
  /** Replicas the peak needs at 100 % of the request. */
  readonly peakReplicas: number;
  /** The least minReplicas, held from before the sale, with which nothing is shed; undefined when maxReplicas is too small. */
  readonly preScaleMinReplicas: number | undefined;
  /** The least "add N pods every 15 s" policy with which nothing is shed at today's minReplicas. */
  readonly scaleUpPodsPer15s: number | undefined;
}

const sheds = (r: SimulationResult) => r.shedReads + r.shedOrders > 0;

/** What would let the fleet carry the sale: pre-scale, or a faster scale-up policy. */
export function fixesFor(sale: Sale, setup: SimulationSetup): Fixes {
  const peakReplicas = replicasForPeak(sale, setup);
  const withMin = (minReplicas: number) => simulate(sale, { ...setup, hpa: { ...setup.hpa, minReplicas } });
  let preScaleMinReplicas: number | undefined;
  for (let min = setup.hpa.minReplicas; min <= setup.hpa.maxReplicas; min++) {
    if (!sheds(withMin(min))) {
      preScaleMinReplicas = min;
      break;
    }
  }
  let scaleUpPodsPer15s: number | undefined;
  for (let pods = 1; pods <= setup.hpa.maxReplicas; pods++) {
    const policies = [
      ...setup.hpa.scaleUp.policies,
      { type: "Pods" as const, value: pods, periodSeconds: 15 },
    ];
    const hpa = { ...setup.hpa, scaleUp: { ...setup.hpa.scaleUp, selectPolicy: "Max" as const, policies } };
    if (!sheds(simulate(sale, { ...setup, hpa }))) {
      scaleUpPodsPer15s = pods;
      break;
    }
  }
  return { peakReplicas, preScaleMinReplicas, scaleUpPodsPer15s };
}
