import { bucketsWith } from "../../lib/buckets";
import { type Rule, resourceRule, stackRule } from "../../lib/rule";
import { t } from "../../lib/types";
import { at, show, unknown } from "../../lib/values";

export const redisFailover = resourceRule<{ minReplicasPerShard: number }>({
  id: "reliability-redis-failover",
  family: "data stores",
  controls: ["FSBP ElastiCache.3"],
  concern: "reliability",
  description:
    "Redis/Valkey fails over to a replica in another AZ by itself. Fix: set automaticFailoverEnabled: true, " +
    "multiAzEnabled: true and at least one replica per shard (replicasPerNodeGroup, or numCacheClusters ≥ 2).",
  types: [t.redisGroup],
  config: {
    schema: {
      minReplicasPerShard: {
        type: "integer",
        minimum: 1,
        maximum: 5,
        description: "Fewest replicas per shard.",
      },
    },
    defaults: () => ({ minReplicasPerShard: 1 }),
  },
  check: ({ props }, config, report) => {
    for (const flag of ["automaticFailoverEnabled", "multiAzEnabled"]) {
      if (props[flag] !== true && props[flag] !== unknown) report(`${flag} is ${show(props[flag])}`);
    }
    const perShard = props.replicasPerNodeGroup;
    const clusters = props.numCacheClusters;
    const replicas =
      typeof perShard === "number"
        ? perShard
        : typeof clusters === "number"
          ? clusters - 1
          : (perShard ?? clusters);
    if (replicas !== unknown && !(typeof replicas === "number" && replicas >= config.minReplicasPerShard)) {
      report(`${show(replicas)} replicas per shard, fewer than ${config.minReplicasPerShard}`);
    }
  },
});

export const databaseMultiAz = stackRule<{ minInstances: number; minAvailabilityZones: number }>({
  id: "reliability-database-multi-az",
  family: "data stores",
  controls: ["FSBP RDS.15"],
  concern: "reliability",
  description:
    "Every Aurora cluster has a reader in another AZ to fail over to (and RDS instances run Multi-AZ). Fix: " +
    "give each shard readers (readersPerShard ≥ 1) placed in different AZs from the writer; set multiAz: true " +
    "on RDS instances.",
  config: {
    schema: {
      minInstances: {
        type: "integer",
        minimum: 1,
        description: "Fewest instances (writer + readers) per cluster.",
      },
      minAvailabilityZones: {
        type: "integer",
        minimum: 1,
        description: "Fewest AZs a cluster's instances span.",
      },
    },
    defaults: () => ({ minInstances: 2, minAvailabilityZones: 2 }),
  },
  check: (stack, config, report) => {
    for (const cluster of stack.ofType(t.rdsCluster)) {
      if (typeof cluster.props.engine === "string" && !cluster.props.engine.startsWith("aurora")) continue;
      const members = stack.referencing(cluster, "clusterIdentifier", t.rdsClusterInstance);
      if (members.length < config.minInstances) {
        report(
          `cluster ${cluster.name} has ${members.length} instance(s), fewer than ${config.minInstances}`,
          cluster.urn,
        );
        continue;
      }
      const zones = members.map((m) => m.props.availabilityZone);
      // Instances without an AZ are placed by RDS; the spread can only be judged when every AZ is given.
      if (zones.every((z) => typeof z === "string") && new Set(zones).size < config.minAvailabilityZones) {
        report(
          `cluster ${cluster.name}'s instances all sit in ${[...new Set(zones)].join(", ")}`,
          cluster.urn,
        );
      }
    }
    for (const instance of stack.ofType(t.rdsInstance)) {
      if (instance.props.multiAz !== true && instance.props.multiAz !== unknown) {
        report(`instance ${instance.name} has multiAz ${show(instance.props.multiAz)}`, instance.urn);
      }
    }
  },
});

