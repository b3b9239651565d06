import type * as pulumi from "@pulumi/pulumi";
import { type ChartPin, helmCharts as chartPins } from "../lib/pins";

/** A pinned Helm chart: where it comes from, which version, and the namespace it runs in. */
export interface HelmChart {
  readonly chart: string;
  readonly version: string;
  readonly repo: string;
  readonly namespace: string;
  /** Release name, fixed so the service account names (and their IRSA trust) are predictable. */
  readonly release: string;
}

/**
 * Every chart the cluster installs: the published chart and version from the pin register, and
 * where Crest runs it. Upgrades are a reviewed change to `helmCharts` in infra/lib/pins.ts.
 */
const inKubeSystem = (pinned: ChartPin, release: string): HelmChart => ({
  chart: pinned.chart,
  version: pinned.version,
  repo: pinned.repo,
  namespace: "kube-system",
  release,
});

export const helmCharts = {
  metricsServer: inKubeSystem(chartPins.metricsServer, "metrics-server"),
  awsLoadBalancerController: inKubeSystem(
    chartPins.awsLoadBalancerController,
    "aws-load-balancer-controller",
  ),
  secretsStoreCsiDriver: inKubeSystem(chartPins.secretsStoreCsiDriver, "secrets-store-csi-driver"),
  secretsStoreProviderAws: inKubeSystem(
    chartPins.secretsStoreProviderAws,
    "secrets-store-csi-driver-provider-aws",
  ),
  clusterAutoscaler: inKubeSystem(chartPins.clusterAutoscaler, "cluster-autoscaler"),
} as const satisfies Record<keyof typeof chartPins, HelmChart>;

/** A service account the chart creates, annotated with its IRSA role. */
export interface IrsaServiceAccount {
  readonly create: true;
  readonly name: string;
  readonly annotations: { readonly "eks.amazonaws.com/role-arn": pulumi.Input<string> };
}

export interface TopologySpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly whenUnsatisfiable: "DoNotSchedule" | "ScheduleAnyway";
  readonly labelSelector: { readonly matchLabels: Readonly<Record<string, string>> };
}

/** The subset of the metrics-server chart's values Crest sets. */
export interface MetricsServerValues {
  readonly replicas: number;
  readonly podDisruptionBudget: { readonly enabled: boolean; readonly minAvailable: number };
  readonly topologySpreadConstraints: readonly TopologySpreadConstraint[];
}

/** The subset of the aws-load-balancer-controller chart's values Crest sets. */
export interface LoadBalancerControllerValues {
  readonly clusterName: pulumi.Input<string>;
  /** Given, not discovered: IMDS is out of the controller's reach (hop limit 1). */
  readonly region: string;
  readonly vpcId: pulumi.Input<string>;
  readonly replicaCount: number;
  readonly serviceAccount: IrsaServiceAccount;
}

/** The subset of the secrets-store-csi-driver chart's values Crest sets. */
export interface SecretsStoreCsiDriverValues {
  /** Off: secrets stay files in the pod, never copies in Kubernetes Secrets. */
  readonly syncSecret: { readonly enabled: boolean };
  readonly enableSecretRotation: boolean;
  readonly rotationPollInterval: string;
}

/** The subset of the secrets-store-csi-driver-provider-aws chart's values Crest sets. */
export interface SecretsStoreProviderAwsValues {
  readonly "secrets-store-csi-driver": { readonly install: boolean };
}

/** The subset of the cluster-autoscaler chart's values Crest sets. */
export interface ClusterAutoscalerValues {
  readonly cloudProvider: "aws";
  readonly awsRegion: string;
  readonly autoDiscovery: { readonly clusterName: pulumi.Input<string> };
  readonly image: { readonly tag: string };
  readonly replicaCount: number;
  readonly rbac: { readonly serviceAccount: IrsaServiceAccount };
  readonly extraArgs: Readonly<Record<string, string | boolean>>;
}
