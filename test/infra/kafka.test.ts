import assert from "node:assert/strict";
import { test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { KafkaCluster, type KafkaClusterArgs, kafkaClusterArgsProblems } from "../../infra/kafka";
import { recordProgram } from "../../tools/plan/run";
import { ofType, one } from "../support/recording";

const canary = "canary-password-123";

const args: KafkaClusterArgs = {
  accountId: "123456789012",
  region: "eu-west-1",
  vpcId: "vpc-0123",
  subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
  availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
  clientSecurityGroupIds: ["sg-workload"],
  topics: [
    { name: "orders", partitions: 12 },
    { name: "orders.dlq", partitions: 3 },
  ],
};

const devArgs: KafkaClusterArgs = {
  ...args,
  subnetIds: ["subnet-a", "subnet-b"],
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
  brokers: 2,
  instanceType: "kafka.m7g.large",
  volumeSizeGiB: 100,
  maxVolumeSizeGiB: 500,
  replicationFactor: 2,
  minInsyncReplicas: 1,
  logRetentionDays: 30,
  protect: false,
};

const withCanaryPassword = {
  computedOutputs: (r: pulumi.runtime.MockResourceArgs) =>
    r.type === "random:index/randomPassword:RandomPassword" ? { result: canary } : {},
};

// Programs run one at a time (the Pulumi runtime is global); each test awaits the one before it.
const prod = recordProgram(
  "crest",
  "test",
  () => new KafkaCluster("kafka", { ...args, brokers: 6 }),
  withCanaryPassword,
);
const dev = prod.then(() => recordProgram("crest", "test", () => new KafkaCluster("kafka", devArgs)));

const clusterOf = async (recording: typeof prod) => one(await recording, "aws:msk/cluster:Cluster");

test("six brokers are spread over the three AZs' subnets", async () => {
  const cluster = await clusterOf(prod);
  assert.equal(cluster.inputs.numberOfBrokerNodes, 6);
  const nodes = cluster.inputs.brokerNodeGroupInfo as Record<string, unknown>;
  assert.deepEqual(nodes.clientSubnets, ["subnet-a", "subnet-b", "subnet-c"]);
  assert.equal(nodes.instanceType, "kafka.m7g.large");
  assert.deepEqual(nodes.storageInfo, { ebsStorageInfo: { volumeSize: 1000 } });
  assert.equal(cluster.inputs.kafkaVersion, "3.9.x.kraft");
});

test("one broker per AZ by default", async () => {
  await dev;
  const rec = await recordProgram("crest", "test", () => new KafkaCluster("kafka", args));
  assert.equal(one(rec, "aws:msk/cluster:Cluster").inputs.numberOfBrokerNodes, 3);
});

test("TLS client-broker and in-cluster, SCRAM only, data under the stack's own key", async () => {
  const rec = await prod;
  const cluster = one(rec, "aws:msk/cluster:Cluster");
  assert.deepEqual(cluster.inputs.encryptionInfo, {
    encryptionAtRestKmsKeyArn: "<computed>",
    encryptionInTransit: { clientBroker: "TLS", inCluster: true },
  });
  assert.ok(cluster.dependencies.some((urn) => urn.endsWith("aws:kms/key:Key::kafka-data")));
  assert.deepEqual(cluster.inputs.clientAuthentication, {
    sasl: { iam: false, scram: true },
    unauthenticated: false,
  });
  assert.equal(one(rec, "aws:kms/key:Key", "kafka-data").inputs.enableKeyRotation, true);
});

test("the broker configuration holds exactly the managed settings", async () => {
  const rec = await prod;
  const configuration = one(rec, "aws:msk/configuration:Configuration");
  assert.deepEqual(String(configuration.inputs.serverProperties).split("\n"), [
    "auto.create.topics.enable=false",
    "default.replication.factor=3",
    "min.insync.replicas=2",
    "num.partitions=6",
    "unclean.leader.election.enable=false",
  ]);
  const cluster = one(rec, "aws:msk/cluster:Cluster");
  assert.ok(cluster.dependencies.includes(configuration.urn));
});

test("the SCRAM secret is named for MSK, under a customer key, readable by MSK, and associated", async () => {
  const rec = await prod;
  const secret = one(rec, "aws:secretsmanager/secret:Secret");
  // MSK's required prefix, then a unique suffix from the provider: never a fixed name.
  assert.equal(secret.inputs.namePrefix, "AmazonMSK_kafka-");
  assert.equal(secret.inputs.name, undefined);
  assert.equal(secret.inputs.kmsKeyId, "<computed>");
  assert.ok(secret.dependencies.some((urn) => urn.endsWith("aws:kms/key:Key::kafka-data")));
  assert.equal(one(rec, "aws:secretsmanager/secretVersion:SecretVersion").inputs.secretString, "[secret]");
  const policy = one(rec, "aws:secretsmanager/secretPolicy:SecretPolicy");
  assert.ok(policy.dependencies.includes(secret.urn));
  const association = one(rec, "aws:msk/singleScramSecretAssociation:SingleScramSecretAssociation");
  assert.ok(association.dependencies.includes(secret.urn));
  assert.ok(association.dependencies.includes(policy.urn));
  assert.ok(association.dependencies.includes(one(rec, "aws:msk/cluster:Cluster").urn));
});

test("the canary password appears nowhere in the recording", async () => {
  const rec = await prod;
  assert.ok(ofType(rec, "random:index/randomPassword:RandomPassword").length === 1);
  assert.ok(!JSON.stringify(rec).includes(canary));
});

test("storage grows by target tracking up to the ceiling and never shrinks", async () => {
  const rec = await prod;
  const target = one(rec, "aws:appautoscaling/target:Target");
  assert.equal(target.inputs.serviceNamespace, "kafka");
  assert.equal(target.inputs.scalableDimension, "kafka:broker-storage:VolumeSize");
  assert.equal(target.inputs.maxCapacity, 4000);
  assert.ok(target.dependencies.includes(one(rec, "aws:msk/cluster:Cluster").urn));
  const policy = one(rec, "aws:appautoscaling/policy:Policy");
  assert.equal(policy.inputs.policyType, "TargetTrackingScaling");
  assert.deepEqual(policy.inputs.targetTrackingScalingPolicyConfiguration, {
    disableScaleIn: true,
    predefinedMetricSpecification: { predefinedMetricType: "KafkaBrokerStorageUtilization" },
    targetValue: 60,
  });
  assert.ok(policy.dependencies.includes(target.urn));
});

test("broker logs, enhanced and open monitoring are on", async () => {
  const rec = await prod;
  const cluster = one(rec, "aws:msk/cluster:Cluster");
  assert.equal(cluster.inputs.enhancedMonitoring, "PER_TOPIC_PER_BROKER");
  assert.deepEqual(cluster.inputs.openMonitoring, {
    prometheus: { jmxExporter: { enabledInBroker: true }, nodeExporter: { enabledInBroker: true } },
  });
  assert.deepEqual(cluster.inputs.loggingInfo, {
    brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: "/crest/kafka/broker-logs" } },
  });
  const logGroup = one(rec, "aws:cloudwatch/logGroup:LogGroup");
  assert.equal(logGroup.inputs.retentionInDays, 365);
  assert.ok(logGroup.dependencies.some((urn) => urn.endsWith("aws:kms/key:Key::kafka-broker-logs")));
});

