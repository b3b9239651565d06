import { type Rule, resourceRule, type StackResourceView, type StackView, stackRule } from "../../lib/rule";
import { t } from "../../lib/types";
import { at, isObject, items, type Plain, show, unknown } from "../../lib/values";
import { containersOf, podLabels, podSpec } from "../../lib/workloads";

/** Namespaces match when equal, when either is not known yet, or both are unset ("default"). */
function sameNamespace(a: StackResourceView, b: StackResourceView): boolean {
  const ns = (r: StackResourceView) => at(r.props, "metadata.namespace") ?? "default";
  const [x, y] = [ns(a), ns(b)];
  return x === unknown || y === unknown || x === y;
}

/** Whether `resource`'s spec was computed from `workload`, or names it literally as `name`. */
function refersTo(
  resource: StackResourceView,
  workload: StackResourceView,
  name: Plain | undefined,
): boolean {
  if (resource.propertyDependencies.spec?.includes(workload.urn)) return true;
  const workloadName = at(workload.props, "metadata.name");
  return typeof name === "string" && name === workloadName && sameNamespace(resource, workload);
}

/** HPAs scaling the deployment (a target kind not known yet counts as a Deployment). */
function autoscalersOf(stack: StackView, deployment: StackResourceView): StackResourceView[] {
  return stack.ofType(t.hpa).filter((hpa) => {
    const kind = at(hpa.props, "spec.scaleTargetRef.kind");
    return (
      (kind === "Deployment" || kind === unknown) &&
      refersTo(hpa, deployment, at(hpa.props, "spec.scaleTargetRef.name"))
    );
  });
}

/** PDBs whose selector picks the deployment's pods. */
function budgetsOf(stack: StackView, deployment: StackResourceView): StackResourceView[] {
  const labels = podLabels(t.deployment, deployment.props);
  return stack.ofType(t.pdb).filter((pdb) => {
    if (pdb.propertyDependencies.spec?.includes(deployment.urn)) return true;
    const selector = at(pdb.props, "spec.selector.matchLabels");
    if (!isObject(selector) || !labels || !sameNamespace(pdb, deployment)) return false;
    const wanted = Object.entries(selector);
    return wanted.length > 0 && wanted.every(([key, value]) => value === unknown || labels[key] === value);
  });
}

export const deploymentReplicas = stackRule<{ minReplicas: number }>({
  id: "reliability-deployment-replicas",
  family: "Kubernetes",
  controls: ["kube-score deployment-replicas"],
  concern: "reliability",
  description:
    "Every Deployment runs at least two pods: one pod is one node or one rollout away from an outage. Fix: " +
    "set spec.replicas ≥ 2, or, when an HPA scales it, leave replicas unset and give the HPA minReplicas ≥ 2.",
  config: {
    schema: { minReplicas: { type: "integer", minimum: 1, description: "Fewest pods of a Deployment." } },
    defaults: () => ({ minReplicas: 2 }),
  },
  check: (stack, config, report) => {
    for (const deployment of stack.ofType(t.deployment)) {
      const hpas = autoscalersOf(stack, deployment);
      for (const hpa of hpas) {
        const min = at(hpa.props, "spec.minReplicas") ?? 1;
        if (min !== unknown && !(typeof min === "number" && min >= config.minReplicas)) {
          report(
            `${deployment.name} scales down to ${show(min)} pod(s) through HPA ${hpa.name}`,
            deployment.urn,
          );
        }
      }
      if (hpas.length > 0) continue;
      const replicas = at(deployment.props, "spec.replicas") ?? 1;
      if (replicas !== unknown && !(typeof replicas === "number" && replicas >= config.minReplicas)) {
        report(`${deployment.name} runs ${show(replicas)} pod(s) and no HPA scales it`, deployment.urn);
      }
    }
  },
});

export const probes = resourceRule<{ requireLivenessProbe: boolean }>({
  id: "reliability-probes",
  family: "Kubernetes",
  controls: ["kube-score pod-probes"],
  concern: "reliability",
  description:
    "Every long-running container has a readiness probe (no traffic before it is ready) and a liveness probe " +
    "(restarted when it hangs). Fix: add readinessProbe and livenessProbe, e.g. httpGet on /health/ready and " +
    "/health/live.",
  types: [t.deployment, t.statefulSet],
  config: {
    schema: { requireLivenessProbe: { type: "boolean", description: "Require a liveness probe as well." } },
    defaults: () => ({ requireLivenessProbe: true }),
  },
  check: ({ type, props }, config, report) => {
    const pod = podSpec(type, props);
    const wanted = config.requireLivenessProbe ? ["readinessProbe", "livenessProbe"] : ["readinessProbe"];
    for (const container of pod ? containersOf(pod, false) : []) {
      const missing = wanted.filter(
        (probe) => container.spec[probe] === undefined || container.spec[probe] === null,
      );
      if (missing.length > 0) report(`${container.label} has no ${missing.join(" or ")}`);
    }
  },
});

