import type { DeclaredSale } from "../../infra/capacity/args";
import type { PriceClass } from "../../infra/cdn/args";
import type { EksClusterArgs } from "../../infra/cluster/args";
import type { KafkaClusterArgs } from "../../infra/kafka";
import type { ShardedMysqlArgs } from "../../infra/mysql";
import type { NatGatewayMode } from "../../infra/network";
import type { RedisClusterArgs } from "../../infra/redis";
import type { DeploymentSizeArgs } from "../../infra/workload/args";
import type { RegionName } from "./regions";
import type { Tier } from "./schema";

export interface NetworkSettings {
  readonly availabilityZones: readonly string[];
  readonly vpcCidr: string;
  readonly natGateways: NatGatewayMode;
  readonly flowLogRetentionDays: number;
}

/** A component's optional size arguments, every one resolved: the config holds each size once. */
type Resolved<Args, Key extends keyof Args> = { readonly [K in Key]-?: Exclude<Args[K], undefined> };

export type MysqlSettings = Resolved<
  ShardedMysqlArgs,
  "shards" | "readersPerShard" | "instanceClass" | "backupRetentionDays"
>;

export type RedisSettings = Resolved<
  RedisClusterArgs,
  "shards" | "replicasPerShard" | "nodeType" | "snapshotRetentionDays" | "logRetentionDays"
>;

export type KafkaSettings = Resolved<
  KafkaClusterArgs,
  | "brokers"
  | "instanceType"
  | "volumeSizeGiB"
  | "maxVolumeSizeGiB"
  | "replicationFactor"
  | "minInsyncReplicas"
  | "logRetentionDays"
> & {
  /** Partition counts of the two topics the platform creates (their names are fixed). */
  readonly ordersPartitions: number;
  readonly deadLetterPartitions: number;
};

export interface StorageSettings {
  readonly archive: {
    readonly standardIaAfterDays: number;
    readonly glacierIrAfterDays: number;
    readonly deepArchiveAfterDays: number;
    readonly noncurrentVersionExpirationDays: number;
  };
  readonly accessLogRetentionDays: number;
  /** Region the archive replicates to; absent means no replication. */
  readonly drRegion?: RegionName;
}

export type ClusterSettings = Resolved<
  EksClusterArgs,
  | "kubernetesVersion"
  | "nodeInstanceTypes"
  | "nodesPerAz"
  | "endpointPublicAccess"
  | "publicAccessCidrs"
  | "logRetentionDays"
>;

export type DeploymentSettings = Resolved<
  DeploymentSizeArgs,
  "minReplicas" | "maxReplicas" | "cpu" | "memory"
>;

export interface WorkloadSettings {
  readonly api: DeploymentSettings;
  readonly worker: DeploymentSettings;
}

export interface EdgeSettings {
  readonly domainName: string;
  readonly hostedZoneId: string;
  readonly rateLimitPerIp: number;
  readonly priceClass: PriceClass;
  readonly accessLogRetentionDays: number;
}

export interface WechatSettings {
  readonly appId: string;
  readonly apiBaseUrl: string;
}

/** A stack's settings with tier defaults applied, validated as a whole. */
export interface StackConfig {
  readonly stack: string;
  readonly tier: Tier;
  readonly region: RegionName;
  readonly accountId: string;
  readonly owner: string;
  readonly costCenter: string;
  /** Deletion protection, final snapshots and Pulumi `protect` on stateful resources: set by the tier. */
  readonly protect: boolean;
  readonly network: NetworkSettings;
  readonly mysql: MysqlSettings;
  readonly redis: RedisSettings;
  readonly kafka: KafkaSettings;
  readonly storage: StorageSettings;
  readonly cluster: ClusterSettings;
  readonly workload: WorkloadSettings;
  readonly edge: EdgeSettings;
  readonly wechat: WechatSettings;
  /** The declared flash sale; its window (pre-scale schedule) only when the stack sets one. */
  readonly capacity: DeclaredSale;
}
