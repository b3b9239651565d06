import { z } from "zod";
import { logRetentionSchema } from "../lib/logs";
import { instanceTypes } from "../lib/pins";
import { type DataStorePlacementArgs, placementProblems } from "../lib/placement";
import type { Problem } from "../lib/problems";
import { allowed, integer, issueProblems, parseSettings } from "../lib/schema";

/** Kafka's legal topic characters and length (`Topic.validate` in Apache Kafka). */
const topicNamePattern = /^[a-zA-Z0-9._-]{1,249}$/;
const maxTopicPartitions = 10000;
/** MSK's bounds on EBS storage per broker, in GiB. */
const maxVolumeSizeGiB = 16384;

/**
 * One topic created through MSK's topic API. The name's rules across topics (no '.'/'_' twins) are
 * checked over the whole list, in `kafkaClusterArgsProblems`.
 */
export const kafkaTopicSchema = z.object({
  name: z
    .string()
    .regex(topicNamePattern)
    .refine((name) => name !== "." && name !== "..")
    .describe('Topic name: 1–249 of a-z A-Z 0-9 . _ -, not "." or "..".'),
  partitions: integer(1, maxTopicPartitions).describe(
    "Partitions of the topic: the ceiling on its consumers' parallelism.",
  ),
});

export type KafkaTopic = Readonly<z.input<typeof kafkaTopicSchema>>;

const badInstanceType = allowed(
  `an MSK Standard broker size "kafka.<family>.<size>", e.g. "${instanceTypes.kafka.prod.value}" ` +
    "(Express brokers have no EBS storage to size)",
);

const evenBrokers = allowed(
  "a positive multiple of the availabilityZones (MSK spreads brokers evenly over the AZs)",
);
const replicaPerBroker = allowed("an integer from 1 to brokers: each replica needs its own broker");
const belowReplication = allowed("an integer from 1, below replicationFactor");

/**
 * The brokers, storage, replication and logs of a KafkaCluster: type, limits, description and
 * baseline default of each, once. Limits that depend on another field or on the AZs (brokers, the
 * volume ceiling, replication) are checked in `kafkaClusterSettingsProblems`.
 */
export const kafkaClusterSettingsSchema = z.object({
  brokers: z
    .number(evenBrokers)
    .int(evenBrokers)
    .describe(
      "MSK brokers; a positive multiple of the AZs Kafka spans (the stack's first 3 AZs: MSK takes 2 or 3). Component default: one per AZ.",
    )
    .optional(),
  instanceType: z
    .string(badInstanceType)
    .regex(/^kafka\.[a-z0-9]+\.[a-z0-9]+$/, badInstanceType)
    .describe("MSK Standard broker size.")
    .default(instanceTypes.kafka.prod.value),
  volumeSizeGiB: integer(1, maxVolumeSizeGiB, "MSK's EBS storage per broker")
    .describe("EBS data volume per broker at creation, GiB; storage autoscaling grows it from there.")
    .default(1000),
  maxVolumeSizeGiB: integer(1, maxVolumeSizeGiB, "MSK's storage per broker")
    .describe(
      "Ceiling storage autoscaling may grow each volume to, GiB (at least volumeSizeGiB). Component default: 4 × volumeSizeGiB, at most 16384.",
    )
    .optional(),
  replicationFactor: z
    .number(replicaPerBroker)
    .int(replicaPerBroker)
    .describe("default.replication.factor and the replication of every topic (1 to brokers).")
    .default(3),
  minInsyncReplicas: z
    .number(belowReplication)
    .int(belowReplication)
    .describe("min.insync.replicas: replicas that must ack an acks=all write (below replicationFactor).")
    .default(2),
  logRetentionDays: logRetentionSchema
    .describe("Days the broker logs are kept in CloudWatch Logs.")
    .default(365),
});

export type KafkaClusterSettings = z.output<typeof kafkaClusterSettingsSchema>;

/**
 * The settings above (each optional: every one has a default), the topics, and where the cluster
 * lives. `brokers` defaults to one per AZ and `maxVolumeSizeGiB` to 4 × volumeSizeGiB (at most 16384).
 */
export type KafkaClusterArgs = Readonly<z.input<typeof kafkaClusterSettingsSchema>> &
  DataStorePlacementArgs & {
    /** Topics created through MSK's topic API (auto-creation is off). @default [] */
    readonly topics?: readonly KafkaTopic[];
  };