export const podDisruptionBudget = stackRule({
  id: "reliability-pod-disruption-budget",
  family: "Kubernetes",
  controls: ["kube-score deployment-has-poddisruptionbudget"],
  concern: "reliability",
  description:
    "Every Deployment has a PodDisruptionBudget that lets node drains and upgrades take some of its pods, never " +
    "all at once (minAvailable 0 lets all go; maxUnavailable 0 or minAvailable 100% lets none go, and drains hang). " +
    'Fix: add a policy/v1 PodDisruptionBudget selecting the pod labels with maxUnavailable: 1 (or minAvailable: "50%").',
  check: (stack, _config, report) => {
    for (const deployment of stack.ofType(t.deployment)) {
      const budgets = budgetsOf(stack, deployment);
      if (budgets.length === 0) report(`${deployment.name} has no PodDisruptionBudget`, deployment.urn);
      for (const pdb of budgets) {
        const minAvailable = at(pdb.props, "spec.minAvailable");
        const maxUnavailable = at(pdb.props, "spec.maxUnavailable");
        if (minAvailable === undefined && maxUnavailable === undefined) {
          report(`PodDisruptionBudget ${pdb.name} sets neither minAvailable nor maxUnavailable`, pdb.urn);
        } else if (minAvailable === 0 || minAvailable === "0%") {
          report(`PodDisruptionBudget ${pdb.name} allows every pod to be evicted (minAvailable 0)`, pdb.urn);
        } else if (maxUnavailable === 0 || maxUnavailable === "0%" || minAvailable === "100%") {
          const setting =
            minAvailable === "100%" ? 'minAvailable "100%"' : `maxUnavailable ${show(maxUnavailable)}`;
          report(
            `PodDisruptionBudget ${pdb.name} allows no eviction (${setting}): node drains hang`,
            pdb.urn,
          );
        }
      }
    }
  },
});

export const hpaBounds = resourceRule<{ minReplicas: number }>({
  id: "reliability-hpa-bounds",
  family: "Kubernetes",
  concern: "reliability",
  description:
    "HorizontalPodAutoscalers have minReplicas ≤ maxReplicas, and keep at least the tier's minimum of pods " +
    "(2 in prod) when traffic is low. Fix: set spec.minReplicas and spec.maxReplicas accordingly.",
  types: [t.hpa],
  config: {
    schema: {
      minReplicas: { type: "integer", minimum: 1, description: "Fewest pods an HPA may scale down to." },
    },
    defaults: ({ tier }) => ({ minReplicas: tier === "prod" ? 2 : 1 }),
  },
  check: ({ props }, config, report) => {
    const min = at(props, "spec.minReplicas") ?? 1;
    const max = at(props, "spec.maxReplicas");
    if (typeof min === "number" && typeof max === "number" && min > max) {
      report(`minReplicas ${min} is above maxReplicas ${max}`);
    }
    if (min !== unknown && !(typeof min === "number" && min >= config.minReplicas)) {
      report(`minReplicas is ${show(min)}, below ${config.minReplicas}`);
    }
  },
});

export const topologySpread = resourceRule<{ topologyKey: string }>({
  id: "reliability-topology-spread",
  family: "Kubernetes",
  concern: "reliability",
  description:
    "Pods of a Deployment spread across availability zones, so one AZ's loss leaves the others serving. Fix: " +
    'add spec.template.spec.topologySpreadConstraints with topologyKey "topology.kubernetes.io/zone", ' +
    'maxSkew 1 and a labelSelector matching the pod labels (whenUnsatisfiable "ScheduleAnyway" keeps ' +
    "scheduling possible while a zone is down).",
  types: [t.deployment, t.statefulSet],
  config: {
    schema: { topologyKey: { type: "string", minLength: 1, description: "Node label pods spread over." } },
    defaults: () => ({ topologyKey: "topology.kubernetes.io/zone" }),
  },
  check: ({ type, props }, config, report) => {
    const pod = podSpec(type, props);
    if (!pod) return;
    const constraints = items(pod.topologySpreadConstraints);
    if (constraints === unknown) return;
    const keys = constraints.map((c) => at(c, "topologyKey"));
    if (!keys.some((key) => key === config.topologyKey || key === unknown)) {
      report(`no topologySpreadConstraints over ${config.topologyKey}`);
    }
  },
});

export const workloadReliabilityRules: Rule[] = [
  deploymentReplicas,
  probes,
  podDisruptionBudget,
  hpaBounds,
  topologySpread,
];
