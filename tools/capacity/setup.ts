import { appHttpPort, serviceSettingsSchema } from "../../app/src/contract/runtimeConfig";
import {
  type DeploymentSize,
  deploymentSizeSchema,
  memoryBytes,
  millicores,
  workerSizeSchema,
} from "../../infra/workload/args";
import { probes } from "../../infra/workload/pods";
import { autoscalerSpec } from "../../infra/workload/scaling";
import type { StackConfig } from "../../stacks/config/types";
import type { HpaSettings, ScalingRules } from "./hpa";
import { instanceTypes } from "./nodes";
import type { CapacityProfile } from "./profile";
import type { Sale, SimulationSetup } from "./simulate";
import type { OrderPipeline } from "./worker";

/** The API's startup budget as infra/workload/index.ts passes it to `probes`; the port does not change the timing. */
const apiStartupSeconds = 60;

/**
 * How long a request may wait for a busy pod before its client gives up: the load balancer's idle
 * timeout, 60 s by default and left so by infra/loadbalancer
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#connection-idle-timeout),
 * which is also wx.request's default timeout in the mini-program (60000 ms,
 * https://developers.weixin.qq.com/miniprogram/dev/api/network/request/wx.request.html).
 */
export const queueWaitSeconds = 60;

/** The stack's declared sale in the simulation's terms. */
export function declaredSale(config: StackConfig): Sale {
  const sale = config.capacity;
  return {
    baselineReadsPerSecond: sale.baselineReadsPerSecond,
    peakReadsPerSecond: sale.peakReadsPerSecond,
    baselineOrdersPerSecond: sale.baselineOrderAttemptsPerSecond,
    peakOrdersPerSecond: sale.peakOrderAttemptsPerSecond,
    expectedOrdersPerSecond: sale.expectedOrdersPerSecond,
    rampSeconds: sale.rampSeconds,
    durationSeconds: sale.durationSeconds,
    attemptsPerBuyerPerSecond: sale.orderAttemptsPerBuyerPerSecond,
  };
}

/** The order worker's HPA, its partitions and the profile's drain per partition. */
export function orderPipeline(config: StackConfig, profile: CapacityProfile): OrderPipeline {
  return {
    hpa: workerHpaSettings(config),
    partitions: config.kafka.ordersPartitions,
    ordersPerSecondPerPartition: profile.workerOrdersPerSecondPerPartition,
    podReadySeconds: podReadySeconds(profile.processStartSeconds),
  };
}

type Behavior = { stabilizationWindowSeconds?: unknown; selectPolicy?: unknown; policies?: unknown };

function rules(behavior: Behavior | undefined, defaultWindow: number): ScalingRules {
  return {
    stabilizationWindowSeconds: Number(behavior?.stabilizationWindowSeconds ?? defaultWindow),
    selectPolicy: (behavior?.selectPolicy ?? "Max") as ScalingRules["selectPolicy"],
    policies: (behavior?.policies ?? []) as ScalingRules["policies"],
  };
}

/** The CPU metric's target: the simulation scales on CPU, which the profile measures per request. */
function cpuTarget(mode: string, metrics: unknown): number {
  const cpu = (metrics as { resource?: { name?: string; target?: { averageUtilization?: number } } }[]).find(
    (m) => m.resource?.name === "cpu",
  );
  const target = cpu?.resource?.target?.averageUtilization;
  if (typeof target !== "number") throw new Error(`the ${mode} HPA has no CPU utilization target`);
  return target;
}

/** An HPA exactly as the workload component builds it: bounds, CPU target and `behavior`. */
function hpaSettings(mode: "api" | "worker", size: DeploymentSize): HpaSettings {
  const spec = autoscalerSpec(mode, size, []);
  const behavior = spec.behavior as { scaleUp?: Behavior; scaleDown?: Behavior } | undefined;
  return {
    minReplicas: size.minReplicas,
    maxReplicas: size.maxReplicas,
    targetUtilization: cpuTarget(mode, spec.metrics),
    // The documented defaults when a direction has no behavior: up at once, down after 300 s.
    scaleUp: rules(behavior?.scaleUp, 0),
    scaleDown: rules(behavior?.scaleDown, 300),
  };
}

export const apiHpaSettings = (config: StackConfig) =>
  hpaSettings("api", deploymentSizeSchema.parse(config.workload.api));

/**
 * The worker's HPA on CPU. Its optional consumer-lag metric (`workload.worker.consumerLagPerPod`,
 * set by no tier) is not replayed: with it the real HPA would scale up at least as fast.
 */
export const workerHpaSettings = (config: StackConfig) =>
  hpaSettings("worker", workerSizeSchema.parse(config.workload.worker));

/** Scheduled → Ready, worst case: the process starts, the next startup probe passes, then the next readiness probe. */
export function podReadySeconds(processStartSeconds: number): number {
  const container = probes(appHttpPort, apiStartupSeconds) as {
    startupProbe: { periodSeconds: number; initialDelaySeconds?: number };
    readinessProbe: { periodSeconds: number; initialDelaySeconds?: number };
  };
  const startup = container.startupProbe;
  const started =
    (startup.initialDelaySeconds ?? 0) +
    Math.ceil(processStartSeconds / startup.periodSeconds) * startup.periodSeconds;
  return Math.ceil(
    started + (container.readinessProbe.initialDelaySeconds ?? 0) + container.readinessProbe.periodSeconds,
  );
}

/** Everything the simulation needs from a resolved stack config and the capacity profile. */
export function simulationSetup(config: StackConfig, profile: CapacityProfile): SimulationSetup {
  const api = config.workload.api;
  const nodeTypeName = config.cluster.nodeInstanceTypes[0] ?? "";
  const nodeType = instanceTypes[nodeTypeName];
  if (!nodeType) {
    throw new Error(
      `crest:cluster.nodeInstanceTypes[0]: got "${nodeTypeName}"; the capacity model knows ${Object.keys(instanceTypes).join(", ")}`,
    );
  }
  const request = millicores(api.cpu.request) ?? 0;
  const worker = config.workload.worker;
  return {
    hpa: apiHpaSettings(config),
    pod: { millicores: request, memoryMiB: (memoryBytes(api.memory.request) ?? 0) / 2 ** 20 },
    limitOverRequest: (millicores(api.cpu.limit) ?? request) / request,
    podReadySeconds: podReadySeconds(profile.processStartSeconds),
    cpuSecondsPerRead: 1 / profile.cachedReadsPerCpuSecond,
    cpuSecondsPerOrder: 1 / profile.orderAttemptsPerCpuSecond,
    zones: config.network.availabilityZones.length,
    nodeType,
    nodesPerAz: config.cluster.nodesPerAz,
    // Same shape as an API pod in both tiers; counted as API-sized slots.
    otherPods: worker.minReplicas,
    queueWaitSeconds,
    // No stack sets the workload's `service` section: the app's defaults are the bucket it runs.
    rateLimit: serviceSettingsSchema.parse({}).rateLimit,
  };
}