const isIntegerIn = (value: number, min: number, max: number) => integer(min, max).safeParse(value).success;

/**
 * What the settings demand of each other and of the `azCount` AZs the cluster spans: brokers spread
 * evenly, a volume ceiling above the volume, a broker per replica, and an in-sync count below the
 * replication factor.
 */
export function kafkaClusterSettingsProblems(settings: KafkaClusterSettings, azCount: number): Problem[] {
  const brokers = settings.brokers ?? azCount;
  const { volumeSizeGiB, replicationFactor, minInsyncReplicas } = settings;
  const problems: Problem[] = [];
  if (!(Number.isInteger(brokers) && brokers > 0 && azCount > 0 && brokers % azCount === 0)) {
    problems.push({
      path: "brokers",
      value: brokers,
      allowed:
        `a positive multiple of the ${azCount} availabilityZones (MSK spreads brokers evenly ` +
        `over the AZs), e.g. ${azCount} or ${2 * azCount}`,
    });
  }
  const ceiling = settings.maxVolumeSizeGiB;
  if (ceiling !== undefined && ceiling < volumeSizeGiB) {
    problems.push({
      path: "maxVolumeSizeGiB",
      value: ceiling,
      allowed: `an integer from volumeSizeGiB (${volumeSizeGiB}) to ${maxVolumeSizeGiB} (MSK's storage per broker)`,
    });
  }
  if (!isIntegerIn(replicationFactor, 1, brokers)) {
    problems.push({
      path: "replicationFactor",
      value: replicationFactor,
      allowed: `an integer from 1 to brokers (${brokers}): each replica needs its own broker`,
    });
  }
  const maxIsr = Math.max(1, replicationFactor - 1);
  if (!isIntegerIn(minInsyncReplicas, 1, maxIsr)) {
    problems.push({
      path: "minInsyncReplicas",
      value: minInsyncReplicas,
      allowed:
        `an integer from 1 to ${maxIsr}, below replicationFactor (${replicationFactor}) ` +
        "so acks=all writes survive one replica being down (1 when replicationFactor is 1)",
    });
  }
  return problems;
}

/** The settings with the defaults that depend on the AZs and on the volume. */
export function resolveKafkaClusterSettings(settings: KafkaClusterSettings, azCount: number) {
  return {
    ...settings,
    brokers: settings.brokers ?? azCount,
    maxVolumeSizeGiB: settings.maxVolumeSizeGiB ?? Math.min(maxVolumeSizeGiB, 4 * settings.volumeSizeGiB),
  };
}

export function kafkaClusterArgsProblems(args: KafkaClusterArgs): Problem[] {
  const { settings, problems } = parseSettings(kafkaClusterSettingsSchema, args);
  return [
    ...placementProblems(args, { min: 2, max: 3, why: "MSK takes client subnets in 2 or 3 distinct AZs" }),
    ...problems,
    ...(settings ? kafkaClusterSettingsProblems(settings, args.availabilityZones.length) : []),
    ...topicProblems(args.topics ?? []),
  ];
}

function topicProblems(topics: readonly KafkaTopic[]): Problem[] {
  const problems: Problem[] = [];
  // Kafka refuses a topic whose name differs from another's only by '.' versus '_' (metric names collide).
  const seen = new Set<string>();
  topics.forEach((topic, i) => {
    const collisionKey = topic.name.replaceAll(".", "_");
    if (!kafkaTopicSchema.shape.name.safeParse(topic.name).success) {
      problems.push({
        path: `topics[${i}].name`,
        value: topic.name,
        allowed: 'a Kafka topic name: 1–249 of a-z A-Z 0-9 . _ -, not "." or ".."',
      });
    } else if (seen.has(collisionKey)) {
      problems.push({
        path: `topics[${i}].name`,
        value: topic.name,
        allowed: "each topic once; Kafka treats names differing only by '.' and '_' as the same",
      });
    }
    seen.add(collisionKey);
    const partitions = kafkaTopicSchema.shape.partitions.safeParse(topic.partitions).error?.issues ?? [];
    problems.push(
      ...issueProblems(partitions, topic.partitions).map((p) => ({ ...p, path: `topics[${i}].partitions` })),
    );
  });
  return problems;
}
