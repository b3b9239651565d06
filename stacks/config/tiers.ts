import type { Tier } from "./schema";
import type { KafkaSettings, MysqlSettings, NetworkSettings, RedisSettings, StorageSettings } from "./types";

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
  rules: {
    minAvailabilityZones: 3,
    minReadersPerShard: 1,
    minBackupRetentionDays: 7,
    minRedisReplicasPerShard: 1,
    minRedisSnapshotRetentionDays: 1,
    minKafkaReplicationFactor: 3,
    minKafkaInsyncReplicas: 2,
    requireDrRegion: true,
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
    instanceType: "kafka.t3.small",
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
  rules: {
    minAvailabilityZones: 2,
    minReadersPerShard: 0,
    minBackupRetentionDays: 1,
    minRedisReplicasPerShard: 1,
    minRedisSnapshotRetentionDays: 0,
    minKafkaReplicationFactor: 1,
    minKafkaInsyncReplicas: 1,
    requireDrRegion: false,
  },
};

export const tierDefaults: Record<Tier, TierDefaults> = { dev, prod };
