import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { dataStoreSecurityGroup } from "../lib/dataStoreSecurityGroup";
import { EncryptionKey } from "../lib/encryptionKey";
import { GeneratedSecret } from "../lib/generatedSecret";
import { cloudWatchLogsGrant } from "../lib/logs";
import { type DerivedNames, derivedNameProblems } from "../lib/names";
import { engines } from "../lib/pins";
import { assertValidArgs } from "../lib/problems";
import { type RedisClusterArgs, redisClusterArgsProblems, redisClusterSettingsSchema } from "./args";

export {
  type RedisClusterArgs,
  type RedisClusterSettings,
  redisClusterArgsProblems,
  redisClusterSettingsProblems,
  redisClusterSettingsSchema,
} from "./args";

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
    const settings = redisClusterSettingsSchema.parse(args);
    const { shards, replicasPerShard } = settings;

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
        rotationException:
          "Pulumi sets the token on the replication group: rotate it with a deploy that uses the ElastiCache ROTATE strategy",
      },
      parent,
    );
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-elasticache`,
      { name: logGroupName, retentionInDays: settings.logRetentionDays, kmsKeyId: key.keyArn },
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
        nodeType: settings.nodeType,
        port,
        clusterMode: "enabled",
        parameterGroupName: parameterGroup.name,
        numNodeGroups: shards,
        replicasPerNodeGroup: replicasPerShard,
        nodeGroupConfigurations: shardPlacement(shards, replicasPerShard, args.availabilityZones),
        // ElastiCache requires automatic failover for every cluster-mode-enabled group.
        automaticFailoverEnabled: true,
        multiAzEnabled: settings.multiAz,
        subnetGroupName: subnetGroup.name,
        securityGroupIds: [securityGroup.id],
        transitEncryptionEnabled: true,
        transitEncryptionMode: "required",
        authToken: authToken.password,
        atRestEncryptionEnabled: true,
        kmsKeyId: key.keyArn,
        snapshotRetentionLimit: settings.snapshotRetentionDays,
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
