import assert from "node:assert/strict";
import { test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import {
  auroraMysqlEngineVersion,
  ShardedMysql,
  type ShardedMysqlArgs,
  shardedMysqlArgsProblems,
  shardedMysqlNameProblems,
} from "../../infra/mysql";
import type { RecordedResource } from "../../tools/plan/recorder";
import { recordProgram } from "../../tools/plan/run";
import { ofType, one } from "../support/recording";

const azs = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
const args: ShardedMysqlArgs = {
  accountId: "123456789012",
  region: "eu-west-1",
  vpcId: "vpc-0abc",
  subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
  availabilityZones: azs,
  clientSecurityGroupIds: ["sg-workload", "sg-migrations"],
  shards: 4,
  readersPerShard: 2,
};

const clusterType = "aws:rds/cluster:Cluster";
const instanceType = "aws:rds/clusterInstance:ClusterInstance";
const keyArn = "arn:aws:kms:eu-west-1:123456789012:key/shards";

// Programs run one at a time (the Pulumi runtime is global); each recording awaits the one before.
// In the prod-like recording the mocked cloud answers with the key's ARN, the endpoints and the
// managed secret, as AWS would after a create, so key references and the shard map resolve.
const prod = recordProgram(
  "crest",
  "test",
  () => {
    const db = new ShardedMysql("db", args);
    return { shardMap: db.shardMap };
  },
  {
    computedOutputs: ({ type, name }) => {
      if (type === "aws:kms/key:Key") return { arn: keyArn };
      if (type !== clusterType) return {};
      return {
        endpoint: `${name}.cluster-x.eu-west-1.rds.amazonaws.com`,
        readerEndpoint: `${name}.cluster-ro-x.eu-west-1.rds.amazonaws.com`,
        masterUserSecrets: [{ secretArn: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}` }],
      };
    },
  },
);
const dev = prod.then(() =>
  recordProgram("crest", "test", () => {
    new ShardedMysql("dev", {
      ...args,
      subnetIds: args.subnetIds.slice(0, 2),
      availabilityZones: azs.slice(0, 2),
      shards: 2,
      readersPerShard: 0,
      instanceClass: "db.t4g.medium",
      backupRetentionDays: 1,
      protect: false,
    });
  }),
);

function membersOf(resources: RecordedResource[], cluster: RecordedResource): RecordedResource[] {
  return ofType({ resources }, instanceType).filter((i) => i.dependencies.includes(cluster.urn));
}

test("prod-like args give 4 clusters of 3 instances, each shard across all 3 AZs", async () => {
  const rec = await prod;
  const clusters = ofType(rec, clusterType);
  assert.deepEqual(
    clusters.map((c) => c.name),
    ["db-0", "db-1", "db-2", "db-3"],
  );
  assert.equal(ofType(rec, instanceType).length, 12);
  clusters.forEach((cluster, shard) => {
    const members = membersOf(rec.resources, cluster);
    assert.deepEqual(
      members.map((m) => m.name),
      [`db-${shard}-0`, `db-${shard}-1`, `db-${shard}-2`],
    );
    for (const member of members) assert.equal(member.inputs.clusterIdentifier, "<computed>");
    assert.deepEqual(new Set(members.map((m) => m.inputs.availabilityZone)), new Set(azs));
  });
});

test("writers are spread over the AZs and created before their readers", async () => {
  const rec = await prod;
  const writers = [0, 1, 2, 3].map((shard) => one(rec, instanceType, `db-${shard}-0`));
  assert.deepEqual(
    writers.map((w) => w.inputs.availabilityZone),
    ["eu-west-1a", "eu-west-1b", "eu-west-1c", "eu-west-1a"],
  );
  for (const [shard, writer] of writers.entries()) {
    for (const reader of [1, 2].map((n) => one(rec, instanceType, `db-${shard}-${n}`))) {
      assert.ok(reader.dependencies.includes(writer.urn), `${reader.name} does not wait for ${writer.name}`);
    }
  }
});

test("the shard map lists each shard's endpoints, port, database and secret ARN", async () => {
  const { outputs } = await prod;
  assert.deepEqual(
    outputs.shardMap,
    [0, 1, 2, 3].map((id) => ({
      id,
      writerEndpoint: `db-${id}.cluster-x.eu-west-1.rds.amazonaws.com`,
      readerEndpoint: `db-${id}.cluster-ro-x.eu-west-1.rds.amazonaws.com`,
      port: 3306,
      database: "crest",
      secretArn: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-${id}`,
    })),
  );
});

