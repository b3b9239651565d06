import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EncryptionKey } from "../kms/encryptionKey";
import { dataStoreSecurityGroup } from "../lib/dataStoreSecurityGroup";
import { GeneratedSecret } from "../lib/generatedSecret";
import { cloudWatchLogsGrant, logRetentionProblems } from "../lib/logs";
import { type DerivedNames, derivedNameProblems } from "../lib/names";
import { engines, instanceTypes } from "../lib/pins";
import { type DataStorePlacementArgs, placementProblems } from "../lib/placement";
import { assertValidArgs, type Problem } from "../lib/problems";

/**
 * Valkey rather than Redis OSS: ElastiCache's Redis OSS line ends at 7.1 while Valkey gets the new
 * majors, Valkey nodes are priced below Redis OSS nodes of the same type, and Valkey speaks the same
 * protocol, so ioredis's `Cluster` client works unchanged. The version and its parameter group
 * family are pinned in infra/lib/pins.ts.
 */
const engine = "valkey";
const engineVersion = engines.valkey.value;
const parameterGroupFamily = engines.valkeyParameterFamily.value;
const port = 6379;

/**
 * The replication group is autonamed from the component's name, within ElastiCache's 40 characters
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html;
 * pulumi-aws: `AutoNameTransform("replicationGroupId", 40, strings.ToLower)`).
 */
export const redisClusterDerivedNames: DerivedNames = [
  { what: "ElastiCache replication group id", suffix: "", autonamed: true, maxLength: 40 },
];

/** ElastiCache's default quota: 90 nodes per cluster (shards × (1 + replicas)), raisable to 500. */
const maxNodesPerCluster = 90;
const maxReplicasPerShard = 5;
const maxSnapshotRetentionDays = 35;

/**
 * Characters ElastiCache accepts in an AUTH token besides letters and digits. The token must be 16
 * to 128 printable ASCII characters.
 */
const authTokenSpecialCharacters = "!&#$^<>-";
const authTokenLength = 64;

/**
 * UTC windows in the small hours of China Standard Time (UTC+8), where mini-program traffic is
 * lowest: the daily snapshot at 02:00–03:00 CST, weekly maintenance on Monday 03:00–04:00 CST.
 * They must not overlap, and each must be at least 60 minutes.
 */
const snapshotWindow = "18:00-19:00";
const maintenanceWindow = "sun:19:00-sun:20:00";

export interface RedisClusterArgs extends DataStorePlacementArgs {
  /** Shards (node groups), each owning a slice of the 16384 hash slots. @default 3 */
  readonly shards?: number;
  /** Read replicas per shard, 0–5; a replica is what a shard fails over to. @default 2 */
  readonly replicasPerShard?: number;
  /** Multi-AZ: replicas in other AZs than their primary, promoted automatically when it fails. @default true */
  readonly multiAz?: boolean;
  /** ElastiCache node type of every node. @default `instanceTypes.redis.prod` (infra/lib/pins.ts) */
  readonly nodeType?: string;
  /** Days automatic daily snapshots are kept, 0–35; 0 turns them off. @default 7 */
  readonly snapshotRetentionDays?: number;
  /** Days the slow log and engine log are kept in CloudWatch Logs. @default 365 */
  readonly logRetentionDays?: number;
}

