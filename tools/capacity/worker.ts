import { HpaController, type HpaSettings, hpaSyncSeconds, syncWindowAverage } from "./hpa";
import { demandAt, type Sale } from "./simulate";

/** The order worker as the sale meets it: pods consuming the orders topic, one partition each at most. */
export interface OrderPipeline {
  /** The worker's HPA as the workload component builds it (CPU target, behavior, min/max). */
  readonly hpa: HpaSettings;
  readonly partitions: number;
  /** What one partition's consumer, one pod at its CPU request, writes per second (the capacity profile). */
  readonly ordersPerSecondPerPartition: number;
  /** Pod scheduled → Ready, from the worker's probes. */
  readonly podReadySeconds: number;
}

export interface OrderQueueResult {
  /** Orders accepted into Kafka and not yet written to MySQL, at most. */
  readonly peakBacklog: number;
  /** The longest an accepted order waits in Kafka before the worker writes it. */
  readonly longestWaitSeconds: number;
  /** The most worker pods the HPA asked for. */
  readonly peakWorkerPods: number;
}

/** Orders that arrived in one second and are not written yet. */
interface Arrived {
  readonly t: number;
  orders: number;
}

/**
 * Successful orders flow into the orders topic and the worker drains them first in first out, at
 * its Ready pods' partitions' rate. Its HPA scales on CPU: a consuming pod is busy in proportion to
 * what it writes against its measured rate, a pod beyond the partitions idles. The replay runs past
 * the sale's end until the backlog is written, so the last order's wait counts.
 */
export function simulateOrderQueue(sale: Sale, pipeline: OrderPipeline): OrderQueueResult {
  const { hpa, partitions, ordersPerSecondPerPartition: rate } = pipeline;
  const successShare =
    sale.peakOrdersPerSecond > 0 ? sale.expectedOrdersPerSecond / sale.peakOrdersPerSecond : 0;
  const target = hpa.targetUtilization / 100;
  // Steady state before the sale: what the HPA holds the baseline's orders at.
  const baseline = sale.baselineOrdersPerSecond * successShare;
  const initial = Math.min(hpa.maxReplicas, Math.max(hpa.minReplicas, Math.ceil(baseline / (rate * target))));
  const readyAt: number[] = Array.from({ length: initial }, () => -1);
  const controller = new HpaController(hpa);
  const queue: Arrived[] = [];
  const written: number[] = [];
  const end = sale.rampSeconds + sale.durationSeconds;
  // Beyond this the worker cannot keep up at all; the wait is then reported as unbounded.
  const giveUp = end + 86_400;
  let backlog = 0;
  let peakBacklog = 0;
  let longestWaitSeconds = 0;
  let peakWorkerPods = initial;

  for (let t = 0; t <= end || backlog > 1e-9; t++) {
    if (t > giveUp)
      return {
        peakBacklog: Math.round(peakBacklog),
        longestWaitSeconds: Number.POSITIVE_INFINITY,
        peakWorkerPods,
      };
    const arrivals = t <= end ? demandAt(sale, t).orders * successShare : 0;
    queue.push({ t, orders: arrivals });
    backlog += arrivals;
    const ready = readyAt.filter((at) => at <= t).length;
    let left = Math.min(ready, partitions) * rate;
    const capacity = left;
    while (queue.length > 0 && left > 0) {
      const head = queue[0] as Arrived;
      const take = Math.min(head.orders, left);
      if (take > 0) longestWaitSeconds = Math.max(longestWaitSeconds, t - head.t);
      head.orders -= take;
      left -= take;
      if (head.orders <= 1e-9) queue.shift();
    }
    backlog -= capacity - left;
    written.push(capacity - left);
    peakBacklog = Math.max(peakBacklog, backlog);

    if (t % hpaSyncSeconds === 0 && t > 0) {
      // CPU over the last 15 s: each consuming pod busy in proportion to what it wrote.
      const average = syncWindowAverage(written);
      const desired = controller.decide(t, {
        currentReplicas: readyAt.length,
        readyPods: ready,
        readyUtilization: ready > 0 ? (average / (ready * rate)) * 100 : 0,
      });
      while (readyAt.length < desired) readyAt.push(t + pipeline.podReadySeconds);
      // The ReplicaSet removes the pods not yet Ready first: the newest.
      readyAt.splice(desired);
      peakWorkerPods = Math.max(peakWorkerPods, desired);
    }
  }
  return { peakBacklog: Math.round(peakBacklog), longestWaitSeconds, peakWorkerPods };
}
