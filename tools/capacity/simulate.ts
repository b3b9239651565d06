import { HpaController, type HpaSettings, hpaSyncSeconds, syncWindowAverage } from "./hpa";
import { type InstanceType, nodesPerAzFor, type PodRequests, podsPerNode } from "./nodes";
import { rateLimitedShares, type TokenBucket } from "./rateLimit";

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
  /** Orders that succeed (reserve stock) per second at the peak; they follow the attempts' ramp. */
  readonly expectedOrdersPerSecond: number;
  /** How fast each buyer tries to order: the attempts come from attempts ÷ this many buyers. */
  readonly attemptsPerBuyerPerSecond: number;
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
  /**
   * How long a request over capacity may wait in the queue (the pods' event loops behind the load
   * balancer) before its client gives up; 0 sheds every request over capacity at once.
   */
  readonly queueWaitSeconds: number;
  /** The per-user token bucket the API checks first on each order attempt. */
  readonly rateLimit: TokenBucket;
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
  /** Requests over capacity that waited in the queue and were served within the wait. */
  readonly servedLateReads: number;
  readonly servedLateOrders: number;
  /** The longest a served request waited in the queue, in seconds. */
  readonly longestWaitSeconds: number;
  /** Requests that waited longer than the queue's wait: timed out, lost to the sale. */
  readonly shedReads: number;
  readonly shedOrders: number;
  /** Order attempts the pods served and the per-user rate limit refused (429): buyers trying faster than its refill. */
  readonly rateLimitedOrders: number;
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

/** Requests that arrived in one second and are not served yet. */
interface Waiting {
  readonly arrived: number;
  reads: number;
  orders: number;
  /** The share of this second's order attempts the rate limit refuses once a pod takes them. */
  readonly refusedShare: number;
}

/**
 * The queue in front of the Ready pods, first in first out: each second the pods' CPU serves the
 * oldest waiting requests first, and requests older than the wait are dropped (their clients gave up).
 */
class RequestQueue {
  private readonly waiting: Waiting[] = [];
  servedLate = { reads: 0, orders: 0 };
  shed = { reads: 0, orders: 0 };
  rateLimitedOrders = 0;
  longestWaitSeconds = 0;

  constructor(
    private readonly waitSeconds: number,
    private readonly cost: (w: { reads: number; orders: number }) => number,
  ) {}

  /** Serves this second's arrivals behind the queue with `cores`; what is left over waits. */
  serve(t: number, arrivals: Omit<Waiting, "arrived">, cores: number): void {
    this.waiting.push({ arrived: t, ...arrivals });
    let left = cores;
    while (this.waiting.length > 0) {
      const head = this.waiting[0] as Waiting;
      if (t - head.arrived > this.waitSeconds) {
        this.shed.reads += head.reads;
        this.shed.orders += head.orders;
        this.waiting.shift();
        continue;
      }
      const cost = this.cost(head);
      const share = cost > 0 ? Math.min(1, left / cost) : 1;
      this.rateLimitedOrders += head.orders * share * head.refusedShare;
      if (head.arrived < t && share > 0) {
        this.longestWaitSeconds = Math.max(this.longestWaitSeconds, t - head.arrived);
        this.servedLate.reads += head.reads * share;
        this.servedLate.orders += head.orders * share;
      }
      left -= cost * share;
      if (share < 1) {
        head.reads *= 1 - share;
        head.orders *= 1 - share;
        break;
      }
      this.waiting.shift();
    }
  }

  /** At the end of the sale, what still waits can no longer be served within its wait. */
  close(): void {
    for (const w of this.waiting.splice(0)) {
      this.shed.reads += w.reads;
      this.shed.orders += w.orders;
    }
  }
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
  const queue = new RequestQueue(
    setup.queueWaitSeconds,
    (w) => w.reads * setup.cpuSecondsPerRead + w.orders * setup.cpuSecondsPerOrder,
  );
  // The bucket does not depend on the fleet: each attempt a pod takes meets it. Refused attempts are
  // counted at a full attempt's CPU cost (the profile's), which overstates their cost.
  const refused = rateLimitedShares(sale, setup.rateLimit);
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
    if (capacityCores < demand.cores) overloadedSeconds++;
    queue.serve(
      t,
      { reads: demand.reads, orders: demand.orders, refusedShare: refused[t] ?? 0 },
      capacityCores,
    );
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
      // The load of the last 15 s over the Ready pods, each held to its CPU limit.
      const average = syncWindowAverage(recentCores);
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
  queue.close();
  return {
    samples,
    secondsToFullCapacity: full,
    overloadedSeconds,
    servedLateReads: Math.round(queue.servedLate.reads),
    servedLateOrders: Math.round(queue.servedLate.orders),
    longestWaitSeconds: queue.longestWaitSeconds,
    shedReads: Math.round(queue.shed.reads),
    shedOrders: Math.round(queue.shed.orders),
    rateLimitedOrders: Math.round(queue.rateLimitedOrders),
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
  /** The least minReplicas, held from before the sale, with which no second is over capacity; undefined when maxReplicas is too small. */
  readonly preScaleMinReplicas: number | undefined;
  /** The least "add N pods every 15 s" policy with which no second is over capacity at today's minReplicas. */
  readonly scaleUpPodsPer15s: number | undefined;
}

/** A fix must keep every second within capacity: in a sale, a queued request is a slow one. */
const overloaded = (r: SimulationResult) => r.overloadedSeconds > 0;

/** What would let the fleet carry the sale: pre-scale, or a faster scale-up policy. */
export function fixesFor(sale: Sale, setup: SimulationSetup): Fixes {
  const peakReplicas = replicasForPeak(sale, setup);
  const withMin = (minReplicas: number) => simulate(sale, { ...setup, hpa: { ...setup.hpa, minReplicas } });
  let preScaleMinReplicas: number | undefined;
  for (let min = setup.hpa.minReplicas; min <= setup.hpa.maxReplicas; min++) {
    if (!overloaded(withMin(min))) {
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
    if (!overloaded(simulate(sale, { ...setup, hpa }))) {
      scaleUpPodsPer15s = pods;
      break;
    }
  }
  return { peakReplicas, preScaleMinReplicas, scaleUpPodsPer15s };
}
