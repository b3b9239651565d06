import { resolve } from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { appHttpPort } from "../app/src/contract/runtimeConfig";
import type { AuroraBackupArgs } from "../infra/backup";
import type { PreScaleArgs } from "../infra/capacity/preScale";
import type { CdnArgs } from "../infra/cdn";
import { type EksClusterArgs, instanceArchitecture } from "../infra/cluster/args";
import type { KafkaClusterArgs } from "../infra/kafka";
import type { LoadBalancerArgs } from "../infra/loadbalancer";
import type { ShardedMysqlArgs } from "../infra/mysql";
import type { NetworkArgs } from "../infra/network";
import type { RedisClusterArgs } from "../infra/redis";
import type { TieredStorageArgs } from "../infra/storage";
import type { WorkloadArgs } from "../infra/workload";
import type { CapacityProfile } from "../tools/capacity/profile";
import { preScaleMinReplicas } from "./config/capacity";
import { auroraBackupTierDefaults } from "./config/tiers";
import type { StackConfig } from "./config/types";

/**
 * How each component's arguments follow from the stack config. The platform builds its components
 * from these; the config was already parsed with the components' own schemas, so a limit is written
 * once — in the component — and reported as a config error before any resource exists.
 */

/**
 * What each component's name adds to `<project>-<stack>` (`app`: the workload and its secrets).
 * The platform names its components with componentName, and the stack-name check measures the same
 * names against each component's limit.
 */
export const componentSuffixes = {
  network: "",
  mysql: "-mysql",
  redis: "-redis",
  kafka: "-kafka",
  storage: "-storage",
  cluster: "-eks",
  edge: "-edge",
  cdn: "-cdn",
  app: "-app",
} as const;

export type ComponentKey = keyof typeof componentSuffixes;

export function componentName(project: string, stack: string, component: ComponentKey): string {
  return `${project}-${stack}${componentSuffixes[component]}`;
}

/** Where the data stores go: the network's isolated subnets, reachable from the workload only. */
export interface DataPlacement {
  readonly vpcId: pulumi.Input<string>;
  readonly isolatedSubnetIds: readonly pulumi.Input<string>[];
  readonly workloadSecurityGroupId: pulumi.Input<string>;
}

/** Topic names are fixed: the app's RuntimeConfig carries them, the partition counts are config. */
export const topicNames = { orders: "orders", deadLetter: "orders-dlq" } as const;

/** MSK places brokers in 2 or 3 AZs; a stack spanning more gives Kafka its first three. */
export const maxKafkaAvailabilityZones = 3;

export function networkArgs(config: StackConfig): NetworkArgs {
  return { accountId: config.accountId, region: config.region, ...config.network };
}

function placementArgs(config: StackConfig, placement: DataPlacement, azCount = Number.POSITIVE_INFINITY) {
  return {
    accountId: config.accountId,
    region: config.region,
    vpcId: placement.vpcId,
    subnetIds: placement.isolatedSubnetIds.slice(0, azCount),
    availabilityZones: config.network.availabilityZones.slice(0, azCount),
    clientSecurityGroupIds: [placement.workloadSecurityGroupId],
    protect: config.protect,
  };
}

export function mysqlArgs(config: StackConfig, placement: DataPlacement): ShardedMysqlArgs {
  return { ...placementArgs(config, placement), ...config.mysql };
}

/** The shards' AWS Backup: the tier's plan, copied to the storage DR region when the tier says so. */
export function backupArgs(
  config: StackConfig,
  clusterArns: readonly pulumi.Input<string>[],
  drProvider?: pulumi.ProviderResource,
): AuroraBackupArgs {
  const { drRegion } = config.storage;
  return {
    ...auroraBackupTierDefaults[config.tier],
    accountId: config.accountId,
    clusterArns,
    protect: config.protect,
    ...(drRegion && drProvider ? { copyTo: { region: drRegion, provider: drProvider } } : {}),
  };
}

export function redisArgs(config: StackConfig, placement: DataPlacement): RedisClusterArgs {
  return { ...placementArgs(config, placement), ...config.redis, multiAz: true };
}

export function kafkaArgs(config: StackConfig, placement: DataPlacement): KafkaClusterArgs {
  const { ordersPartitions, deadLetterPartitions, ...cluster } = config.kafka;
  return {
    ...placementArgs(config, placement, maxKafkaAvailabilityZones),
    ...cluster,
    topics: [
      { name: topicNames.orders, partitions: ordersPartitions },
      { name: topicNames.deadLetter, partitions: deadLetterPartitions },
    ],
  };
}