export const backupRetention = resourceRule<{ minBackupDays: number; minSnapshotDays: number }>({
  id: "reliability-backup-retention",
  family: "data stores",
  controls: ["FSBP RDS.11", "FSBP ElastiCache.1"],
  concern: "reliability",
  description:
    "Databases keep point-in-time backups and caches keep snapshots for the tier's minimum. Fix: raise " +
    "backupRetentionPeriod (RDS/Aurora) and snapshotRetentionLimit (ElastiCache) to at least the minimum.",
  types: [t.rdsCluster, t.rdsInstance, t.redisGroup],
  config: {
    schema: {
      minBackupDays: {
        type: "integer",
        minimum: 1,
        maximum: 35,
        description: "Fewest days of RDS/Aurora backups.",
      },
      minSnapshotDays: {
        type: "integer",
        minimum: 0,
        maximum: 35,
        description: "Fewest days of cache snapshots.",
      },
    },
    defaults: ({ tier }) =>
      tier === "prod" ? { minBackupDays: 7, minSnapshotDays: 1 } : { minBackupDays: 1, minSnapshotDays: 0 },
  },
  check: ({ type, props }, config, report) => {
    const [key, min, absent] =
      type === t.redisGroup
        ? (["snapshotRetentionLimit", config.minSnapshotDays, 0] as const)
        : (["backupRetentionPeriod", config.minBackupDays, 1] as const);
    const days = props[key] ?? absent;
    if (days !== unknown && !(typeof days === "number" && days >= min)) {
      report(
        `${key} is ${show(props[key])}${props[key] === undefined ? ` (${absent} day(s))` : ""}, below ${min}`,
      );
    }
  },
});

/**
 * Resources whose deletion loses data: Pulumi must refuse to delete them without an explicit unprotect.
 * (KMS keys are left out: KMS waits a deletion window of 7–30 days, during which deletion can be undone.)
 */
const statefulTypes = [
  t.rdsCluster,
  t.rdsInstance,
  t.redisGroup,
  t.mskCluster,
  t.mskTopic,
  t.dynamoTable,
  ...t.buckets,
];

export const deletionProtection = resourceRule<{
  requirePulumiProtect: boolean;
  allowReplacement: { resource: string; reason: string }[];
}>({
  id: "reliability-deletion-protection",
  family: "data stores",
  controls: ["FSBP RDS.7"],
  concern: "reliability",
  description:
    "Stateful resources cannot be deleted by accident: Pulumi protect on, the service's own deletion " +
    "protection on, a final snapshot on delete. Fix: pass protect: true to stateful components (the tier's " +
    "`protect` setting), set deletionProtection: true and skipFinalSnapshot: false on databases, and " +
    "enableDeletionProtection: true on load balancers.",
  types: [...statefulTypes, ...t.loadBalancers],
  levels: { dev: "disabled", prod: "mandatory" },
  config: {
    schema: {
      requirePulumiProtect: { type: "boolean", description: "Require Pulumi's protect option too." },
      allowReplacement: {
        type: "array",
        items: {
          type: "object",
          properties: {
            resource: { type: "string", minLength: 1, description: "The resource's name or URN." },
            reason: { type: "string", minLength: 1, description: "Why replacing it is intended." },
          },
          required: ["resource", "reason"],
          additionalProperties: false,
        },
        description:
          "Stateful or protected resources a change may replace or delete (`plan --base`, tools/plan/replacement): " +
          "each with its reason, read by the plan's change review; a replacement not listed is a finding.",
      },
    },
    defaults: () => ({ requirePulumiProtect: true, allowReplacement: [] }),
  },
  check: ({ type, props, protect }, config, report) => {
    if (config.requirePulumiProtect && (statefulTypes as readonly string[]).includes(type) && !protect) {
      report("the Pulumi protect option is off");
    }
    const flag = (t.loadBalancers as readonly string[]).includes(type)
      ? "enableDeletionProtection"
      : type === t.rdsCluster || type === t.rdsInstance
        ? "deletionProtection"
        : type === t.dynamoTable
          ? "deletionProtectionEnabled"
          : undefined;
    if (flag && props[flag] !== true && props[flag] !== unknown) report(`${flag} is ${show(props[flag])}`);
    if ((type === t.rdsCluster || type === t.rdsInstance) && props.skipFinalSnapshot === true) {
      report("skipFinalSnapshot is true: deleting it leaves no snapshot");
    }
  },
});

