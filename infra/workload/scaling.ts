import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { DeploymentSize, WorkloadMode } from "./args";
import { selectorLabels } from "./pods";

type HpaSpec = k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec;
type MetricSpec = k8s.types.input.autoscaling.v2.MetricSpec;

function utilization(resource: "cpu" | "memory", percent: number): MetricSpec {
  return {
    type: "Resource",
    resource: { name: resource, target: { type: "Utilization", averageUtilization: percent } },
  };
}

/**
 * HPA between the given bounds on CPU and memory (both served by metrics-server), plus any extra
 * metric. Up at once — double, or add 4 pods, every 15 s, whichever is more — because a flash sale
 * ramps in seconds; down by at most 10% a minute, and only after 5 minutes of lower load, so the
 * fleet does not shrink between two waves.
 */
export function autoscalerSpec(
  deploymentName: pulumi.Input<string>,
  size: DeploymentSize,
  extraMetrics: readonly MetricSpec[],
): HpaSpec {
  return {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deploymentName },
    minReplicas: size.minReplicas,
    maxReplicas: size.maxReplicas,
    metrics: [
      utilization("cpu", size.targetCpuUtilization),
      utilization("memory", size.targetMemoryUtilization),
      ...extraMetrics,
    ],
    behavior: {
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: "Max",
        policies: [
          { type: "Percent", value: 100, periodSeconds: 15 },
          { type: "Pods", value: 4, periodSeconds: 15 },
        ],
      },
      scaleDown: {
        stabilizationWindowSeconds: 300,
        selectPolicy: "Max",
        policies: [{ type: "Percent", value: 10, periodSeconds: 60 }],
      },
    },
  };
}

/** Worker lag per pod, from a custom-metrics adapter reading the worker's `crest_consumer_lag` gauge. */
export function consumerLagMetric(lagPerPod: number): MetricSpec {
  return {
    type: "Pods",
    pods: {
      metric: { name: "crest_consumer_lag" },
      target: { type: "AverageValue", averageValue: String(lagPerPod) },
    },
  };
}

/**
 * One pod at a time may be evicted, counted against the replicas the HPA wants right now. Unlike
 * `minAvailable: <minReplicas>`, this never blocks a node drain when the fleet sits at its minimum;
 * pods that are not ready may always go, so a crash-looping pod cannot hold a node either.
 */
export function disruptionBudgetSpec(mode: WorkloadMode): k8s.types.input.policy.v1.PodDisruptionBudgetSpec {
  return {
    maxUnavailable: 1,
    unhealthyPodEvictionPolicy: "AlwaysAllow",
    selector: { matchLabels: selectorLabels(mode) },
  };
}