export function storageArgs(config: StackConfig, drProvider?: pulumi.ProviderResource): TieredStorageArgs {
  const { drRegion } = config.storage;
  return {
    accountId: config.accountId,
    region: config.region,
    archive: config.storage.archive,
    accessLogRetentionDays: config.storage.accessLogRetentionDays,
    protect: config.protect,
    ...(drRegion && drProvider ? { replication: { region: drRegion, provider: drProvider } } : {}),
  };
}

/** Where the cluster and the load balancer go: the network's private and public subnets. */
export interface ComputePlacement {
  readonly vpcId: pulumi.Input<string>;
  readonly privateSubnetIds: readonly pulumi.Input<string>[];
  readonly publicSubnetIds: readonly pulumi.Input<string>[];
  readonly workloadSecurityGroupId: pulumi.Input<string>;
}

/** Ports the pods reach the data stores on: Aurora MySQL, Valkey, MSK SASL/SCRAM over TLS. */
export const dataStorePorts = [3306, 6379, 9096] as const;

export function clusterArgs(config: StackConfig, placement: ComputePlacement): EksClusterArgs {
  return {
    accountId: config.accountId,
    region: config.region,
    vpcId: placement.vpcId,
    privateSubnetIds: placement.privateSubnetIds,
    availabilityZones: config.network.availabilityZones,
    nodeSecurityGroupIds: [placement.workloadSecurityGroupId],
    ...config.cluster,
    protect: config.protect,
  };
}

export function loadBalancerArgs(config: StackConfig, placement: ComputePlacement): LoadBalancerArgs {
  return {
    accountId: config.accountId,
    region: config.region,
    vpcId: placement.vpcId,
    vpcCidr: config.network.vpcCidr,
    publicSubnetIds: placement.publicSubnetIds,
    availabilityZones: config.network.availabilityZones,
    domainName: config.edge.domainName,
    hostedZoneId: config.edge.hostedZoneId,
    targetPort: appHttpPort,
    accessLogRetentionDays: config.edge.accessLogRetentionDays,
    protect: config.protect,
  };
}

/** The CDN's arguments but its us-east-1 provider, which only exists inside a program. */
export function cdnArgs(
  config: StackConfig,
  origins: Pick<CdnArgs, "apiOrigin" | "staticAssetsBucketRegionalDomainName">,
): Omit<CdnArgs, "usEast1Provider"> {
  const { domainName, hostedZoneId, rateLimitPerIp, priceClass, accessLogRetentionDays } = config.edge;
  return {
    accountId: config.accountId,
    domainName,
    hostedZoneId,
    rateLimitPerIp,
    priceClass,
    accessLogRetentionDays,
    ...origins,
    protect: config.protect,
  };
}

/** What the workload takes from other components rather than from config. */
type WorkloadWiring = Pick<
  WorkloadArgs,
  "runtimeConfig" | "secrets" | "serviceAccountRoleArn" | "targetGroupArn" | "cdnUrl" | "smokeDependsOn"
>;

/** The repository root: the image's build context. */
const repositoryRoot = resolve(__dirname, "..");

export function workloadArgs(
  config: StackConfig,
  wiring: WorkloadWiring,
): Omit<WorkloadArgs, "kubernetesProvider"> {
  return {
    accountId: config.accountId,
    region: config.region,
    image: {
      context: repositoryRoot,
      dockerfile: "app/Dockerfile",
      // What app/Dockerfile copies: the image tag is a hash of exactly these.
      sources: [
        "package.json",
        "package-lock.json",
        "tsconfig.json",
        "app/package.json",
        "policies/package.json",
        "app/tsconfig.build.json",
        "app/src",
      ],
      platform:
        instanceArchitecture(config.cluster.nodeInstanceTypes[0] ?? "") === "arm64"
          ? "linux/arm64"
          : "linux/amd64",
    },
    api: config.workload.api,
    worker: { ...config.workload.worker, ordersPartitions: config.kafka.ordersPartitions },
    availabilityZones: config.network.availabilityZones,
    vpcCidr: config.network.vpcCidr,
    dataStorePorts: [...dataStorePorts],
    ...wiring,
    protect: config.protect,
  };
}

/**
 * The scheduled pre-scale of the API before the declared sale window, or undefined when the stack
 * declares none. The workload names each mode's HPA after the mode, so the API's is `api`.
 */
export function preScaleArgs(
  config: StackConfig,
  wiring: Pick<PreScaleArgs, "namespace" | "kubernetesProvider">,
  capacityProfile?: CapacityProfile,
): PreScaleArgs | undefined {
  const window = config.capacity.saleWindow;
  if (!window) return undefined;
  return {
    ...wiring,
    autoscalerName: "api",
    preScaleMinReplicas: preScaleMinReplicas(config, capacityProfile),
    restoreMinReplicas: config.workload.api.minReplicas,
    window,
  };
}
