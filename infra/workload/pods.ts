import { dirname, posix } from "node:path";
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { runtimeConfigPath, secretsDirectory } from "../../app/src/contract/podEnvironment";
import { restrictedContainerSecurity } from "../lib/podSecurity";
import type { DeploymentSizeArgs, WorkloadMode } from "./args";

type Container = k8s.types.input.core.v1.Container;
type PodSpec = k8s.types.input.core.v1.PodSpec;

/** Fixed non-root identity of every app container, whatever USER the image declares. */
export const appUid = 10001;
/** The RuntimeConfig file's key in the ConfigMap; mounted where the app looks by default. */
export const configFileName = posix.basename(runtimeConfigPath);

/** Labels that select one mode's pods (Deployments, Services, PDBs, policies and spread all use them). */
export function selectorLabels(mode: WorkloadMode): Record<string, string> {
  return { "app.kubernetes.io/name": "crest", "app.kubernetes.io/component": mode };
}

export function objectLabels(mode: WorkloadMode): Record<string, string> {
  return {
    ...selectorLabels(mode),
    "app.kubernetes.io/part-of": "crest",
    "app.kubernetes.io/managed-by": "pulumi",
  };
}

/** What every pod of the app mounts and runs as. */
export interface PodParts {
  readonly image: pulumi.Input<string>;
  readonly serviceAccountName: pulumi.Input<string>;
  readonly configMapName: pulumi.Input<string>;
  readonly secretProviderClassName: pulumi.Input<string>;
  readonly architecture: "amd64" | "arm64";
}

export interface ContainerOptions {
  readonly name: string;
  readonly mode: WorkloadMode;
  readonly resources: Pick<DeploymentSizeArgs, "cpu" | "memory">;
  readonly env?: k8s.types.input.core.v1.EnvVar[];
  readonly extra?: Partial<Container>;
}

/**
 * One app container: the image's entrypoint with the mode as its argument, the RuntimeConfig and the
 * secrets mounted read-only where the app reads them by default, a writable /tmp and nothing else
 * writable, no privileges and no Linux capabilities.
 */
export function appContainer(parts: PodParts, options: ContainerOptions): Container {
  return {
    name: options.name,
    image: parts.image,
    args: [options.mode],
    ...(options.env ? { env: options.env } : {}),
    resources: {
      requests: { cpu: options.resources.cpu.request, memory: options.resources.memory.request },
      limits: { cpu: options.resources.cpu.limit, memory: options.resources.memory.limit },
    },
    securityContext: restrictedContainerSecurity(appUid),
    volumeMounts: [
      { name: "runtime-config", mountPath: dirname(runtimeConfigPath), readOnly: true },
      { name: "secrets", mountPath: secretsDirectory, readOnly: true },
      { name: "tmp", mountPath: "/tmp" },
    ],
    ...options.extra,
  };
}

/** The pod around app containers: its service account, identity, volumes and node architecture. */
export function appPodSpec(parts: PodParts, spec: Omit<PodSpec, "volumes" | "serviceAccountName">): PodSpec {
  return {
    serviceAccountName: parts.serviceAccountName,
    // The CSI driver fetches secrets with a token of its own request; the app never calls the API server.
    automountServiceAccountToken: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: appUid,
      runAsGroup: appUid,
      fsGroup: appUid,
      seccompProfile: { type: "RuntimeDefault" },
    },
    nodeSelector: { "kubernetes.io/os": "linux", "kubernetes.io/arch": parts.architecture },
    volumes: [
      {
        name: "runtime-config",
        configMap: { name: parts.configMapName, items: [{ key: configFileName, path: configFileName }] },
      },
      {
        name: "secrets",
        csi: {
          driver: "secrets-store.csi.k8s.io",
          readOnly: true,
          volumeAttributes: { secretProviderClass: parts.secretProviderClassName },
        },
      },
      { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
    ],
    ...spec,
  };
}

/** Spread over zones (`strict`: never skewed by more than one pod) and, as far as possible, over nodes. */
export function topologySpread(
  mode: WorkloadMode,
  zoneCount: number,
  strict: boolean,
): k8s.types.input.core.v1.TopologySpreadConstraint[] {
  // pod-template-hash: each rollout's new pods spread on their own, not skewed by the old ones.
  const common = {
    maxSkew: 1,
    labelSelector: { matchLabels: selectorLabels(mode) },
    matchLabelKeys: ["pod-template-hash"],
  };
  return [
    {
      ...common,
      topologyKey: "topology.kubernetes.io/zone",
      whenUnsatisfiable: strict ? "DoNotSchedule" : "ScheduleAnyway",
      // A zone with no node yet still counts, so the cluster autoscaler adds one instead of stacking pods.
      ...(strict ? { minDomains: zoneCount } : {}),
    },
    { ...common, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway" },
  ];
}

/**
 * Probes on the app's HTTP port: startup waits for the process to serve (`startupSeconds` at most),
 * liveness restarts a process that stopped serving, readiness takes it out of rotation while it
 * drains after SIGTERM. Both use /healthz, not /readyz: a shared dependency's outage would otherwise
 * take every pod out of rotation at once, and the API could no longer serve reads from its L1 cache
 * or answer 503 fast; /readyz is for the smoke gate and for people.
 */
export function probes(port: number, startupSeconds: number): Partial<Container> {
  const get = (path: string) => ({ httpGet: { path, port } });
  return {
    startupProbe: {
      ...get("/healthz"),
      periodSeconds: 2,
      timeoutSeconds: 2,
      failureThreshold: startupSeconds / 2,
    },
    readinessProbe: { ...get("/healthz"), periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 2 },
    livenessProbe: { ...get("/healthz"), periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
  };
}
