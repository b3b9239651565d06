import assert from "node:assert/strict";
import { test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { RedisCluster, type RedisClusterArgs, redisClusterArgsProblems } from "../../infra/redis";
import { recordProgram } from "../../tools/plan/run";
import { ofType, one } from "../support/recording";

const canary = "canary-password-123";
const replicationGroup = "aws:elasticache/replicationGroup:ReplicationGroup";

const prodArgs: RedisClusterArgs = {
  accountId: "123456789012",
  region: "eu-west-1",
  vpcId: "vpc-123",
  subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
  availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
  clientSecurityGroupIds: ["sg-workload", "sg-jobs"],
  shards: 3,
  replicasPerShard: 2,
};

const devArgs: RedisClusterArgs = {
  ...prodArgs,
  subnetIds: ["subnet-a", "subnet-b"],
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
  clientSecurityGroupIds: ["sg-workload"],
  shards: 1,
  replicasPerShard: 1,
  protect: false,
  snapshotRetentionDays: 0,
  nodeType: "cache.t4g.small",
  logRetentionDays: 30,
};

// Programs run one at a time (the Pulumi runtime is global): dev starts once prod has finished.
const prod = recordProgram("crest", "test", () => new RedisCluster("cache", prodArgs), {
  computedOutputs: (args) =>
    args.type === "random:index/randomPassword:RandomPassword" ? { result: canary } : {},
});
const dev = prod.then(() => recordProgram("crest", "dev", () => new RedisCluster("cache", devArgs)));

test("prod shape: 3 shards × 2 replicas, failover and Multi-AZ, every AZ holds a node of every shard", async () => {
  const group = one(await prod, replicationGroup);
  assert.equal(group.inputs.engine, "valkey");
  assert.equal(group.inputs.clusterMode, "enabled");
  assert.equal(group.inputs.numNodeGroups, 3);
  assert.equal(group.inputs.replicasPerNodeGroup, 2);
  assert.equal(group.inputs.automaticFailoverEnabled, true);
  assert.equal(group.inputs.multiAzEnabled, true);
  assert.equal(group.inputs.nodeType, "cache.r7g.large");
  assert.equal(group.inputs.port, 6379);
  assert.deepEqual(group.inputs.nodeGroupConfigurations, [
    {
      nodeGroupId: "0001",
      primaryAvailabilityZone: "eu-west-1a",
      replicaAvailabilityZones: ["eu-west-1b", "eu-west-1c"],
      replicaCount: 2,
    },
    {
      nodeGroupId: "0002",
      primaryAvailabilityZone: "eu-west-1b",
      replicaAvailabilityZones: ["eu-west-1c", "eu-west-1a"],
      replicaCount: 2,
    },
    {
      nodeGroupId: "0003",
      primaryAvailabilityZone: "eu-west-1c",
      replicaAvailabilityZones: ["eu-west-1a", "eu-west-1b"],
      replicaCount: 2,
    },
  ]);
  const subnetGroup = one(await prod, "aws:elasticache/subnetGroup:SubnetGroup");
  assert.deepEqual(subnetGroup.inputs.subnetIds, ["subnet-a", "subnet-b", "subnet-c"]);
  assert.ok(group.dependencies.includes(subnetGroup.urn));
});

test("cluster mode is on in the parameter group the cluster uses", async () => {
  const rec = await prod;
  const parameterGroup = one(rec, "aws:elasticache/parameterGroup:ParameterGroup");
  assert.equal(parameterGroup.inputs.family, "valkey8");
  assert.deepEqual(parameterGroup.inputs.parameters, [{ name: "cluster-enabled", value: "yes" }]);
  assert.ok(one(rec, replicationGroup).dependencies.includes(parameterGroup.urn));
});

test("TLS is required and data at rest is encrypted with the cluster's own rotating key", async () => {
  const rec = await prod;
  const group = one(rec, replicationGroup);
  const key = one(rec, "aws:kms/key:Key");
  assert.equal(key.inputs.enableKeyRotation, true);
  assert.equal(group.inputs.transitEncryptionEnabled, true);
  assert.equal(group.inputs.transitEncryptionMode, "required");
  assert.equal(group.inputs.atRestEncryptionEnabled, true);
  assert.ok(group.dependencies.includes(key.urn), "kmsKeyId comes from the cluster's key");
  assert.notEqual(group.inputs.kmsKeyId, undefined);
});

test("the AUTH token is a secret everywhere and its value appears nowhere in the plan", async () => {
  const rec = await prod;
  const group = one(rec, replicationGroup);
  assert.equal(group.inputs.authToken, "[secret]");
  assert.equal(one(rec, "aws:secretsmanager/secretVersion:SecretVersion").inputs.secretString, "[secret]");
  const password = one(rec, "random:index/randomPassword:RandomPassword");
  assert.equal(password.inputs.length, 64);
  assert.equal(password.inputs.overrideSpecial, "!&#$^<>-");
  assert.ok(!JSON.stringify(rec).includes(canary), "the canary password leaked into the recording");
});

test("snapshots, windows, minor upgrades and logs to a key-encrypted log group", async () => {
  const rec = await prod;
  const group = one(rec, replicationGroup);
  assert.equal(group.inputs.snapshotRetentionLimit, 7);
  assert.equal(group.inputs.snapshotWindow, "18:00-19:00");
  assert.equal(group.inputs.maintenanceWindow, "sun:19:00-sun:20:00");
  assert.equal(group.inputs.autoMinorVersionUpgrade, true);
  const logGroup = one(rec, "aws:cloudwatch/logGroup:LogGroup");
  assert.equal(logGroup.inputs.name, "/crest/cache/elasticache");
  assert.equal(logGroup.inputs.retentionInDays, 365);
  assert.ok(logGroup.dependencies.includes(one(rec, "aws:kms/key:Key").urn));
  assert.deepEqual(
    group.inputs.logDeliveryConfigurations,
    ["slow-log", "engine-log"].map((logType) => ({
      destination: "/crest/cache/elasticache",
      destinationType: "cloudwatch-logs",
      logFormat: "json",
      logType,
    })),
  );
  const policy = JSON.parse(one(rec, "aws:kms/key:Key").inputs.policy as string);
  assert.deepEqual(policy.Statement[1].Condition, {
    ArnEquals: {
      "kms:EncryptionContext:aws:logs:arn":
        "arn:aws:logs:eu-west-1:123456789012:log-group:/crest/cache/elasticache",
    },
  });
});

test("by default the cluster is protected and leaves a final snapshot; nothing else is protected", async () => {
  const rec = await prod;
  const group = one(rec, replicationGroup);
  assert.equal(group.protect, true);
  assert.equal(group.inputs.finalSnapshotIdentifier, "cache-final");
  assert.deepEqual(
    rec.resources.filter((r) => r.protect).map((r) => r.type),
    [replicationGroup],
  );
});

test("the security group admits only the client groups, only on 6379, and opens nothing outward", async () => {
  const rec = await prod;
  const sg = one(rec, "aws:ec2/securityGroup:SecurityGroup");
  assert.equal(sg.inputs.vpcId, "vpc-123");
  assert.deepEqual(sg.inputs.ingress, [
    {
      description: "Valkey cluster cache clients",
      fromPort: 6379,
      protocol: "tcp",
      securityGroups: ["sg-workload", "sg-jobs"],
      toPort: 6379,
    },
  ]);
  assert.deepEqual(sg.inputs.egress, []);
  assert.ok(one(rec, replicationGroup).dependencies.includes(sg.urn));
});

test("the component is parent of everything it declares", async () => {
  const { resources } = await prod;
  const component = one({ resources }, "crest:data:RedisCluster");
  for (const r of resources.filter((r) => r.urn !== component.urn && r.type !== "pulumi:pulumi:Stack")) {
    assert.ok(r.urn.includes("crest:data:RedisCluster$"), `${r.urn} is not under the RedisCluster`);
  }
  assert.equal(one({ resources }, replicationGroup).parent, component.urn);
});

test("dev shape: 1 shard × 1 replica, no snapshots, unprotected, still TLS, encrypted and authenticated", async () => {
  const rec = await dev;
  const group = one(rec, replicationGroup);
  assert.equal(group.inputs.numNodeGroups, 1);
  assert.equal(group.inputs.replicasPerNodeGroup, 1);
  assert.deepEqual(group.inputs.nodeGroupConfigurations, [
    {
      nodeGroupId: "0001",
      primaryAvailabilityZone: "eu-west-1a",
      replicaAvailabilityZones: ["eu-west-1b"],
      replicaCount: 1,
    },
  ]);
  assert.equal(group.inputs.multiAzEnabled, true);
  assert.equal(group.inputs.automaticFailoverEnabled, true);
  assert.equal(group.inputs.nodeType, "cache.t4g.small");
  assert.equal(group.inputs.snapshotRetentionLimit, 0);
  assert.equal(group.inputs.transitEncryptionEnabled, true);
  assert.equal(group.inputs.transitEncryptionMode, "required");
  assert.equal(group.inputs.atRestEncryptionEnabled, true);
  assert.ok(group.dependencies.includes(one(rec, "aws:kms/key:Key").urn));
  assert.equal(group.inputs.authToken, "[secret]");
  assert.equal(group.inputs.finalSnapshotIdentifier, undefined);
  assert.equal(one(rec, "aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays, 30);
  assert.deepEqual(
    rec.resources.filter((r) => r.protect),
    [],
  );
  assert.equal(ofType(rec, "aws:secretsmanager/secret:Secret").length, 1);
});

test("argument checks name the field, the value and what is allowed", () => {
  const cases: [Partial<RedisClusterArgs>, unknown][] = [
    [
      { shards: 0 },
      {
        path: "shards",
        value: 0,
        allowed: "an integer from 1 to 90 (ElastiCache's default quota is 90 nodes per cluster)",
      },
    ],
    [
      { shards: 91, replicasPerShard: 0, multiAz: false },
      {
        path: "shards",
        value: 91,
        allowed: "an integer from 1 to 90 (ElastiCache's default quota is 90 nodes per cluster)",
      },
    ],
    [
      { replicasPerShard: 6 },
      {
        path: "replicasPerShard",
        value: 6,
        allowed: "an integer from 0 to 5 (ElastiCache allows 5 replicas per shard)",
      },
    ],
    [
      { shards: 31 },
      {
        path: "shards",
        value: 31,
        allowed:
          "at most 30 shards with 2 replicas each (ElastiCache's default quota is 90 nodes per cluster: " +
          "shards × (1 + replicasPerShard))",
      },
    ],
    [
      { replicasPerShard: 0 },
      {
        path: "multiAz",
        value: true,
        allowed:
          "false when replicasPerShard is 0 (Multi-AZ fails over to a replica: set replicasPerShard to 1 or more)",
      },
    ],
    [
      { snapshotRetentionDays: 36 },
      {
        path: "snapshotRetentionDays",
        value: 36,
        allowed: "an integer from 0 to 35 (0 turns automatic snapshots off)",
      },
    ],
    [
      { nodeType: "r7g.large" },
      {
        path: "nodeType",
        value: "r7g.large",
        allowed: 'an ElastiCache node type, which starts with "cache.", e.g. "cache.r7g.large"',
      },
    ],
    [
      { subnetIds: ["subnet-a", "subnet-b"] },
      {
        path: "subnetIds",
        value: "2 subnet ids",
        allowed: "one subnet per availability zone: 3, in the order of availabilityZones",
      },
    ],
    [
      { availabilityZones: ["eu-west-1a"], subnetIds: ["subnet-a"] },
      {
        path: "availabilityZones",
        value: ["eu-west-1a"],
        allowed: "2 to 6 availability zones (multiAz puts replicas outside their primary's AZ)",
      },
    ],
    [
      { availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1a"] },
      { path: "availabilityZones[2]", value: "eu-west-1a", allowed: "each AZ at most once" },
    ],
    [
      { clientSecurityGroupIds: [] },
      {
        path: "clientSecurityGroupIds",
        value: "0 security group ids",
        allowed: "1 to 60 security group ids (with none nothing could connect; each is one inbound rule)",
      },
    ],
    [
      { logRetentionDays: 10 },
      {
        path: "logRetentionDays",
        value: 10,
        allowed:
          "one of CloudWatch Logs' retention periods: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, " +
          "545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
      },
    ],
  ];
  for (const [change, problem] of cases) {
    assert.deepEqual(redisClusterArgsProblems({ ...prodArgs, ...change }), [problem], JSON.stringify(change));
  }
  // The edges AWS allows are accepted.
  assert.deepEqual(
    redisClusterArgsProblems({ ...prodArgs, shards: 90, replicasPerShard: 0, multiAz: false }),
    [],
  );
  assert.deepEqual(redisClusterArgsProblems({ ...prodArgs, shards: 15, replicasPerShard: 5 }), []);
  assert.deepEqual(redisClusterArgsProblems({ ...prodArgs, snapshotRetentionDays: 35 }), []);
  assert.deepEqual(redisClusterArgsProblems(devArgs), []);
  assert.deepEqual(redisClusterArgsProblems(prodArgs), []);
});

test("bad arguments stop the component before any child is declared", async () => {
  await dev;
  const registered: string[] = [];
  await assert.rejects(
    recordProgram("crest", "bad", () => new RedisCluster("bad", { ...prodArgs, replicasPerShard: 6 }), {
      onRegister: (r) => registered.push(r.type),
    }),
    (error: Error) =>
      pulumi.InputPropertiesError.isInstance(error) &&
      error.message.startsWith(
        'invalid arguments for crest:data:RedisCluster "bad":\nreplicasPerShard: got 6; allowed: an integer from 0 to 5',
      ),
  );
  assert.deepEqual(registered, ["pulumi:pulumi:Stack", "crest:data:RedisCluster"]);
});

test("a name too long for the replication group id stops the component before any child", async () => {
  await dev;
  const name = `crest-${"s".repeat(21)}-redis`;
  await assert.rejects(
    recordProgram("crest", "long", () => new RedisCluster(name, prodArgs)),
    (error: Error) =>
      error.message.startsWith(
        `invalid arguments for crest:data:RedisCluster "${name}":\nname: got "${name}"; allowed: lowercase letters, digits and single hyphens, starting with a letter, at most 32 characters (it prefixes the ElastiCache replication group id, which AWS caps at 40)`,
      ),
  );
});