test("the security group admits only the client groups, only on 9096", async () => {
  const rec = await prod;
  const group = one(rec, "aws:ec2/securityGroup:SecurityGroup");
  const ingress = group.inputs.ingress as Record<string, unknown>[];
  assert.deepEqual(
    ingress.map(({ fromPort, toPort, protocol, securityGroups, cidrBlocks }) => ({
      fromPort,
      toPort,
      protocol,
      securityGroups,
      cidrBlocks,
    })),
    [
      {
        fromPort: 9096,
        toPort: 9096,
        protocol: "tcp",
        securityGroups: ["sg-workload"],
        cidrBlocks: undefined,
      },
    ],
  );
  assert.deepEqual(group.inputs.egress, []);
  const cluster = one(rec, "aws:msk/cluster:Cluster");
  assert.ok(cluster.dependencies.includes(group.urn));
});

test("topics are created with the cluster's replication factor", async () => {
  const rec = await prod;
  const topics = ofType(rec, "aws:msk/topic:Topic").map((t) => t.inputs);
  assert.deepEqual(
    topics.map(({ name, partitionCount, replicationFactor }) => ({
      name,
      partitionCount,
      replicationFactor,
    })),
    [
      { name: "orders", partitionCount: 12, replicationFactor: 3 },
      { name: "orders.dlq", partitionCount: 3, replicationFactor: 3 },
    ],
  );
});

