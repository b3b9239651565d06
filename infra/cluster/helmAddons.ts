import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import loadBalancerControllerPolicy from "./awsLoadBalancerControllerPolicy.json";
import {
  type ClusterAutoscalerValues,
  type HelmChart,
  helmCharts,
  type IrsaServiceAccount,
  type LoadBalancerControllerValues,
  type MetricsServerValues,
  type SecretsStoreCsiDriverValues,
  type SecretsStoreProviderAwsValues,
} from "./charts";
import { type OidcIssuer, serviceAccountRole } from "./irsa";

export interface HelmAddonsArgs {
  readonly clusterName: string;
  readonly region: string;
  readonly vpcId: pulumi.Input<string>;
  readonly oidc: OidcIssuer;
  readonly clusterAutoscalerImageTag: string;
  readonly provider: k8s.Provider;
  /** What must run before any chart: nodes to schedule on and CoreDNS to resolve with. */
  readonly dependsOn: pulumi.Resource[];
}

/**
 * Scale-out and scale-in of this cluster's node groups only: the write actions are conditioned on
 * the discovery tags EKS puts on each managed node group's Auto Scaling group. The read actions
 * are the autoscaler's documented minimum for auto-discovery with launch templates
 * (cluster-autoscaler/cloudprovider/aws/README.md).
 */
export function clusterAutoscalerPolicy(clusterName: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ScaleThisClustersNodeGroupsOnly",
        Effect: "Allow",
        Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
        Resource: "*",
        Condition: {
          StringEquals: {
            "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled": "true",
            [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned",
          },
        },
      },
      {
        Sid: "DiscoverNodeGroups",
        Effect: "Allow",
        Action: [
          "autoscaling:DescribeAutoScalingGroups",
          "autoscaling:DescribeAutoScalingInstances",
          "autoscaling:DescribeLaunchConfigurations",
          "autoscaling:DescribeScalingActivities",
          "autoscaling:DescribeTags",
          "ec2:DescribeImages",
          "ec2:DescribeInstanceTypes",
          "ec2:DescribeLaunchTemplateVersions",
          "ec2:GetInstanceTypesFromInstanceRequirements",
          "eks:DescribeNodegroup",
        ],
        Resource: "*",
      },
    ],
  });
}

const zoneSpread = (labels: Record<string, string>) => ({
  maxSkew: 1,
  topologyKey: "topology.kubernetes.io/zone",
  whenUnsatisfiable: "ScheduleAnyway" as const,
  labelSelector: { matchLabels: labels },
});

/**
 * The cluster's Helm add-ons, each a `helm.v3.Release` (one resource the offline plan records with
 * its chart, version and values): metrics-server for the HPAs, the AWS Load Balancer Controller,
 * the Secrets Store CSI driver with the AWS provider (Secrets Manager secrets as files), and the
 * cluster autoscaler. Returns the releases, for workloads that need them first.
 */
export function helmAddons(
  name: string,
  args: HelmAddonsArgs,
  parent: pulumi.Resource,
): k8s.helm.v3.Release[] {
  // Role names stay short: IAM allows 64 characters, and Pulumi appends 8 to make them unique.
  const irsa = (
    role: string,
    chart: HelmChart,
    serviceAccount: string,
    policy: string,
  ): IrsaServiceAccount => {
    const { roleArn } = serviceAccountRole(
      `${name}-${role}`,
      { cluster: args.oidc, namespace: chart.namespace, serviceAccount, policy },
      { parent },
    );
    return { create: true, name: serviceAccount, annotations: { "eks.amazonaws.com/role-arn": roleArn } };
  };
  const install = (chart: HelmChart, values: object, dependsOn: pulumi.Resource[] = []) =>
    new k8s.helm.v3.Release(
      `${name}-${chart.release}`,
      {
        name: chart.release,
        chart: chart.chart,
        version: chart.version,
        repositoryOpts: { repo: chart.repo },
        namespace: chart.namespace,
        values: { ...values },
        // A failed install or upgrade rolls back instead of leaving a half-applied release.
        atomic: true,
        cleanupOnFail: true,
        timeout: 600,
      },
      { parent, provider: args.provider, dependsOn: [...args.dependsOn, ...dependsOn] },
    );

  const charts = helmCharts;
  const metricsServer: MetricsServerValues = {
    replicas: 2,
    podDisruptionBudget: { enabled: true, minAvailable: 1 },
    topologySpreadConstraints: [
      zoneSpread({
        "app.kubernetes.io/name": "metrics-server",
        "app.kubernetes.io/instance": charts.metricsServer.release,
      }),
    ],
  };
  const loadBalancerController: LoadBalancerControllerValues = {
    clusterName: args.clusterName,
    region: args.region,
    vpcId: args.vpcId,
    replicaCount: 2,
    serviceAccount: irsa(
      "lb-controller",
      charts.awsLoadBalancerController,
      "aws-load-balancer-controller",
      JSON.stringify(loadBalancerControllerPolicy),
    ),
  };
  const secretsStoreDriver: SecretsStoreCsiDriverValues = {
    syncSecret: { enabled: false },
    enableSecretRotation: true,
    rotationPollInterval: "2m",
  };
  const secretsStoreProvider: SecretsStoreProviderAwsValues = {
    "secrets-store-csi-driver": { install: false },
  };
  const clusterAutoscaler: ClusterAutoscalerValues = {
    cloudProvider: "aws",
    awsRegion: args.region,
    autoDiscovery: { clusterName: args.clusterName },
    image: { tag: args.clusterAutoscalerImageTag },
    replicaCount: 2,
    rbac: {
      serviceAccount: irsa(
        "autoscaler",
        charts.clusterAutoscaler,
        "cluster-autoscaler",
        clusterAutoscalerPolicy(args.clusterName),
      ),
    },
    extraArgs: {
      // One group per AZ: grow them in step so replicas spread across zones stay schedulable.
      "balance-similar-node-groups": true,
      expander: "least-waste",
      // kube-system pods have replicas and PDBs, and pods' emptyDir is scratch: neither pins a node.
      "skip-nodes-with-system-pods": false,
      "skip-nodes-with-local-storage": false,
    },
  };

  const driver = install(charts.secretsStoreCsiDriver, secretsStoreDriver);
  return [
    install(charts.metricsServer, metricsServer),
    install(charts.awsLoadBalancerController, loadBalancerController),
    driver,
    // The provider registers in the driver's socket directory: driver first.
    install(charts.secretsStoreProviderAws, secretsStoreProvider, [driver]),
    install(charts.clusterAutoscaler, clusterAutoscaler),
  ];
}