export function redisClusterArgsProblems(args: RedisClusterArgs): Problem[] {
  const problems: Problem[] = [];
  const shards = args.shards ?? 3;
  const replicas = args.replicasPerShard ?? 2;
  const multiAz = args.multiAz ?? true;

  const shardsValid = Number.isInteger(shards) && shards >= 1 && shards <= maxNodesPerCluster;
  if (!shardsValid) {
    problems.push({
      path: "shards",
      value: shards,
      allowed: `an integer from 1 to ${maxNodesPerCluster} (ElastiCache's default quota is ${maxNodesPerCluster} nodes per cluster)`,
    });
  }
  const replicasValid = Number.isInteger(replicas) && replicas >= 0 && replicas <= maxReplicasPerShard;
  if (!replicasValid) {
    problems.push({
      path: "replicasPerShard",
      value: replicas,
      allowed: `an integer from 0 to ${maxReplicasPerShard} (ElastiCache allows ${maxReplicasPerShard} replicas per shard)`,
    });
  }
  if (shardsValid && replicasValid && shards * (1 + replicas) > maxNodesPerCluster) {
    problems.push({
      path: "shards",
      value: shards,
      allowed:
        `at most ${Math.floor(maxNodesPerCluster / (1 + replicas))} shards with ${replicas} replicas each ` +
        `(ElastiCache's default quota is ${maxNodesPerCluster} nodes per cluster: shards × (1 + replicasPerShard))`,
    });
  }
  if (multiAz && replicasValid && replicas === 0) {
    problems.push({
      path: "multiAz",
      value: true,
      allowed:
        "false when replicasPerShard is 0 (Multi-AZ fails over to a replica: set replicasPerShard to 1 or more)",
    });
  }

  problems.push(
    ...placementProblems(
      args,
      multiAz
        ? { min: 2, max: 6, why: "multiAz puts replicas outside their primary's AZ" }
        : { min: 1, max: 6, why: "one isolated subnet each" },
    ),
  );

  if (args.nodeType !== undefined && !/^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(args.nodeType)) {
    problems.push({
      path: "nodeType",
      value: args.nodeType,
      allowed: `an ElastiCache node type, which starts with "cache.", e.g. "${instanceTypes.redis.prod.value}"`,
    });
  }
  const retention = args.snapshotRetentionDays;
  if (
    retention !== undefined &&
    !(Number.isInteger(retention) && retention >= 0 && retention <= maxSnapshotRetentionDays)
  ) {
    problems.push({
      path: "snapshotRetentionDays",
      value: retention,
      allowed: `an integer from 0 to ${maxSnapshotRetentionDays} (0 turns automatic snapshots off)`,
    });
  }
  problems.push(...logRetentionProblems("logRetentionDays", args.logRetentionDays));
  return problems;
}

/**
 * Where each shard's nodes go: primaries rotate over the AZs, and each replica takes the next AZ
 * after its primary, so with 3 AZs and 2 replicas every AZ holds one node of every shard.
 */
function shardPlacement(
  shards: number,
  replicasPerShard: number,
  availabilityZones: readonly string[],
): aws.types.input.elasticache.ReplicationGroupNodeGroupConfiguration[] {
  const az = (i: number) => availabilityZones[i % availabilityZones.length] as string;
  return Array.from({ length: shards }, (_, shard) => ({
    nodeGroupId: String(shard + 1).padStart(4, "0"),
    primaryAvailabilityZone: az(shard),
    replicaCount: replicasPerShard,
    replicaAvailabilityZones: Array.from({ length: replicasPerShard }, (_, r) => az(shard + 1 + r)),
  }));
}

/**
 * An ElastiCache for Valkey replication group in cluster mode, reached over TLS only with an AUTH
 * token kept in Secrets Manager. Data at rest, the token and the slow/engine logs are encrypted with
 * one customer-managed key; nodes live in the isolated subnets behind a group that admits only the
 * client groups on 6379.
 */
export class RedisCluster extends pulumi.ComponentResource {
  /** The cluster's configuration endpoint; cluster clients discover every shard from it. */
  public readonly configurationEndpoint: pulumi.Output<string>;
  public readonly port: number;
  /** Secrets Manager secret holding `{ password }`, the AUTH token. */
  public readonly authSecretArn: pulumi.Output<string>;
  public readonly securityGroupId: pulumi.Output<string>;
  /** Key that encrypts the data, the AUTH token secret and the logs; secret readers need kms:Decrypt on it. */
  public readonly kmsKeyArn: pulumi.Output<string>;
  /** Clients must connect with TLS (`rediss://`, or ioredis `tls: {}`). */
  public readonly tls: true;