test("the cluster and topics are protected by default, and not when protect is false", async () => {
  const prodRec = await prod;
  assert.equal(one(prodRec, "aws:msk/cluster:Cluster").protect, true);
  for (const topic of ofType(prodRec, "aws:msk/topic:Topic")) assert.equal(topic.protect, true);
  const devRec = await dev;
  assert.equal(one(devRec, "aws:msk/cluster:Cluster").protect, false);
  for (const topic of ofType(devRec, "aws:msk/topic:Topic")) assert.equal(topic.protect, false);
});

test("a destroyed dev stack can be re-created: its SCRAM secret name is never reused", async () => {
  // A deleted secret keeps its name through its recovery window; with a fixed name the next
  // `pulumi up` would fail on CreateSecret. The provider completes the prefix with a unique suffix.
  const secret = one(await dev, "aws:secretsmanager/secret:Secret");
  assert.equal(secret.inputs.name, undefined);
  assert.match(String(secret.inputs.namePrefix), /^AmazonMSK_kafka-$/);
  assert.equal(secret.inputs.recoveryWindowInDays, 30);
});

test("the dev shape is smaller but keeps TLS and SCRAM", async () => {
  const rec = await dev;
  const cluster = one(rec, "aws:msk/cluster:Cluster");
  assert.equal(cluster.inputs.numberOfBrokerNodes, 2);
  const nodes = cluster.inputs.brokerNodeGroupInfo as Record<string, unknown>;
  assert.deepEqual(nodes.clientSubnets, ["subnet-a", "subnet-b"]);
  assert.equal(nodes.instanceType, "kafka.m7g.large");
  assert.deepEqual(cluster.inputs.encryptionInfo, {
    encryptionAtRestKmsKeyArn: "<computed>",
    encryptionInTransit: { clientBroker: "TLS", inCluster: true },
  });
  assert.deepEqual(cluster.inputs.clientAuthentication, {
    sasl: { iam: false, scram: true },
    unauthenticated: false,
  });
  assert.deepEqual(
    String(one(rec, "aws:msk/configuration:Configuration").inputs.serverProperties).split("\n"),
    [
      "auto.create.topics.enable=false",
      "default.replication.factor=2",
      "min.insync.replicas=1",
      "num.partitions=2",
      "unclean.leader.election.enable=false",
    ],
  );
  assert.equal(one(rec, "aws:appautoscaling/target:Target").inputs.maxCapacity, 500);
  assert.equal(one(rec, "aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays, 30);
  for (const topic of ofType(rec, "aws:msk/topic:Topic")) assert.equal(topic.inputs.replicationFactor, 2);
});

test("argument checks name the field, the value and what is allowed", () => {
  assert.deepEqual(kafkaClusterArgsProblems(args), []);
  assert.deepEqual(kafkaClusterArgsProblems(devArgs), []);
  assert.deepEqual(kafkaClusterArgsProblems({ ...args, brokers: 4 }), [
    {
      path: "brokers",
      value: 4,
      allowed:
        "a positive multiple of the 3 availabilityZones (MSK spreads brokers evenly over the AZs), e.g. 3 or 6",
    },
  ]);
  assert.deepEqual(kafkaClusterArgsProblems({ ...args, replicationFactor: 4 }), [
    {
      path: "replicationFactor",
      value: 4,
      allowed: "an integer from 1 to brokers (3): each replica needs its own broker",
    },
  ]);
  assert.deepEqual(kafkaClusterArgsProblems({ ...args, minInsyncReplicas: 3 }), [
    {
      path: "minInsyncReplicas",
      value: 3,
      allowed:
        "an integer from 1 to 2, below replicationFactor (3) so acks=all writes survive one replica " +
        "being down (1 when replicationFactor is 1)",
    },
  ]);
  assert.deepEqual(
    kafkaClusterArgsProblems({
      ...args,
      topics: [
        { name: "orders/new", partitions: 3 },
        { name: "orders", partitions: 0 },
      ],
    }),
    [
      {
        path: "topics[0].name",
        value: "orders/new",
        allowed: 'a Kafka topic name: 1–249 of a-z A-Z 0-9 . _ -, not "." or ".."',
      },
      { path: "topics[1].partitions", value: 0, allowed: "an integer from 1 to 10000" },
    ],
  );
  assert.deepEqual(kafkaClusterArgsProblems({ ...args, instanceType: "express.m7g.large" }), [
    {
      path: "instanceType",
      value: "express.m7g.large",
      allowed:
        'an MSK Standard broker size "kafka.<family>.<size>", e.g. "kafka.m7g.large" ' +
        "(Express brokers have no EBS storage to size)",
    },
  ]);
});

test("other AWS limits: AZ count, subnets per AZ, storage, retention, topic collisions", () => {
  const paths = (a: KafkaClusterArgs) => kafkaClusterArgsProblems(a).map((p) => p.path);
  assert.deepEqual(
    paths({
      ...args,
      subnetIds: ["subnet-a", "subnet-b"],
      availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c", "eu-west-1d"],
      brokers: 4,
    }),
    ["availabilityZones", "subnetIds"],
  );
  assert.deepEqual(paths({ ...args, clientSecurityGroupIds: [] }), ["clientSecurityGroupIds"]);
  assert.deepEqual(paths({ ...args, volumeSizeGiB: 20000, maxVolumeSizeGiB: 16384 }), ["volumeSizeGiB"]);
  assert.deepEqual(paths({ ...args, volumeSizeGiB: 2000, maxVolumeSizeGiB: 1000 }), ["maxVolumeSizeGiB"]);
  assert.deepEqual(paths({ ...args, volumeSizeGiB: 8000 }), []);
  assert.deepEqual(paths({ ...args, logRetentionDays: 10 }), ["logRetentionDays"]);
  assert.deepEqual(
    paths({
      ...args,
      topics: [
        { name: "orders.dlq", partitions: 1 },
        { name: "orders_dlq", partitions: 1 },
        { name: "..", partitions: 1 },
        { name: "x".repeat(250), partitions: 1 },
      ],
    }),
    ["topics[1].name", "topics[2].name", "topics[3].name"],
  );
  assert.deepEqual(paths({ ...args, replicationFactor: 1, minInsyncReplicas: 1 }), []);
});

test("bad arguments stop the component before any child is declared", async () => {
  await dev;
  const registered: string[] = [];
  await assert.rejects(
    recordProgram("crest", "bad", () => new KafkaCluster("bad", { ...args, brokers: 4 }), {
      onRegister: (r) => registered.push(r.type),
    }),
    (error: Error) =>
      pulumi.InputPropertiesError.isInstance(error) &&
      error.message.startsWith('invalid arguments for crest:data:KafkaCluster "bad":\nbrokers: got 4'),
  );
  assert.deepEqual(registered, ["pulumi:pulumi:Stack", "crest:data:KafkaCluster"]);
});
