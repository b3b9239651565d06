import type { PriceClass } from "../../infra/cdn/args";
import type { NatGatewayMode } from "../../infra/network";
import type { RegionName } from "./regions";
import type { Tier } from "./schema";

export interface NetworkSettings {
  readonly availabilityZones: readonly string[];
  readonly vpcCidr: string;
  readonly natGateways: NatGatewayMode;
  readonly flowLogRetentionDays: number;
}

export interface MysqlSettings {
  readonly shards: number;
  readonly readersPerShard: number;
  readonly instanceClass: string;
  readonly backupRetentionDays: number;
}

export interface RedisSettings {
  readonly shards: number;
  readonly replicasPerShard: number;
  readonly nodeType: string;
  readonly snapshotRetentionDays: number;
  readonly logRetentionDays: number;
}

export interface KafkaSettings {
  readonly brokers: number;
  readonly instanceType: string;
  readonly volumeSizeGiB: number;
  readonly maxVolumeSizeGiB: number;
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
  readonly logRetentionDays: number;
  readonly ordersPartitions: number;
  readonly deadLetterPartitions: number;
}

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

export interface ClusterSettings {
  readonly kubernetesVersion: string;
  readonly nodeInstanceTypes: readonly string[];
  readonly nodesPerAz: { readonly min: number; readonly max: number; readonly desired: number };
  readonly endpointPublicAccess: boolean;
  readonly publicAccessCidrs: readonly string[];
  readonly logRetentionDays: number;
}

export interface DeploymentSettings {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly cpu: { readonly request: string; readonly limit: string };
  readonly memory: { readonly request: string; readonly limit: string };
}

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
}
