import type * as pulumi from "@pulumi/pulumi";

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
 * Every chart the cluster installs, pinned; upgrades are a reviewed change to this table. Versions
 * checked in November 2026 against each project's releases:
 * - metrics-server 3.14.0 (app v0.8, built against Kubernetes 1.36)
 * - aws-load-balancer-controller 3.5.0 (app v3.5.0; its IAM policy is awsLoadBalancerControllerPolicy.json)
 * - secrets-store-csi-driver 1.6.0 (driver v1.5.4)
 * - secrets-store-csi-driver-provider-aws 2.2.0 (ASCP; its own copy of the driver is turned off)
 * - cluster-autoscaler 9.59.0, run with the image of the cluster's minor (see kubernetesVersions)
 */
export const helmCharts = {
  metricsServer: {
    chart: "metrics-server",
    version: "3.14.0",
    repo: "https://kubernetes-sigs.github.io/metrics-server/",
    namespace: "kube-system",
    release: "metrics-server",
  },
  awsLoadBalancerController: {
    chart: "aws-load-balancer-controller",
    version: "3.5.0",
    repo: "https://aws.github.io/eks-charts",
    namespace: "kube-system",
    release: "aws-load-balancer-controller",
  },
  secretsStoreCsiDriver: {
    chart: "secrets-store-csi-driver",
    version: "1.6.0",
    repo: "https://kubernetes-sigs.github.io/secrets-store-csi-driver/charts",
    namespace: "kube-system",
    release: "secrets-store-csi-driver",
  },
  secretsStoreProviderAws: {
    chart: "secrets-store-csi-driver-provider-aws",
    version: "2.2.0",
    repo: "https://aws.github.io/secrets-store-csi-driver-provider-aws",
    namespace: "kube-system",
    release: "secrets-store-csi-driver-provider-aws",
  },
  clusterAutoscaler: {
    chart: "cluster-autoscaler",
    version: "9.59.0",
    repo: "https://kubernetes.github.io/autoscaler",
    namespace: "kube-system",
    release: "cluster-autoscaler",
  },
} as const satisfies Record<string, HelmChart>;

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