  constructor(name: string, args: RedisClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("crest:data:RedisCluster", name, {}, opts);
    assertValidArgs("crest:data:RedisCluster", name, [
      ...derivedNameProblems(name, redisClusterDerivedNames),
      ...redisClusterArgsProblems(args),
    ]);
    const parent = { parent: this };
    const protect = args.protect ?? true;
    const shards = args.shards ?? 3;
    const replicasPerShard = args.replicasPerShard ?? 2;

    const logGroupName = `/crest/${name}/elasticache`;
    const key = new EncryptionKey(
      `${name}-cache`,
      {
        description: `Encrypts the data, AUTH token and logs of the Valkey cluster ${name}`,
        accountId: args.accountId,
        alias: `${name}-cache`,
        serviceGrants: [
          cloudWatchLogsGrant({ region: args.region, accountId: args.accountId, logGroupName }),
        ],
      },
      parent,
    );
    const authToken = new GeneratedSecret(
      `${name}-auth`,
      {
        description: `AUTH token of the Valkey cluster ${name}`,
        kmsKeyId: key.keyArn,
        length: authTokenLength,
        specialCharacters: authTokenSpecialCharacters,
      },
      parent,
    );
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-elasticache`,
      { name: logGroupName, retentionInDays: args.logRetentionDays ?? 365, kmsKeyId: key.keyArn },
      parent,
    );
    const securityGroup = dataStoreSecurityGroup(
      name,
      {
        vpcId: args.vpcId,
        description: `Valkey cluster ${name}`,
        ports: [port],
        clientSecurityGroupIds: args.clientSecurityGroupIds,
      },
      parent,
    );
    const subnetGroup = new aws.elasticache.SubnetGroup(
      name,
      { description: `Isolated subnets of the Valkey cluster ${name}`, subnetIds: [...args.subnetIds] },
      parent,
    );
    const parameterGroup = new aws.elasticache.ParameterGroup(
      name,
      {
        description: `Cluster mode for the Valkey cluster ${name}`,
        family: parameterGroupFamily,
        parameters: [{ name: "cluster-enabled", value: "yes" }],
      },
      parent,
    );

    const group = new aws.elasticache.ReplicationGroup(
      name,
      {
        description: `Valkey cluster ${name}`,
        engine,
        engineVersion,
        nodeType: args.nodeType ?? instanceTypes.redis.prod.value,
        port,
        clusterMode: "enabled",
        parameterGroupName: parameterGroup.name,
        numNodeGroups: shards,
        replicasPerNodeGroup: replicasPerShard,
        nodeGroupConfigurations: shardPlacement(shards, replicasPerShard, args.availabilityZones),
        // ElastiCache requires automatic failover for every cluster-mode-enabled group.
        automaticFailoverEnabled: true,
        multiAzEnabled: args.multiAz ?? true,
        subnetGroupName: subnetGroup.name,
        securityGroupIds: [securityGroup.id],
        transitEncryptionEnabled: true,
        transitEncryptionMode: "required",
        authToken: authToken.password,
        atRestEncryptionEnabled: true,
        kmsKeyId: key.keyArn,
        snapshotRetentionLimit: args.snapshotRetentionDays ?? 7,
        snapshotWindow,
        maintenanceWindow,
        autoMinorVersionUpgrade: true,
        logDeliveryConfigurations: (["slow-log", "engine-log"] as const).map((logType) => ({
          destinationType: "cloudwatch-logs",
          destination: logGroup.name,
          logFormat: "json",
          logType,
        })),
        // ElastiCache has no deletion protection flag; a final snapshot is what survives a delete.
        ...(protect ? { finalSnapshotIdentifier: `${name}-final` } : {}),
      },
      {
        parent: this,
        protect,
        // Placement is a create-time choice. The provider replaces the whole group when the node
        // group list changes (a shard added, or the slot ranges AWS fills in on read), so resharding
        // goes through numNodeGroups/replicasPerNodeGroup, which ElastiCache applies online.
        ignoreChanges: ["nodeGroupConfigurations"],
      },
    );

    this.configurationEndpoint = group.configurationEndpointAddress;
    this.port = port;
    this.authSecretArn = authToken.secretArn;
    this.securityGroupId = securityGroup.id;
    this.kmsKeyArn = key.keyArn;
    this.tls = true;
    this.registerOutputs({
      configurationEndpoint: this.configurationEndpoint,
      port: this.port,
      authSecretArn: this.authSecretArn,
      securityGroupId: this.securityGroupId,
      kmsKeyArn: this.kmsKeyArn,
      tls: this.tls,
    });
  }
}