test("storage, master secret and Performance Insights are encrypted with the one customer-managed key", async () => {
  const rec = await prod;
  assert.equal(ofType(rec, "aws:kms/key:Key").length, 1);
  assert.equal(one(rec, "aws:kms/key:Key").inputs.enableKeyRotation, true);
  for (const cluster of ofType(rec, clusterType)) {
    assert.equal(cluster.inputs.storageEncrypted, true);
    assert.equal(cluster.inputs.engine, "aurora-mysql");
    assert.equal(cluster.inputs.engineVersion, auroraMysqlEngineVersion);
    assert.equal(cluster.inputs.backupRetentionPeriod, 14);
    assert.equal(cluster.inputs.iamDatabaseAuthenticationEnabled, true);
    assert.equal(cluster.inputs.copyTagsToSnapshot, true);
    assert.deepEqual(cluster.inputs.enabledCloudwatchLogsExports, ["audit", "error", "slowquery"]);
    assert.equal(cluster.inputs.kmsKeyId, keyArn);
    assert.equal(cluster.inputs.masterUserSecretKmsKeyId, keyArn);
  }
  for (const instance of ofType(rec, instanceType)) {
    assert.equal(instance.inputs.instanceClass, "db.r7g.large");
    assert.equal(instance.inputs.performanceInsightsEnabled, true);
    assert.equal(instance.inputs.publiclyAccessible, false);
    assert.equal(instance.inputs.performanceInsightsKmsKeyId, keyArn);
  }
});

test("by default clusters and instances are protected, deletion-protected and snapshot on delete", async () => {
  const rec = await prod;
  for (const cluster of ofType(rec, clusterType)) {
    assert.equal(cluster.protect, true);
    assert.equal(cluster.inputs.deletionProtection, true);
    assert.equal(cluster.inputs.skipFinalSnapshot, false);
    assert.equal(cluster.inputs.finalSnapshotIdentifier, `${cluster.name}-final`);
    assert.equal(cluster.inputs.deleteAutomatedBackups, false);
  }
  for (const instance of ofType(rec, instanceType)) assert.equal(instance.protect, true);
  assert.equal(one(rec, "aws:kms/key:Key").protect, true);
});

test("protect: false gives the small dev shape with nothing protected", async () => {
  const rec = await dev;
  const clusters = ofType(rec, clusterType);
  assert.equal(clusters.length, 2);
  assert.deepEqual(
    ofType(rec, instanceType).map((i) => [i.name, i.inputs.availabilityZone, i.inputs.instanceClass]),
    [
      ["dev-0-0", "eu-west-1a", "db.t4g.medium"],
      ["dev-1-0", "eu-west-1b", "db.t4g.medium"],
    ],
  );
  for (const cluster of clusters) {
    assert.equal(cluster.protect, false);
    assert.equal(cluster.inputs.deletionProtection, false);
    assert.equal(cluster.inputs.skipFinalSnapshot, true);
    assert.equal(cluster.inputs.finalSnapshotIdentifier, undefined);
    assert.equal(cluster.inputs.backupRetentionPeriod, 1);
    assert.equal(cluster.inputs.storageEncrypted, true);
  }
  for (const r of rec.resources) assert.equal(r.protect, false, `${r.urn} is protected`);
});