/** `key=value` lines of a Kafka server.properties text. */
function serverProperties(text: string): Map<string, string> {
  const entries = text
    .split(/\r?\n/)
    .map((line) => /^\s*([^#=\s]+)\s*=\s*(.*?)\s*$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1] as string, m[2] as string] as const);
  return new Map(entries);
}

export const kafkaReplication = resourceRule<{ minReplicationFactor: number; minInsyncReplicas: number }>({
  id: "reliability-kafka-replication",
  family: "data stores",
  concern: "reliability",
  description:
    "Kafka keeps every acknowledged write on several brokers in different AZs. Fix: brokers ≥ the replication " +
    "factor; in the MSK configuration set default.replication.factor ≥ 3, min.insync.replicas ≥ 2 (and below " +
    "the replication factor) and unclean.leader.election.enable=false; give topics the same replication factor.",
  types: [t.mskConfiguration, t.mskTopic, t.mskCluster],
  config: {
    schema: {
      minReplicationFactor: {
        type: "integer",
        minimum: 1,
        description: "Fewest replicas of each partition.",
      },
      minInsyncReplicas: {
        type: "integer",
        minimum: 1,
        description: "Fewest replicas that must acknowledge a write.",
      },
    },
    defaults: () => ({ minReplicationFactor: 3, minInsyncReplicas: 2 }),
  },
  check: ({ type, props }, config, report) => {
    const atLeast = (what: string, value: unknown, min: number) => {
      if (value !== unknown && value !== undefined && !(Number(value) >= min)) {
        report(`${what} is ${String(value)}, below ${min}`);
      }
    };
    if (type === t.mskCluster)
      return atLeast("numberOfBrokerNodes", props.numberOfBrokerNodes, config.minReplicationFactor);
    if (type === t.mskTopic)
      return atLeast("replicationFactor", props.replicationFactor, config.minReplicationFactor);
    if (typeof props.serverProperties !== "string") return;
    const settings = serverProperties(props.serverProperties);
    const factor = settings.get("default.replication.factor");
    const isr = settings.get("min.insync.replicas");
    atLeast("default.replication.factor", factor, config.minReplicationFactor);
    atLeast("min.insync.replicas", isr, config.minInsyncReplicas);
    if (factor !== undefined && isr !== undefined && Number(isr) >= Number(factor)) {
      report(
        `min.insync.replicas ${isr} is not below default.replication.factor ${factor}: one broker down stops writes`,
      );
    }
    if (settings.get("unclean.leader.election.enable") === "true") {
      report("unclean.leader.election.enable=true lets an out-of-sync replica lose acknowledged writes");
    }
  },
});

export const s3Versioning = stackRule({
  id: "reliability-s3-versioning",
  family: "S3",
  controls: ["FSBP S3.14"],
  concern: "reliability",
  description:
    'Every bucket keeps old versions of its objects. Fix: add an aws.s3.BucketVersioning with status "Enabled" ' +
    "for the bucket, and a lifecycle rule that expires noncurrent versions.",
  check: (stack, _config, report) => {
    for (const { bucket, settings } of bucketsWith(stack, t.bucketVersioning)) {
      const statuses = settings.map((s) => at(s.props, "versioningConfiguration.status"));
      if (!statuses.some((s) => s === "Enabled" || s === unknown)) {
        report(
          `bucket ${bucket.name} is not versioned (${statuses.map((s) => show(s)).join(", ") || "no versioning"})`,
          bucket.urn,
        );
      }
    }
  },
});

export const dataStoreReliabilityRules: Rule[] = [
  redisFailover,
  databaseMultiAz,
  backupRetention,
  deletionProtection,
  kafkaReplication,
  s3Versioning,
];
