import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { resolveStackConfig } from "../../stacks/config/load";
import { runPlanCli, tempDir } from "../support/cli";
import { prodConfig, sectionProblems } from "../support/stackConfig";

const prod = prodConfig;
const problems = sectionProblems;

test("the tier defaults size every data store; a stack file overrides single keys", () => {
  const config = resolveStackConfig("test", { ...prod, "crest:mysql": JSON.stringify({ shards: 8 }) });
  assert.deepEqual(config.mysql, {
    shards: 8,
    readersPerShard: 2,
    instanceClass: "db.r7g.large",
    backupRetentionDays: 14,
  });
  assert.equal(config.redis.replicasPerShard, 2);
  assert.equal(config.kafka.replicationFactor, 3);
  assert.equal(config.protect, true);
  const dev = resolveStackConfig("test", { ...prod, "crest:tier": "dev", "crest:storage": "{}" });
  assert.deepEqual(
    [dev.mysql.shards, dev.mysql.readersPerShard, dev.redis.shards, dev.kafka.brokers],
    [2, 0, 1, 2],
  );
  assert.equal(dev.protect, false);
});

test("0 shards, readers and replicas above AWS's limits are refused with the limit", () => {
  assert.deepEqual(problems("mysql", { shards: 0, readersPerShard: 16 }), [
    "crest:mysql.shards: got 0; allowed: an integer from 1 to 64 (the platform's shard ceiling: a connection pool per shard per pod)",
    "crest:mysql.readersPerShard: got 16; allowed: an integer from 0 to 15 (Aurora allows 15 replicas)",
  ]);
  assert.deepEqual(problems("redis", { replicasPerShard: 6 }), [
    "crest:redis.replicasPerShard: got 6; allowed: an integer from 0 to 5 (ElastiCache allows 5 replicas per shard)",
  ]);
  assert.deepEqual(problems("mysql", { shards: "four" }), [
    `crest:mysql.shards: got "four"; allowed: an integer from 1 to 64 (the platform's shard ceiling: a connection pool per shard per pod)`,
  ]);
});

test("brokers not divisible by the AZs Kafka spans are refused", () => {
  assert.deepEqual(problems("kafka", { brokers: 4 }), [
    "crest:kafka.brokers: got 4; allowed: a positive multiple of the 3 availabilityZones (MSK spreads brokers evenly over the AZs), e.g. 3 or 6",
  ]);
});

test("archive lifecycle days that do not increase are refused", () => {
  assert.deepEqual(
    problems("storage", {
      drRegion: "eu-central-1",
      archive: { standardIaAfterDays: 60, glacierIrAfterDays: 60, deepArchiveAfterDays: 50 },
    }),
    [
      "crest:storage.archive.glacierIrAfterDays: got 60; allowed: an integer of at least 90: 30 days or more after archive.standardIaAfterDays (60), as S3 rejects a transition out of STANDARD_IA within its 30-day minimum",
      "crest:storage.archive.deepArchiveAfterDays: got 50; allowed: an integer greater than archive.glacierIrAfterDays (60): objects move GLACIER_IR → DEEP_ARCHIVE, never back",
    ],
  );
});

test("prod holds backups, failover, snapshots, Kafka durability and disaster recovery to a floor", () => {
  assert.deepEqual(problems("mysql", { readersPerShard: 0, backupRetentionDays: 3 }), [
    "crest:mysql.readersPerShard: got 0; allowed: at least 1 for tier prod (a reader in another AZ to fail over to)",
    "crest:mysql.backupRetentionDays: got 3; allowed: at least 7 for tier prod (point-in-time recovery window)",
  ]);
  assert.deepEqual(problems("redis", { snapshotRetentionDays: 0 }), [
    "crest:redis.snapshotRetentionDays: got 0; allowed: at least 1 for tier prod (daily snapshots to restore from)",
  ]);
  assert.deepEqual(problems("kafka", { replicationFactor: 2, minInsyncReplicas: 1 }), [
    "crest:kafka.replicationFactor: got 2; allowed: at least 3 for tier prod (a copy of every partition in each of 3 AZs)",
    "crest:kafka.minInsyncReplicas: got 1; allowed: at least 2 for tier prod (an acknowledged write survives losing a broker)",
  ]);
  assert.deepEqual(problems("storage", {}), [
    'crest:storage.drRegion: got nothing; allowed: a disaster-recovery region for tier prod, e.g. "eu-central-1"',
  ]);
  assert.deepEqual(problems("storage", { drRegion: "eu-west-1" }), [
    'crest:storage.drRegion: got "eu-west-1"; allowed: a region of stacks/config/regions.ts other than eu-west-1, so the copy survives the loss of the primary region',
  ]);
  assert.deepEqual(
    problems("mysql", { readersPerShard: 0, backupRetentionDays: 1 }, { ...prod, "crest:tier": "dev" }),
    [],
  );
});

test("a bad data-tier size ends the plan with exit code 2 and writes nothing", async () => {
  const dir = tempDir("bad-sizes");
  writeFileSync(
    join(dir, "Pulumi.sizes.yaml"),
    [
      "config:",
      "  crest:tier: dev",
      "  crest:region: eu-west-1",
      '  crest:accountId: "123456789012"',
      "  crest:owner: platform",
      "  crest:costCenter: cc-1",
      "  crest:network: { vpcCidr: 10.40.0.0/16 }",
      "  crest:mysql: { shards: 0 }",
      "  crest:kafka: { brokers: 3 }",
      "  crest:edge: { domainName: api.example.com, hostedZoneId: Z0123456789ABCDEFGHIJ }",
      "  crest:wechat: { appId: wx0123456789abcdef }",
    ].join("\n"),
  );
  const result = await runPlanCli(["--stack", "sizes", "--config-dir", dir, "--out", dir]);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, "");
  assert.deepEqual(result.stderr.trimEnd().split("\n"), [
    'stack "sizes" has 2 config problems:',
    "crest:mysql.shards: got 0; allowed: an integer from 1 to 64 (the platform's shard ceiling: a connection pool per shard per pod)",
    "crest:kafka.brokers: got 3; allowed: a positive multiple of the 2 availabilityZones (MSK spreads brokers evenly over the AZs), e.g. 2 or 4",
  ]);
});
