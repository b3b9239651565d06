// The HorizontalPodAutoscaler's replica decision, step for step as kube-controller-manager takes it
// (pkg/controller/podautoscaler: replica_calculator.go and horizontal.go), for one Resource metric.
// Sources: https://kubernetes.io/docs/concepts/workloads/autoscaling/horizontal-pod-autoscale/
// ("Algorithm details", "Configurable scaling behavior", "Stabilization window").

/** `--horizontal-pod-autoscaler-sync-period` default: the controller decides every 15 s. */
export const hpaSyncSeconds = 15;
/**
 * What metrics-server reports at a sync: its usage is a rate over its window, so the average of the
 * last 15 one-second samples.
 */
export function syncWindowAverage(perSecond: readonly number[]): number {
  const window = perSecond.slice(-hpaSyncSeconds);
  return window.length > 0 ? window.reduce((a, b) => a + b, 0) / window.length : 0;
}

/** `--horizontal-pod-autoscaler-tolerance` default: no change while the ratio is within 10 % of 1. */
export const hpaTolerance = 0.1;

export interface ScalingPolicy {
  readonly type: "Pods" | "Percent";
  readonly value: number;
  readonly periodSeconds: number;
}

export interface ScalingRules {
  readonly stabilizationWindowSeconds: number;
  readonly selectPolicy: "Max" | "Min" | "Disabled";
  readonly policies: readonly ScalingPolicy[];
}

export interface HpaSettings {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Target average utilization, in % of the request. */
  readonly targetUtilization: number;
  readonly scaleUp: ScalingRules;
  readonly scaleDown: ScalingRules;
}

/** What the metrics show at one sync: the average utilization (% of request) of the Ready pods. */
export interface HpaObservation {
  readonly currentReplicas: number;
  readonly readyPods: number;
  readonly readyUtilization: number;
}

/**
 * Replicas from the metric alone. Pods not yet Ready are set aside; when the first ratio asks for
 * more pods they count as using 0 % (so a fleet still starting does not over-scale), and when that
 * reverses the direction or falls within the tolerance, nothing changes.
 */
export function metricDesiredReplicas(observation: HpaObservation, target: number): number {
  const { currentReplicas, readyPods, readyUtilization } = observation;
  if (readyPods === 0) return currentReplicas;
  const ratio = readyUtilization / target;
  if (Math.abs(ratio - 1) <= hpaTolerance) return currentReplicas;
  const notReady = currentReplicas - readyPods;
  if (notReady <= 0 || ratio < 1) return Math.ceil(ratio * readyPods);
  const withNotReady = (readyUtilization * readyPods) / (target * currentReplicas);
  if (withNotReady <= 1 + hpaTolerance) return currentReplicas;
  return Math.ceil(withNotReady * currentReplicas);
}

interface Timed {
  readonly time: number;
  readonly value: number;
}

const within = (events: readonly Timed[], now: number, seconds: number) =>
  events.filter((e) => e.time > now - seconds);
const sum = (events: readonly Timed[]) => events.reduce((total, e) => total + e.value, 0);

/** One HPA object's controller state: its recommendations and scale events, and the decision. */
export class HpaController {
  private readonly recommendations: Timed[] = [];
  private readonly upEvents: Timed[] = [];
  private readonly downEvents: Timed[] = [];

  constructor(private readonly settings: HpaSettings) {}

  /** The replicas the controller sets at `now` (seconds), recording the change it makes. */
  decide(now: number, observation: HpaObservation): number {
    const current = observation.currentReplicas;
    const raw = metricDesiredReplicas(observation, this.settings.targetUtilization);
    const stabilized = this.stabilize(now, current, raw);
    const next = this.limitRate(now, current, stabilized);
    if (next > current) this.upEvents.push({ time: now, value: next - current });
    if (next < current) this.downEvents.push({ time: now, value: current - next });
    return next;
  }

  /** Up: the lowest recommendation of the up window; down: the highest of the down window. */
  private stabilize(now: number, current: number, raw: number): number {
    const { scaleUp, scaleDown } = this.settings;
    let up = raw;
    let down = raw;
    for (const r of within(this.recommendations, now, scaleUp.stabilizationWindowSeconds)) {
      up = Math.min(up, r.value);
    }
    for (const r of within(this.recommendations, now, scaleDown.stabilizationWindowSeconds)) {
      down = Math.max(down, r.value);
    }
    this.recommendations.push({ time: now, value: raw });
    return Math.min(Math.max(current, up), down);
  }

  /** The behavior policies' limit on the change, counted from the replicas at each period's start; then min/max. */
  private limitRate(now: number, current: number, desired: number): number {
    const { minReplicas, maxReplicas, scaleUp, scaleDown } = this.settings;
    if (desired > current) {
      const limit = Math.max(current, this.policyLimit(now, current, scaleUp, +1));
      return Math.min(desired, maxReplicas, limit);
    }
    if (desired < current) {
      const limit = Math.min(current, this.policyLimit(now, current, scaleDown, -1));
      return Math.max(desired, minReplicas, limit);
    }
    return Math.min(Math.max(desired, minReplicas), maxReplicas);
  }

  private policyLimit(now: number, current: number, rules: ScalingRules, direction: 1 | -1): number {
    if (rules.selectPolicy === "Disabled" || rules.policies.length === 0) return current;
    const proposals = rules.policies.map((policy) => {
      const added = sum(within(this.upEvents, now, policy.periodSeconds));
      const removed = sum(within(this.downEvents, now, policy.periodSeconds));
      const start = current - added + removed;
      if (policy.type === "Pods") return start + direction * policy.value;
      const scaled = start * (1 + (direction * policy.value) / 100);
      // The controller rounds a percentage up when adding and truncates when removing.
      return direction > 0 ? Math.ceil(scaled) : Math.trunc(scaled);
    });
    const pickMore = (rules.selectPolicy === "Max") === direction > 0;
    return pickMore ? Math.max(...proposals) : Math.min(...proposals);
  }
}
