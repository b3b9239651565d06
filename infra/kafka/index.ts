import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { dataStoreSecurityGroup } from "../lib/dataStoreSecurityGroup";
import { EncryptionKey } from "../lib/encryptionKey";
import { GeneratedSecret } from "../lib/generatedSecret";
import { encryptedLogGroup } from "../lib/logs";
import { engines } from "../lib/pins";
import { assertValidArgs } from "../lib/problems";
import {
  type KafkaClusterArgs,
  kafkaClusterArgsProblems,
  kafkaClusterSettingsSchema,
  resolveKafkaClusterSettings,
} from "./args";

export {
  type KafkaClusterArgs,
  type KafkaClusterSettings,
  type KafkaTopic,
  kafkaClusterArgsProblems,
  kafkaClusterSettingsProblems,
  kafkaClusterSettingsSchema,
  kafkaTopicSchema,
} from "./args";

/** MSK's Kafka 3.9 in KRaft mode (infra/lib/pins.ts): MSK fixes a cluster's metadata mode at creation. */
export const kafkaVersion = engines.kafka.value;

/** SASL/SCRAM over TLS; the only listener the security group opens. */
export const saslScramPort = 9096;

/** The user the workload authenticates as; the password lives in the SCRAM secret only. */
export const scramUsername = "crest";

/** MSK storage auto scaling target, inside AWS's 10–80% and its recommended 50–60%. */
const storageUtilizationTargetPercent = 60;

type Resolved = ReturnType<typeof resolve>;

/** The arguments with every default applied; called once they passed `kafkaClusterArgsProblems`. */
function resolve(args: KafkaClusterArgs) {
  const settings = kafkaClusterSettingsSchema.parse(args);
  return {
    ...resolveKafkaClusterSettings(settings, args.availabilityZones.length),
    topics: args.topics ?? [],
    protect: args.protect ?? true,
  };
}

/** The broker settings Crest manages, as a `server.properties` file. */
export function serverProperties(
  r: Pick<Resolved, "brokers" | "replicationFactor" | "minInsyncReplicas">,
): string {
  return [
    // Topics exist only as declared here; a typo in a producer must fail, not create a topic.
    "auto.create.topics.enable=false",
    `default.replication.factor=${r.replicationFactor}`,
    `min.insync.replicas=${r.minInsyncReplicas}`,
    // A topic created without a count still puts a partition leader on every broker.
    `num.partitions=${r.brokers}`,
    // An out-of-sync replica never becomes leader: no silently lost acknowledged writes.
    "unclean.leader.election.enable=false",
  ].join("\n");
}

/**
 * An MSK provisioned Kafka cluster in KRaft mode with brokers spread evenly over 2 or 3 AZs. Clients
 * reach it only on SASL/SCRAM over TLS (9096) from the given security groups; brokers replicate over
 * TLS; data, the SCRAM credential and the broker logs are encrypted with the stack's own keys; EBS
 * storage grows by itself; topics are declared, never auto-created.
 */
export class KafkaCluster extends pulumi.ComponentResource {
  public readonly clusterArn: pulumi.Output<string>;
  /** `host:9096,…` for SASL/SCRAM over TLS, the only way in. */
  public readonly bootstrapBrokersSaslScram: pulumi.Output<string>;
  /** Secrets Manager secret holding `{ username, password }` for SCRAM; never the value. */
  public readonly credentialSecretArn: pulumi.Output<string>;
  public readonly securityGroupId: pulumi.Output<string>;
  /** Key that encrypts the data and the SCRAM secret; secret readers need kms:Decrypt on it. */
  public readonly kmsKeyArn: pulumi.Output<string>;
  /** Names of the declared topics, in the order given; known once each topic exists. */
  public readonly topicNames: pulumi.Output<string>[];

