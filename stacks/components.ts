import type * as pulumi from "@pulumi/pulumi";
import type { KafkaClusterArgs } from "../infra/kafka";
import type { ShardedMysqlArgs } from "../infra/mysql";
import type { NetworkArgs } from "../infra/network";
import type { RedisClusterArgs } from "../infra/redis";
import type { TieredStorageArgs } from "../infra/storage";
import type { StackConfig } from "./config/types";

/**
 * How each component's arguments follow from the stack config. The platform builds its components
 * from these, and config validation runs each component's own checks on the same arguments, so a
 * limit is written once — in the component — and still reported as a config error before any
 * resource exists.
 */

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
