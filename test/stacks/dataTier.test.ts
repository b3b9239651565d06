import assert from "node:assert/strict";
import { test } from "node:test";
import { formatJson, formatMarkdown, formatSummary } from "../../tools/plan/report";
import { type PlanDocument, runPlan } from "../../tools/plan/run";
import { repoRoot } from "../support/cli";
import { ofType, one } from "../support/recording";

// Generated passwords are unknown in a preview; the canary makes them known, to prove the plan
// still never prints one.
const canary = "canary-Secret-Value-93f1";
const computedOutputs = ({ type }: { type: string }) =>
  type === "random:index/randomPassword:RandomPassword" ? { result: canary } : {};

const prod = runPlan(repoRoot, "prod", { computedOutputs });
const dev = prod.then(() => runPlan(repoRoot, "dev", { computedOutputs }));

const statefulTypes = [
  "aws:rds/cluster:Cluster",
  "aws:rds/clusterInstance:ClusterInstance",
  "aws:elasticache/replicationGroup:ReplicationGroup",
  "aws:msk/cluster:Cluster",
  "aws:msk/topic:Topic",
  "aws:s3/bucket:Bucket",
];

function auroraShape(doc: PlanDocument, shards: number, readers: number, azs: number) {
  const clusters = ofType(doc, "aws:rds/cluster:Cluster");
  const instances = ofType(doc, "aws:rds/clusterInstance:ClusterInstance");
  assert.equal(clusters.length, shards);
  assert.equal(instances.length, shards * (1 + readers));
  assert.equal(
    new Set(instances.map((i) => i.inputs.availabilityZone)).size,
    Math.min(azs, instances.length),
  );
  for (const cluster of clusters) {
    const members = instances.filter((i) => i.dependencies.includes(cluster.urn));
    assert.equal(members.length, 1 + readers, `${cluster.name} members`);
    assert.equal(new Set(members.map((m) => m.inputs.availabilityZone)).size, Math.min(1 + readers, azs));
    assert.equal(cluster.inputs.storageEncrypted, true);
    assert.equal(cluster.inputs.kmsKeyId, "<computed>", "a customer-managed key, not the AWS default");
    assert.equal(cluster.inputs.manageMasterUserPassword, true);
  }
}

test("prod: shards × (1 + readersPerShard) Aurora instances spread over all 3 AZs", async () => {
  auroraShape(await prod, 4, 2, 3);
});

test("prod: Redis with automatic failover, Multi-AZ, TLS and at-rest encryption", async () => {
  const group = one(await prod, "aws:elasticache/replicationGroup:ReplicationGroup");
  assert.equal(group.inputs.automaticFailoverEnabled, true);
  assert.equal(group.inputs.multiAzEnabled, true);
  assert.equal(group.inputs.transitEncryptionEnabled, true);
  assert.equal(group.inputs.atRestEncryptionEnabled, true);
  assert.equal(group.inputs.numNodeGroups, 3);
  assert.equal(group.inputs.replicasPerNodeGroup, 2);
  assert.ok((group.inputs.snapshotRetentionLimit as number) >= 1);
});

test("prod: MSK brokers divisible by the AZ count, TLS, SCRAM and prod replication settings", async () => {
  const doc = await prod;
  const cluster = one(doc, "aws:msk/cluster:Cluster");
  const brokers = cluster.inputs.numberOfBrokerNodes as number;
  const subnets = (cluster.inputs.brokerNodeGroupInfo as { clientSubnets: unknown[] }).clientSubnets.length;
  assert.equal(subnets, 3);
  assert.equal(brokers % subnets, 0);
  assert.deepEqual(cluster.inputs.encryptionInfo, {
    encryptionAtRestKmsKeyArn: "<computed>",
    encryptionInTransit: { clientBroker: "TLS", inCluster: true },
  });
  const properties = one(doc, "aws:msk/configuration:Configuration").inputs.serverProperties as string;
  assert.match(properties, /^auto\.create\.topics\.enable=false$/m);
  assert.match(properties, /^default\.replication\.factor=3$/m);
  assert.match(properties, /^min\.insync\.replicas=2$/m);
  assert.deepEqual(
    ofType(doc, "aws:msk/topic:Topic").map((t) => [t.inputs.name, t.inputs.partitionCount]),
    [
      ["orders", 12],
      ["orders-dlq", 3],
    ],
  );
});

for (const [stack, run, protect] of [
  ["prod", prod, true],
  ["dev", dev, false],
] as const) {
  test(`${stack}: every data store and bucket is encrypted at rest`, async () => {
    const doc = await run;
    for (const c of ofType(doc, "aws:rds/cluster:Cluster")) assert.equal(c.inputs.storageEncrypted, true);
    assert.equal(
      one(doc, "aws:elasticache/replicationGroup:ReplicationGroup").inputs.atRestEncryptionEnabled,
      true,
    );
    assert.ok(one(doc, "aws:msk/cluster:Cluster").inputs.encryptionInfo);
    const buckets = ofType(doc, "aws:s3/bucket:Bucket");
    const encryption = ofType(
      doc,
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    );
    assert.equal(encryption.length, buckets.length);
    for (const e of encryption) {
      const rule = (e.inputs.rules as { applyServerSideEncryptionByDefault: { sseAlgorithm: string } }[])[0];
      assert.ok(
        rule && ["aws:kms", "AES256"].includes(rule.applyServerSideEncryptionByDefault.sseAlgorithm),
        e.name,
      );
    }
  });

  test(`${stack}: stateful resources are ${protect ? "" : "not "}protected`, async () => {
    const doc = await run;
    for (const type of statefulTypes) {
      const resources = ofType(doc, type);
      assert.ok(resources.length > 0, type);
      for (const r of resources) assert.equal(r.protect, protect, r.urn);
    }
    for (const c of ofType(doc, "aws:rds/cluster:Cluster"))
      assert.equal(c.inputs.deletionProtection, protect);
  });

  test(`${stack}: no secret value appears in the plan's JSON, summary or Markdown`, async () => {
    const doc = await run;
    const written = [formatJson(doc), formatSummary(doc), formatMarkdown(doc)];
    for (const text of written) assert.ok(!text.includes(canary), "a generated password leaked");
    assert.match(formatJson(doc), /"authToken": "\[secret\]"/);
    assert.equal(doc.outputs.runtimeConfig, "<computed>");
  });
}

test("dev: the same shape, smaller and without replication", async () => {
  const doc = await dev;
  auroraShape(doc, 2, 0, 2);
  const group = one(doc, "aws:elasticache/replicationGroup:ReplicationGroup");
  assert.equal(group.inputs.numNodeGroups, 1);
  assert.equal(group.inputs.replicasPerNodeGroup, 1);
  assert.equal(group.inputs.multiAzEnabled, true);
  assert.equal(group.inputs.transitEncryptionEnabled, true);
  assert.equal(one(doc, "aws:msk/cluster:Cluster").inputs.numberOfBrokerNodes, 2);
  assert.equal(ofType(doc, "aws:s3/bucketReplicationConfig:BucketReplicationConfig").length, 0);
  assert.equal(ofType(await prod, "aws:s3/bucketReplicationConfig:BucketReplicationConfig").length, 1);
});