test("the cluster parameter group enforces TLS 1.2+, utf8mb4, slow-query and audit logging", async () => {
  const rec = await prod;
  const group = one(rec, "aws:rds/clusterParameterGroup:ClusterParameterGroup");
  assert.equal(group.inputs.family, "aurora-mysql8.0");
  const parameters = Object.fromEntries(
    (group.inputs.parameters as { name: string; value: string }[]).map((p) => [p.name, p.value]),
  );
  assert.deepEqual(parameters, {
    character_set_server: "utf8mb4",
    collation_server: "utf8mb4_0900_ai_ci",
    require_secure_transport: "ON",
    tls_version: "TLSv1.2,TLSv1.3",
    slow_query_log: "1",
    long_query_time: "0.5",
    log_output: "FILE",
    server_audit_logging: "1",
    server_audit_events: "CONNECT,QUERY_DCL,QUERY_DDL",
  });
  for (const cluster of ofType(rec, clusterType)) assert.ok(cluster.dependencies.includes(group.urn));
  const subnetGroup = one(rec, "aws:rds/subnetGroup:SubnetGroup");
  assert.deepEqual(subnetGroup.inputs.subnetIds, ["subnet-a", "subnet-b", "subnet-c"]);
});

test("no password is set or recorded: AWS manages the master secret with the CMK", async () => {
  const rec = await prod;
  for (const cluster of ofType(rec, clusterType)) {
    assert.equal(cluster.inputs.manageMasterUserPassword, true);
    assert.equal(cluster.inputs.masterPassword, undefined);
    assert.equal(cluster.inputs.masterPasswordWo, undefined);
  }
  assert.equal(ofType(rec, "random:index/randomPassword:RandomPassword").length, 0);
  assert.equal(ofType(rec, "aws:secretsmanager/secretVersion:SecretVersion").length, 0);
  const keys = new Set<string>();
  JSON.stringify(rec, (key, value) => {
    keys.add(key);
    return value;
  });
  assert.deepEqual(
    [...keys].filter((k) => /password/i.test(k)),
    ["manageMasterUserPassword"],
  );
});

test("the security group admits only the client groups, on 3306, and opens nothing outbound", async () => {
  const rec = await prod;
  const group = one(rec, "aws:ec2/securityGroup:SecurityGroup");
  assert.deepEqual(group.inputs.ingress, [
    {
      description: "Aurora MySQL shards of db clients",
      fromPort: 3306,
      protocol: "tcp",
      securityGroups: ["sg-workload", "sg-migrations"],
      toPort: 3306,
    },
  ]);
  assert.deepEqual(group.inputs.egress, []);
  for (const cluster of ofType(rec, clusterType)) assert.ok(cluster.dependencies.includes(group.urn));
});

test("argument checks name the field, the value and what is allowed", () => {
  assert.deepEqual(shardedMysqlArgsProblems(args), []);
  const problem = (over: Partial<ShardedMysqlArgs>) => shardedMysqlArgsProblems({ ...args, ...over });
  assert.deepEqual(problem({ shards: 0 }), [
    {
      path: "shards",
      value: 0,
      allowed: "an integer from 1 to 64 (the platform's shard ceiling: a connection pool per shard per pod)",
    },
  ]);
  assert.deepEqual(problem({ shards: 65 }), [
    {
      path: "shards",
      value: 65,
      allowed: "an integer from 1 to 64 (the platform's shard ceiling: a connection pool per shard per pod)",
    },
  ]);
  assert.deepEqual(problem({ readersPerShard: 16 }), [
    { path: "readersPerShard", value: 16, allowed: "an integer from 0 to 15 (Aurora allows 15 replicas)" },
  ]);
  for (const days of [0, 36]) {
    assert.deepEqual(problem({ backupRetentionDays: days }), [
      {
        path: "backupRetentionDays",
        value: days,
        allowed: "an integer from 1 to 35 (Aurora keeps automated backups 1 to 35 days)",
      },
    ]);
  }
  assert.deepEqual(problem({ subnetIds: ["subnet-a", "subnet-b"] }), [
    {
      path: "subnetIds",
      value: "2 subnet ids",
      allowed: "one subnet per availability zone: 3, in the order of availabilityZones",
    },
  ]);
  const badClass = {
    path: "instanceClass",
    allowed:
      'a provisioned DB instance class "db.<family>.<size>" that supports Performance Insights ' +
      '(not db.t2.*, db.t3.*, nor the micro and small db.t4g sizes), e.g. "db.r7g.large"',
  };
  for (const value of ["r7g.large", "db.serverless", "db.t3.medium", "db.t4g.small"]) {
    assert.deepEqual(problem({ instanceClass: value }), [{ ...badClass, value }]);
  }
  assert.deepEqual(problem({ instanceClass: "db.t4g.medium" }), []);
  assert.deepEqual(problem({ availabilityZones: ["eu-west-1a"], subnetIds: ["subnet-a"] }), [
    {
      path: "availabilityZones",
      value: ["eu-west-1a"],
      allowed: "2 to 6 availability zones (a DB subnet group must cover at least 2)",
    },
  ]);
  assert.deepEqual(problem({ availabilityZones: ["eu-west-1a", "us-east-1b", "eu-west-1a"] }), [
    {
      path: "availabilityZones[1]",
      value: "us-east-1b",
      allowed: 'an AZ name of region eu-west-1, e.g. "eu-west-1a"',
    },
    { path: "availabilityZones[2]", value: "eu-west-1a", allowed: "each AZ at most once" },
  ]);
  assert.deepEqual(problem({ clientSecurityGroupIds: [] }), [
    {
      path: "clientSecurityGroupIds",
      value: "0 security group ids",
      allowed: "1 to 60 security group ids (with none nothing could connect; each is one inbound rule)",
    },
  ]);
  assert.deepEqual(problem({ databaseName: "1crest" }), [
    {
      path: "databaseName",
      value: "1crest",
      allowed: "1 to 64 letters, digits or underscores, starting with a letter",
    },
  ]);
  assert.deepEqual(problem({ accountId: "1234" }), [
    { path: "accountId", value: "1234", allowed: "a 12-digit AWS account id" },
  ]);
});

