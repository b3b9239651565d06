import type { Tier } from "./schema";
import type {
  ClusterSettings,
  EdgeSettings,
  KafkaSettings,
  MysqlSettings,
  NetworkSettings,
  RedisSettings,
  StorageSettings,
  WechatSettings,
  WorkloadSettings,
} from "./types";

/** The floor a tier holds every stack to, whatever its file says. */
export interface TierRules {
  readonly minAvailabilityZones: number;
  readonly minReadersPerShard: number;
  readonly minBackupRetentionDays: number;
  readonly minRedisReplicasPerShard: number;
  readonly minRedisSnapshotRetentionDays: number;
  readonly minKafkaReplicationFactor: number;
  readonly minKafkaInsyncReplicas: number;
  readonly requireDrRegion: boolean;
  /** The Kubernetes API endpoint may be reachable from outside the VPC. */
  readonly allowPublicClusterEndpoint: boolean;
  /** Fewest API pods: one per AZ, so losing a zone never takes the API down. */
  readonly minApiReplicasPerAz: number;
  readonly minWorkerReplicas: number;
}

/** Every setting that has a default, resolved for one tier, and the tier's rules. */
export interface TierDefaults {
  /** How many of the region's AZs a stack spans when it does not list them. */
  readonly availabilityZoneCount: number;
  readonly protect: boolean;
  readonly network: Omit<NetworkSettings, "availabilityZones" | "vpcCidr">;
  readonly mysql: MysqlSettings;
  readonly redis: RedisSettings;
  readonly kafka: KafkaSettings;
  readonly storage: Omit<StorageSettings, "drRegion">;
  readonly cluster: ClusterSettings;
  readonly workload: WorkloadSettings;
  readonly edge: Omit<EdgeSettings, "domainName" | "hostedZoneId">;
  readonly wechat: Omit<WechatSettings, "appId">;
  readonly rules: TierRules;
}

/** The highly available, secure baseline. Production runs on exactly this. */
const prod: TierDefaults = {
  availabilityZoneCount: 3,
  protect: true,
  network: { natGateways: "perAz", flowLogRetentionDays: 365 },
  mysql: { shards: 4, readersPerShard: 2, instanceClass: "db.r7g.large", backupRetentionDays: 14 },
  redis: {
    shards: 3,
    replicasPerShard: 2,
    nodeType: "cache.r7g.large",
    snapshotRetentionDays: 7,
    logRetentionDays: 365,
  },
  kafka: {
    brokers: 3,
    instanceType: "kafka.m7g.large",
    volumeSizeGiB: 1000,
    maxVolumeSizeGiB: 4000,
    replicationFactor: 3,
    minInsyncReplicas: 2,
    logRetentionDays: 365,
    ordersPartitions: 12,
    deadLetterPartitions: 3,
  },
  storage: {
    archive: {
      standardIaAfterDays: 30,
      glacierIrAfterDays: 90,
      deepArchiveAfterDays: 365,
      noncurrentVersionExpirationDays: 90,
    },
    accessLogRetentionDays: 365,
  },
  cluster: {
    kubernetesVersion: "1.36",
    nodeInstanceTypes: ["m7g.xlarge"],
    nodesPerAz: { min: 2, max: 10, desired: 2 },
    endpointPublicAccess: false,
    publicAccessCidrs: [],
    logRetentionDays: 365,
  },
  workload: {
    api: {
      minReplicas: 3,
      maxReplicas: 30,
      cpu: { request: "500m", limit: "1" },
      memory: { request: "1Gi", limit: "1Gi" },
    },
    worker: {
      minReplicas: 3,
      maxReplicas: 12,
      cpu: { request: "500m", limit: "1" },
      memory: { request: "1Gi", limit: "1Gi" },
    },
  },
  edge: { rateLimitPerIp: 2000, priceClass: "PriceClass_All", accessLogRetentionDays: 365 },
  wechat: { apiBaseUrl: "https://api.weixin.qq.com" },
  rules: {
    minAvailabilityZones: 3,
    minReadersPerShard: 1,
    minBackupRetentionDays: 7,
    minRedisReplicasPerShard: 1,
    minRedisSnapshotRetentionDays: 1,
    minKafkaReplicationFactor: 3,
    minKafkaInsyncReplicas: 2,
    requireDrRegion: true,
    allowPublicClusterEndpoint: false,
    minApiReplicasPerAz: 1,
    minWorkerReplicas: 2,
  },
};

/**
 * The one place where dev trades redundancy and size for cost. Security settings are never
 * overridden here — encryption, TLS, authentication and network isolation are the same in every
 * tier: dev differs from prod in size and redundancy only.
 */
const dev: TierDefaults = {
  ...prod,
  availabilityZoneCount: 2,
  protect: false,
  network: { ...prod.network, natGateways: "single", flowLogRetentionDays: 30 },
  mysql: { shards: 2, readersPerShard: 0, instanceClass: "db.t4g.medium", backupRetentionDays: 1 },
  redis: {
    ...prod.redis,
    shards: 1,
    replicasPerShard: 1,
    nodeType: "cache.t4g.small",
    snapshotRetentionDays: 0,
    logRetentionDays: 30,
  },
  kafka: {
    ...prod.kafka,
    brokers: 2,
    instanceType: "kafka.m7g.large",
    volumeSizeGiB: 100,
    maxVolumeSizeGiB: 500,
    replicationFactor: 2,
    minInsyncReplicas: 1,
    logRetentionDays: 30,
    ordersPartitions: 3,
    deadLetterPartitions: 1,
  },
  storage: {
    archive: { ...prod.storage.archive, noncurrentVersionExpirationDays: 30 },
    accessLogRetentionDays: 90,
  },
  cluster: {
    ...prod.cluster,
    nodeInstanceTypes: ["t4g.large"],
    nodesPerAz: { min: 1, max: 3, desired: 1 },
    logRetentionDays: 30,
  },
  workload: {
    api: {
      minReplicas: 1,
      maxReplicas: 3,
      cpu: { request: "250m", limit: "1" },
      memory: { request: "512Mi", limit: "512Mi" },
    },
    worker: {
      minReplicas: 1,
      maxReplicas: 2,
      cpu: { request: "250m", limit: "1" },
      memory: { request: "512Mi", limit: "512Mi" },
    },
  },
  edge: { ...prod.edge, rateLimitPerIp: 1000, priceClass: "PriceClass_100", accessLogRetentionDays: 30 },
  rules: {
    minAvailabilityZones: 2,
    minReadersPerShard: 0,
    minBackupRetentionDays: 1,
    minRedisReplicasPerShard: 1,
    minRedisSnapshotRetentionDays: 0,
    minKafkaReplicationFactor: 1,
    minKafkaInsyncReplicas: 1,
    requireDrRegion: false,
    allowPublicClusterEndpoint: true,
    minApiReplicasPerAz: 0,
    minWorkerReplicas: 1,
  },
};

export const tierDefaults: Record<Tier, TierDefaults> = { dev, prod };