  constructor(name: string, args: KafkaClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("crest:data:KafkaCluster", name, {}, opts);
    assertValidArgs("crest:data:KafkaCluster", name, kafkaClusterArgsProblems(args));
    const r = resolve(args);
    const parent = { parent: this };

    const dataKey = new EncryptionKey(
      `${name}-data`,
      {
        description: `Encrypts the Kafka data volumes and SCRAM credential of ${name}`,
        accountId: args.accountId,
        alias: `${name}-data`,
      },
      parent,
    );
    const securityGroup = dataStoreSecurityGroup(
      name,
      {
        vpcId: args.vpcId,
        description: `Kafka ${name} (SASL/SCRAM over TLS)`,
        ports: [saslScramPort],
        clientSecurityGroupIds: args.clientSecurityGroupIds,
      },
      parent,
    );
    const configuration = new aws.msk.Configuration(
      name,
      {
        // No kafkaVersions: the list is optional, and leaving it out keeps this configuration valid
        // across the version upgrades the cluster goes through.
        description: `Broker settings of Kafka ${name}`,
        serverProperties: serverProperties(r),
      },
      parent,
    );
    const brokerLogs = this.brokerLogGroup(name, args, r);

    const cluster = new aws.msk.Cluster(
      name,
      {
        kafkaVersion,
        numberOfBrokerNodes: r.brokers,
        brokerNodeGroupInfo: {
          instanceType: r.instanceType,
          clientSubnets: [...args.subnetIds],
          securityGroups: [securityGroup.id],
          storageInfo: { ebsStorageInfo: { volumeSize: r.volumeSizeGiB } },
        },
        configurationInfo: { arn: configuration.arn, revision: configuration.latestRevision },
        encryptionInfo: {
          encryptionAtRestKmsKeyArn: dataKey.keyArn,
          encryptionInTransit: { clientBroker: "TLS", inCluster: true },
        },
        clientAuthentication: { sasl: { scram: true, iam: false }, unauthenticated: false },
        enhancedMonitoring: "PER_TOPIC_PER_BROKER",
        openMonitoring: {
          prometheus: { jmxExporter: { enabledInBroker: true }, nodeExporter: { enabledInBroker: true } },
        },
        loggingInfo: { brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: brokerLogs.name } } },
      },
      {
        parent: this,
        protect: r.protect,
        // Storage auto scaling grows the volume; declaring the original size again would try to shrink it.
        ignoreChanges: ["brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize"],
      },
    );

    this.credentialSecretArn = this.scramCredential(name, cluster, dataKey);
    this.storageAutoScaling(name, cluster, r);
    this.topicNames = r.topics.map(
      (topic) =>
        new aws.msk.Topic(
          `${name}-${topic.name}`,
          {
            clusterArn: cluster.arn,
            name: topic.name,
            partitionCount: topic.partitions,
            replicationFactor: r.replicationFactor,
          },
          // Deleting a topic deletes its messages.
          { parent: this, protect: r.protect },
        ).name,
    );

    this.clusterArn = cluster.arn;
    this.bootstrapBrokersSaslScram = cluster.bootstrapBrokersSaslScram;
    this.securityGroupId = securityGroup.id;
    this.kmsKeyArn = dataKey.keyArn;
    this.registerOutputs({
      clusterArn: this.clusterArn,
      bootstrapBrokersSaslScram: this.bootstrapBrokersSaslScram,
      credentialSecretArn: this.credentialSecretArn,
      securityGroupId: this.securityGroupId,
      kmsKeyArn: this.kmsKeyArn,
      topicNames: this.topicNames,
    });
  }

  /** INFO-level broker logs, kept for the retention asked and encrypted with a key of their own. */
  private brokerLogGroup(name: string, args: KafkaClusterArgs, r: Resolved): aws.cloudwatch.LogGroup {
    return encryptedLogGroup(
      `${name}-broker-logs`,
      {
        description: `the Kafka broker logs of ${name}`,
        region: args.region,
        accountId: args.accountId,
        logGroupName: `/crest/${name}/broker-logs`,
        retentionInDays: r.logRetentionDays,
      },
      { parent: this },
    );
  }

  /**
   * The SCRAM user's secret. MSK requires the `AmazonMSK_` name prefix and a customer-managed key (it
   * rejects secrets under the default Secrets Manager key), and reads the secret through its resource
   * policy, which is declared here so MSK attaching it does not show as drift. The name is the
   * prefix plus a unique suffix: a deleted secret keeps its name for its 30-day recovery window, so
   * a fixed name would fail a dev stack re-created after `pulumi destroy`. The window stays, in
   * every tier, so a credential deleted by mistake can still be restored.
   */
  private scramCredential(name: string, cluster: aws.msk.Cluster, key: EncryptionKey): pulumi.Output<string> {
    const credential = new GeneratedSecret(
      `${name}-scram`,
      {
        description: `SASL/SCRAM user of Kafka ${name}`,
        kmsKeyId: key.keyArn,
        secretNamePrefix: `AmazonMSK_${name}-`,
        fields: { username: scramUsername },
        rotationException:
          "Kafka clients read the SCRAM password at start only: rotate it with a deploy followed by a rolling restart",
      },
      { parent: this },
    );
    const policy = new aws.secretsmanager.SecretPolicy(
      `${name}-scram`,
      {
        secretArn: credential.secretArn,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "AWSKafkaResourcePolicy",
              Effect: "Allow",
              Principal: { Service: "kafka.amazonaws.com" },
              Action: "secretsmanager:getSecretValue",
              Resource: credential.secretArn,
            },
          ],
        }),
      },
      { parent: this },
    );
    new aws.msk.SingleScramSecretAssociation(
      `${name}-scram`,
      { clusterArn: cluster.arn, secretArn: credential.secretArn },
      // The secret must hold its value and policy before MSK reads it.
      { parent: this, dependsOn: [credential, policy] },
    );
    return credential.secretArn;
  }

  /** Grows each broker's EBS volume when its disk passes the target; MSK never shrinks storage. */
  private storageAutoScaling(name: string, cluster: aws.msk.Cluster, r: Resolved): void {
    const target = new aws.appautoscaling.Target(
      `${name}-storage`,
      {
        serviceNamespace: "kafka",
        scalableDimension: "kafka:broker-storage:VolumeSize",
        resourceId: cluster.arn,
        minCapacity: 1,
        maxCapacity: r.maxVolumeSizeGiB,
      },
      { parent: this },
    );
    new aws.appautoscaling.Policy(
      `${name}-storage`,
      {
        policyType: "TargetTrackingScaling",
        serviceNamespace: target.serviceNamespace,
        scalableDimension: target.scalableDimension,
        resourceId: target.resourceId,
        targetTrackingScalingPolicyConfiguration: {
          predefinedMetricSpecification: { predefinedMetricType: "KafkaBrokerStorageUtilization" },
          targetValue: storageUtilizationTargetPercent,
          disableScaleIn: true,
        },
      },
      { parent: this },
    );
  }
}
