import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { dataStoreSecurityGroup } from "../lib/dataStoreSecurityGroup";
import { EncryptionKey } from "../lib/encryptionKey";
import { type DerivedName, nameBudget } from "../lib/names";
import { engines, managedPolicies, tls } from "../lib/pins";
import { assertValidArgs, type Problem } from "../lib/problems";
import { type ShardedMysqlArgs, shardedMysqlArgsProblems, shardedMysqlSettingsSchema } from "./args";

export {
  type ShardedMysqlArgs,
  type ShardedMysqlSettings,
  shardedMysqlArgsProblems,
  shardedMysqlSettingsSchema,
} from "./args";

/**
 * The pinned Aurora MySQL version (a long-term-support line, infra/lib/pins.ts). Changing it is the
 * one way a cluster's engine moves: automatic minor upgrades are off because AWS advises against
 * them on LTS versions, and because an upgrade applied behind Pulumi's back turns this pin into a
 * planned downgrade that RDS rejects.
 */
export const auroraMysqlEngineVersion = engines.auroraMysql.value;
/** The cluster parameter group family of `auroraMysqlEngineVersion`. */
export const auroraMysqlParameterFamily = engines.auroraMysqlParameterFamily.value;
export const mysqlPort = 3306;

/**
 * Seconds between Enhanced Monitoring samples (OS metrics: CPU steal, memory, per-process load),
 * which CloudWatch's one-minute instance metrics cannot show. 60 is the coarsest interval and the
 * cheapest; RDS accepts 0 (off), 1, 5, 10, 15, 30 or 60.
 */
const enhancedMonitoringIntervalSeconds = 60;

/** RDS DB cluster and DB instance identifiers are at most 63 characters. */
const maxIdentifierLength = 63;

/**
 * Every shard's server settings: full Unicode, TLS 1.2+ only, slow queries logged to the file that
 * the `slowquery` export ships, and Advanced Auditing of logins, DDL and privilege changes (not every
 * DML statement, which at flash-sale rates would cost more than it tells).
 */
export const clusterParameters: readonly (readonly [string, string])[] = [
  ["character_set_server", "utf8mb4"],
  ["collation_server", "utf8mb4_0900_ai_ci"],
  ["require_secure_transport", "ON"],
  ["tls_version", tls.auroraTlsVersions.value],
  ["slow_query_log", "1"],
  ["long_query_time", "0.5"],
  ["log_output", "FILE"],
  ["server_audit_logging", "1"],
  ["server_audit_events", "CONNECT,QUERY_DCL,QUERY_DDL"],
];

export interface ShardEndpoint {
  /** Shard number, 0 to `shards - 1`; the application's consistent-hash ring maps keys to it. */
  id: number;
  /** Cluster endpoint; always points at the current writer, across failovers. */
  writerEndpoint: string;
  /** Reader endpoint; spreads connections over the replicas (the writer when there are none). */
  readerEndpoint: string;
  port: number;
  database: string;
  /** Secrets Manager ARN of the AWS-managed master credentials; never the password itself. */
  secretArn: string;
}

/**
 * The longest RDS identifier derived from the component's name, for this many shards and readers:
 * the last reader of the last shard, `<name>-<shard>-<instance>`, autonamed.
 */
export function shardedMysqlDerivedNames(
  args: Pick<ShardedMysqlArgs, "shards" | "readersPerShard">,
): [DerivedName] {
  const suffix = `-${Math.max(args.shards - 1, 0)}-${Math.max(args.readersPerShard, 0)}`;
  return [{ what: "RDS instance identifier", suffix, autonamed: true, maxLength: maxIdentifierLength }];
}

/**
 * The component's name prefixes every RDS identifier Pulumi generates; the longest is the last
 * reader of the last shard, `<name>-<shard>-<instance>` plus Pulumi's random suffix.
 */
export function shardedMysqlNameProblems(name: string, args: ShardedMysqlArgs): Problem[] {
  const { maxLength } = nameBudget(shardedMysqlDerivedNames(args));
  if (/^[a-z](?:-?[a-z0-9])*$/.test(name) && name.length <= maxLength) return [];
  return [
    {
      path: "name",
      value: name,
      allowed:
        `lowercase letters, digits and single hyphens, starting with a letter, at most ${maxLength} ` +
        "characters (RDS identifiers are at most 63, and it prefixes every one here)",
    },
  ];
}

