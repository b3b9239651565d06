import type { AuroraBackupSettings } from "../../infra/backup";
import type { DeclaredSale } from "../../infra/capacity/args";
import { defaultKubernetesVersion, instanceTypes } from "../../infra/lib/pins";
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

/**
 * Settings a tier holds at or above a minimum, by config key, and why. The API's floor is per AZ:
 * one pod in every AZ, so losing a zone never takes the API down.
 */
export const floorReasons = {
  "mysql.readersPerShard": "a reader in another AZ to fail over to",
  "mysql.backupRetentionDays": "point-in-time recovery window",
  "redis.replicasPerShard": "Multi-AZ automatic failover needs a replica",
  "redis.snapshotRetentionDays": "daily snapshots to restore from",
  "kafka.replicationFactor": "a copy of every partition in each of 3 AZs",
  "kafka.minInsyncReplicas": "an acknowledged write survives losing a broker",
  "workload.api.minReplicas": "an API pod in every AZ, so losing a zone leaves the API serving",
  "workload.worker.minReplicas": "orders keep draining while a worker restarts",
} as const;
export type FloorKey = keyof typeof floorReasons;
/** Floors counted per AZ of the stack. */
export const perAzFloors: ReadonlySet<FloorKey> = new Set(["workload.api.minReplicas"]);

/** The floor a tier holds every stack to, whatever its file says. */
export interface TierRules {
  readonly minAvailabilityZones: number;
  readonly floors: Readonly<Record<FloorKey, number>>;
  readonly requireDrRegion: boolean;
  /** The Kubernetes API endpoint may be reachable from outside the VPC. */
  readonly allowPublicClusterEndpoint: boolean;
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
  /** The sale each tier is sized for; a sale window is the stack's own (it has no default). */
  readonly capacity: Omit<DeclaredSale, "saleWindow">;
  readonly rules: TierRules;
}

/** The highly available, secure baseline. Production runs on exactly this. */
const prod: TierDefaults = {
  availabilityZoneCount: 3,
  protect: true,
  network: { natGateways: "perAz", flowLogRetentionDays: 365 },
  mysql: {
    shards: 4,
    readersPerShard: 2,
    instanceClass: instanceTypes.mysql.prod.value,
    backupRetentionDays: 14,
  },
  redis: {
    shards: 3,
    replicasPerShard: 2,
    nodeType: instanceTypes.redis.prod.value,
    snapshotRetentionDays: 7,
    logRetentionDays: 365,
  },
  kafka: {
    brokers: 3,
    instanceType: instanceTypes.kafka.prod.value,
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
    kubernetesVersion: defaultKubernetesVersion,
    nodeInstanceTypes: [...instanceTypes.nodes.prod.value],
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
  // The seeds' order of magnitude: tens of thousands of requests per second within half a minute.
  capacity: {
    peakReadsPerSecond: 20_000,
    peakOrderAttemptsPerSecond: 5_000,
    expectedOrdersPerSecond: 500,
    baselineReadsPerSecond: 200,
    baselineOrderAttemptsPerSecond: 20,
    orderAttemptsPerBuyerPerSecond: 1,
    rampSeconds: 30,
    durationSeconds: 300,
  },
  rules: {
    minAvailabilityZones: 3,
    floors: {
      "mysql.readersPerShard": 1,
      "mysql.backupRetentionDays": 7,
      "redis.replicasPerShard": 1,
      "redis.snapshotRetentionDays": 1,
      "kafka.replicationFactor": 3,
      "kafka.minInsyncReplicas": 2,
      "workload.api.minReplicas": 1,
      "workload.worker.minReplicas": 2,
    },
    requireDrRegion: true,
    allowPublicClusterEndpoint: false,
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
  mysql: {
    shards: 2,
    readersPerShard: 0,
    instanceClass: instanceTypes.mysql.dev.value,
    backupRetentionDays: 1,
  },
  redis: {
    ...prod.redis,
    shards: 1,
    replicasPerShard: 1,
    nodeType: instanceTypes.redis.dev.value,
    snapshotRetentionDays: 0,
    logRetentionDays: 30,
  },
  kafka: {
    ...prod.kafka,
    brokers: 2,
    // Same size as prod: T3 brokers are not documented for 3.9 KRaft (infra/lib/pins.ts, with the cost).
    instanceType: instanceTypes.kafka.dev.value,
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
    nodeInstanceTypes: [...instanceTypes.nodes.dev.value],
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
  // A rehearsal of the sale's shape at a size dev's few pods carry.
  capacity: {
    peakReadsPerSecond: 1_000,
    peakOrderAttemptsPerSecond: 200,
    expectedOrdersPerSecond: 20,
    baselineReadsPerSecond: 10,
    baselineOrderAttemptsPerSecond: 1,
    orderAttemptsPerBuyerPerSecond: 1,
    rampSeconds: 60,
    durationSeconds: 300,
  },
  rules: {
    minAvailabilityZones: 2,
    floors: {
      "mysql.readersPerShard": 0,
      "mysql.backupRetentionDays": 1,
      "redis.replicasPerShard": 1,
      "redis.snapshotRetentionDays": 0,
      "kafka.replicationFactor": 1,
      "kafka.minInsyncReplicas": 1,
      "workload.api.minReplicas": 0,
      "workload.worker.minReplicas": 1,
    },
    requireDrRegion: false,
    allowPublicClusterEndpoint: true,
  },
};

export const tierDefaults: Record<Tier, TierDefaults> = { dev, prod };

/**
 * AWS Backup of the Aurora shards, by tier (not a stack-file key yet). Prod keeps 35 daily points,
 * copies each to `crest:storage.drRegion` and locks both vaults. Dev keeps a week, deliberately
 * without the copy (a dev stack has no DR region) and without the lock (a locked vault cannot be
 * destroyed, and dev stacks are torn down).
 */
export const auroraBackupTierDefaults: Record<Tier, AuroraBackupSettings> = {
  prod: { schedule: "cron(0 18 * * ? *)", retentionDays: 35, copyToDrRegion: true, vaultLock: true },
  dev: { schedule: "cron(0 18 * * ? *)", retentionDays: 7, copyToDrRegion: false, vaultLock: false },
};
