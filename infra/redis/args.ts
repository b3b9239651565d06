import { z } from "zod";
import { logRetentionSchema } from "../lib/logs";
import { instanceTypes } from "../lib/pins";
import { type DataStorePlacementArgs, placementProblems } from "../lib/placement";
import type { Problem } from "../lib/problems";
import { allowed, integer, parseSettings } from "../lib/schema";

/** ElastiCache's default quota: 90 nodes per cluster (shards × (1 + replicas)), raisable to 500. */
const maxNodesPerCluster = 90;
const maxReplicasPerShard = 5;
const maxSnapshotRetentionDays = 35;

/** The sizes and retention of a RedisCluster: type, limits, description and baseline default of each, once. */
export const redisClusterSettingsSchema = z.object({
  shards: integer(
    1,
    maxNodesPerCluster,
    `ElastiCache's default quota is ${maxNodesPerCluster} nodes per cluster`,
  )
    .describe(
      "Shards (node groups) of the cluster-mode Valkey replication group, each owning a slice of the 16384 hash slots.",
    )
    .default(3),
  replicasPerShard: integer(
    0,
    maxReplicasPerShard,
    `ElastiCache allows ${maxReplicasPerShard} replicas per shard`,
  )
    .describe("Read replicas per shard; a replica is what a shard fails over to (at least 1 for Multi-AZ).")
    .default(2),
  multiAz: z
    .boolean()
    .describe("Replicas in other AZs than their primary, promoted automatically when it fails.")
    .default(true),
  nodeType: z
    .string()
    .regex(
      /^cache\.[a-z0-9]+\.[a-z0-9]+$/,
      allowed(
        `an ElastiCache node type, which starts with "cache.", e.g. "${instanceTypes.redis.prod.value}"`,
      ),
    )
    .describe("ElastiCache node type of every node.")
    .default(instanceTypes.redis.prod.value),
  snapshotRetentionDays: integer(0, maxSnapshotRetentionDays, "0 turns automatic snapshots off")
    .describe("Days automatic daily snapshots are kept; 0 turns them off.")
    .default(7),
  logRetentionDays: logRetentionSchema
    .describe("Days the slow log and engine log are kept in CloudWatch Logs.")
    .default(365),
});

export type RedisClusterSettings = z.output<typeof redisClusterSettingsSchema>;

/** The settings above (each optional: every one has a default) and where the cluster lives. */
export type RedisClusterArgs = Readonly<z.input<typeof redisClusterSettingsSchema>> & DataStorePlacementArgs;

/** What the sizes demand of each other: the node quota, and a replica for Multi-AZ to fail over to. */
export function redisClusterSettingsProblems(settings: RedisClusterSettings): Problem[] {
  const { shards, replicasPerShard: replicas } = settings;
  const problems: Problem[] = [];
  if (shards * (1 + replicas) > maxNodesPerCluster) {
    problems.push({
      path: "shards",
      value: shards,
      allowed:
        `at most ${Math.floor(maxNodesPerCluster / (1 + replicas))} shards with ${replicas} replicas each ` +
        `(ElastiCache's default quota is ${maxNodesPerCluster} nodes per cluster: shards × (1 + replicasPerShard))`,
    });
  }
  if (settings.multiAz && replicas === 0) {
    problems.push({
      path: "multiAz",
      value: true,
      allowed:
        "false when replicasPerShard is 0 (Multi-AZ fails over to a replica: set replicasPerShard to 1 or more)",
    });
  }
  return problems;
}

export function redisClusterArgsProblems(args: RedisClusterArgs): Problem[] {
  const { settings, problems } = parseSettings(redisClusterSettingsSchema, args);
  return [
    ...problems,
    ...(settings ? redisClusterSettingsProblems(settings) : []),
    ...placementProblems(
      args,
      // Multi-AZ unless it is turned off.
      args.multiAz !== false
        ? { min: 2, max: 6, why: "multiAz puts replicas outside their primary's AZ" }
        : { min: 1, max: 6, why: "one isolated subnet each" },
    ),
  ];
}
