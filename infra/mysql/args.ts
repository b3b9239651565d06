import { z } from "zod";
import { instanceTypes } from "../lib/pins";
import { type DataStorePlacementArgs, placementProblems } from "../lib/placement";
import type { Problem } from "../lib/problems";
import { allowed, integer, parseSettings } from "../lib/schema";

/** AWS allows 15 Aurora Replicas per cluster. */
const maxReadersPerShard = 15;
/**
 * Each API and worker pod keeps a connection pool to every shard and the shard map travels in
 * RuntimeConfig, so the platform stops at 64; past that, re-sharding is the answer, not more shards.
 * (RDS's default regional quota is 40 clusters and 40 instances; more needs a quota increase.)
 */
const maxShards = 64;

const badInstanceClass = allowed(
  'a provisioned DB instance class "db.<family>.<size>" that supports Performance Insights ' +
    `(not db.t2.*, db.t3.*, nor the micro and small db.t4g sizes), e.g. "${instanceTypes.mysql.prod.value}"`,
);

/** The sizes of a ShardedMysql: type, limits, description and baseline default of each, once. */
export const shardedMysqlSettingsSchema = z.object({
  shards: integer(1, maxShards, "the platform's shard ceiling: a connection pool per shard per pod").describe(
    "Independent Aurora MySQL clusters the data is spread over; users map to shards by consistent hashing.",
  ),
  readersPerShard: integer(0, maxReadersPerShard, "Aurora allows 15 replicas").describe(
    "Aurora Replicas per shard, spread over the AZs: read scaling and failover targets (0 leaves a shard with no standby).",
  ),
  instanceClass: z
    .string(badInstanceClass)
    .regex(/^db\.[a-z0-9-]+\.[a-z0-9]+$/, badInstanceClass)
    .refine((c) => !/^db\.(t2|t3)\./.test(c) && !/^db\.t4g\.(micro|small)$/.test(c), badInstanceClass)
    .describe("Provisioned DB instance class of every writer and reader.")
    .default(instanceTypes.mysql.prod.value),
  backupRetentionDays: integer(1, 35, "Aurora keeps automated backups 1 to 35 days")
    .describe("Days automated backups (point-in-time restore) are kept.")
    .default(14),
  databaseName: z
    .string()
    .regex(
      /^[A-Za-z][A-Za-z0-9_]{0,63}$/,
      allowed("1 to 64 letters, digits or underscores, starting with a letter"),
    )
    .describe("Database created in every shard.")
    .default("crest"),
});

export type ShardedMysqlSettings = z.output<typeof shardedMysqlSettingsSchema>;

/** The settings above (optional where they have a default) and where the shards live. */
export type ShardedMysqlArgs = Readonly<z.input<typeof shardedMysqlSettingsSchema>> & DataStorePlacementArgs;

export function shardedMysqlArgsProblems(args: ShardedMysqlArgs): Problem[] {
  return [
    ...placementProblems(args, { min: 2, max: 6, why: "a DB subnet group must cover at least 2" }),
    ...parseSettings(shardedMysqlSettingsSchema, args).problems,
  ];
}