/**
 * `shards` independent Aurora MySQL clusters behind one security group, one subnet group, one
 * parameter group and one customer-managed key. Each shard has a writer and `readersPerShard`
 * replicas spread round-robin over the AZs, starting at a different AZ per shard so the writers are
 * spread too. Master credentials live only in Secrets Manager (managed by RDS, encrypted with the
 * key); clients get the secret's ARN and are expected to prefer IAM database authentication.
 */
export class ShardedMysql extends pulumi.ComponentResource {
  public readonly shardMap: pulumi.Output<ShardEndpoint[]>;
  /** Each shard's master user secret ARN, in shard order: what a reader of the shard map must read. */
  public readonly shardSecretArns: pulumi.Output<string>[];
  public readonly securityGroupId: pulumi.Output<string>;
  public readonly kmsKeyArn: pulumi.Output<string>;
  public readonly clusterIdentifiers: pulumi.Output<string>[];
  /** Each shard cluster's ARN, in shard order: what a backup selection names. */
  public readonly clusterArns: pulumi.Output<string>[];

  constructor(name: string, args: ShardedMysqlArgs, opts?: pulumi.ComponentResourceOptions) {
    super("crest:data:ShardedMysql", name, {}, opts);
    assertValidArgs("crest:data:ShardedMysql", name, [
      ...shardedMysqlArgsProblems(args),
      ...shardedMysqlNameProblems(name, args),
    ]);
    const protect = args.protect ?? true;
    const settings = shardedMysqlSettingsSchema.parse(args);
    const database = settings.databaseName;
    const instanceClass = settings.instanceClass;

    // RDS, Performance Insights and Secrets Manager use the key through grants they create with the
    // deploying principal's IAM permissions, so the key policy needs no service statements.
    const key = new EncryptionKey(
      name,
      {
        description: `Encrypts the Aurora MySQL shards of ${name}: storage, snapshots, Performance Insights and master secrets`,
        accountId: args.accountId,
        alias: name,
      },
      { parent: this, protect },
    );
    const securityGroup = dataStoreSecurityGroup(
      name,
      {
        vpcId: args.vpcId,
        description: `Aurora MySQL shards of ${name}`,
        ports: [mysqlPort],
        clientSecurityGroupIds: args.clientSecurityGroupIds,
      },
      { parent: this },
    );
    const subnetGroup = new aws.rds.SubnetGroup(
      name,
      {
        description: `Isolated subnets of the Aurora MySQL shards of ${name}`,
        subnetIds: [...args.subnetIds],
      },
      { parent: this },
    );
    const parameterGroup = new aws.rds.ClusterParameterGroup(
      name,
      {
        family: auroraMysqlParameterFamily,
        description: `TLS-only, audited Aurora MySQL shards of ${name}`,
        parameters: clusterParameters.map(([parameter, value]) => ({
          name: parameter,
          value,
          // Accepted for static and dynamic parameters alike; a new cluster starts with all of them.
          applyMethod: "pending-reboot",
        })),
      },
      { parent: this },
    );

    const monitoringRole = this.enhancedMonitoringRole(name);

    const azs = args.availabilityZones;
    const shards = Array.from({ length: args.shards }, (_, shard) => {
      const cluster = new aws.rds.Cluster(
        `${name}-${shard}`,
        {
          engine: "aurora-mysql",
          engineVersion: auroraMysqlEngineVersion,
          // Minor versions move through the pin register (auroraMysqlEngineVersion), tested and
          // planned like any change: an automatic upgrade would leave the shards on a version the
          // next `pulumi up` tries to take back.
          autoMinorVersionUpgrade: false,
          allowMajorVersionUpgrade: false,
          databaseName: database,
          masterUsername: "crestadmin",
          manageMasterUserPassword: true,
          masterUserSecretKmsKeyId: key.keyArn,
          iamDatabaseAuthenticationEnabled: true,
          port: mysqlPort,
          dbSubnetGroupName: subnetGroup.name,
          vpcSecurityGroupIds: [securityGroup.id],
          dbClusterParameterGroupName: parameterGroup.name,
          storageEncrypted: true,
          kmsKeyId: key.keyArn,
          backupRetentionPeriod: settings.backupRetentionDays,
          copyTagsToSnapshot: true,
          enabledCloudwatchLogsExports: ["audit", "error", "slowquery"],
          deletionProtection: protect,
          // Kept automated backups outlive an accidental delete for the whole retention period.
          deleteAutomatedBackups: !protect,
          ...(protect
            ? { skipFinalSnapshot: false, finalSnapshotIdentifier: `${name}-${shard}-final` }
            : { skipFinalSnapshot: true }),
          // `availabilityZones` is left to RDS: given fewer than 3 it adds its own, and the diff
          // would replace the cluster. Instance placement below is what spreads the shard.
        },
        { parent: this, protect },
      );
      let writer: aws.rds.ClusterInstance | undefined;
      for (let member = 0; member <= args.readersPerShard; member++) {
        const instance = new aws.rds.ClusterInstance(
          `${name}-${shard}-${member}`,
          {
            clusterIdentifier: cluster.id,
            engine: "aurora-mysql",
            engineVersion: cluster.engineVersion,
            autoMinorVersionUpgrade: false,
            instanceClass,
            availabilityZone: azs[(shard + member) % azs.length],
            dbSubnetGroupName: subnetGroup.name,
            publiclyAccessible: false,
            performanceInsightsEnabled: true,
            performanceInsightsKmsKeyId: key.keyArn,
            performanceInsightsRetentionPeriod: 7,
            monitoringInterval: enhancedMonitoringIntervalSeconds,
            monitoringRoleArn: monitoringRole.arn,
            copyTagsToSnapshot: true,
          },
          // The first instance created in an Aurora cluster becomes its writer: readers wait for it,
          // so the writer lands in the AZ chosen for it.
          { parent: this, protect, dependsOn: writer ? [writer] : [] },
        );
        writer ??= instance;
      }
      return cluster;
    });

    this.shardMap = pulumi.all(
      shards.map((cluster, id) =>
        pulumi
          .all([cluster.endpoint, cluster.readerEndpoint, cluster.port, cluster.masterUserSecrets])
          .apply(([writerEndpoint, readerEndpoint, port, secrets]): ShardEndpoint => {
            const secretArn = secrets[0]?.secretArn;
            if (!secretArn) {
              throw new pulumi.ResourceError(`shard ${id} has no AWS-managed master user secret`, this);
            }
            return { id, writerEndpoint, readerEndpoint, port, database, secretArn };
          }),
      ),
    );
    this.shardSecretArns = shards.map((_, id) => this.shardMap.apply((map) => map[id]?.secretArn ?? ""));
    this.securityGroupId = securityGroup.id;
    this.kmsKeyArn = key.keyArn;
    this.clusterIdentifiers = shards.map((cluster) => cluster.clusterIdentifier);
    this.clusterArns = shards.map((cluster) => cluster.arn);
    this.registerOutputs({
      shardMap: this.shardMap,
      securityGroupId: this.securityGroupId,
      kmsKeyArn: this.kmsKeyArn,
      clusterIdentifiers: this.clusterIdentifiers,
      clusterArns: this.clusterArns,
    });
  }

  /** The role RDS assumes to publish every instance's Enhanced Monitoring metrics. */
  private enhancedMonitoringRole(name: string): aws.iam.Role {
    const role = new aws.iam.Role(
      `${name}-monitoring`,
      {
        description: `Lets RDS publish Enhanced Monitoring metrics of ${name}`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "monitoring.rds.amazonaws.com" },
              Action: "sts:AssumeRole",
            },
          ],
        }),
      },
      { parent: this },
    );
    new aws.iam.RolePolicyAttachment(
      `${name}-monitoring`,
      { role: role.name, policyArn: managedPolicies.rdsEnhancedMonitoring.value },
      { parent: this },
    );
    return role;
  }
}