test("the component name must fit every RDS identifier it prefixes", () => {
  assert.deepEqual(
    shardedMysqlNameProblems("crest-prod-mysql", { ...args, shards: 64, readersPerShard: 15 }),
    [],
  );
  const allowed =
    "lowercase letters, digits and single hyphens, starting with a letter, at most 51 characters " +
    "(RDS identifiers are at most 63, and it prefixes every one here)";
  assert.deepEqual(shardedMysqlNameProblems("Crest_DB", args), [
    { path: "name", value: "Crest_DB", allowed },
  ]);
  assert.deepEqual(shardedMysqlNameProblems("a".repeat(52), args), [
    { path: "name", value: "a".repeat(52), allowed },
  ]);
});

test("bad arguments stop the component before any child is declared", async () => {
  await dev;
  const registered: string[] = [];
  await assert.rejects(
    recordProgram(
      "crest",
      "bad",
      () => new ShardedMysql("bad", { ...args, shards: 0, readersPerShard: 16 }),
      {
        onRegister: (r) => registered.push(r.type),
      },
    ),
    (error: Error) =>
      pulumi.InputPropertiesError.isInstance(error) &&
      error.message ===
        'invalid arguments for crest:data:ShardedMysql "bad":\n' +
          "shards: got 0; allowed: an integer from 1 to 64 (the platform's shard ceiling: a connection pool per shard per pod)\n" +
          "readersPerShard: got 16; allowed: an integer from 0 to 15 (Aurora allows 15 replicas)",
  );
  assert.deepEqual(registered, ["pulumi:pulumi:Stack", "crest:data:ShardedMysql"]);
});

test("every instance has Enhanced Monitoring every 60 s through a role only RDS monitoring may assume", async () => {
  const rec = await prod;
  const role = one(rec, "aws:iam/role:Role", "db-monitoring");
  assert.deepEqual(JSON.parse(String(role.inputs.assumeRolePolicy)).Statement, [
    { Effect: "Allow", Principal: { Service: "monitoring.rds.amazonaws.com" }, Action: "sts:AssumeRole" },
  ]);
  const attachment = one(rec, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "db-monitoring");
  assert.equal(
    attachment.inputs.policyArn,
    "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
  );
  const instances = ofType(rec, instanceType);
  assert.equal(instances.length, 12);
  for (const instance of instances) {
    assert.equal(instance.inputs.monitoringInterval, 60, instance.name);
    assert.ok(instance.dependencies.includes(role.urn), `${instance.name} takes the monitoring role's ARN`);
  }
});
