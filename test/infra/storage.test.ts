import assert from "node:assert/strict";
import { test } from "node:test";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { TieredStorage, type TieredStorageArgs, tieredStorageArgsProblems } from "../../infra/storage";
import type { ComputedOutputs, RecordedResource, Recording } from "../../tools/plan/recorder";
import { recordProgram } from "../../tools/plan/run";
import { ofType, one } from "../support/recording";

const args: TieredStorageArgs = { accountId: "123456789012", region: "eu-west-1" };

// Bucket names, bucket ARNs and key ARNs made known, so the policies built from them can be read.
const knownArns: ComputedOutputs = ({ type, name }) => {
  switch (type) {
    case "aws:s3/bucket:Bucket":
      return {
        bucket: name,
        arn: `arn:aws:s3:::${name}`,
        bucketRegionalDomainName: `${name}.s3.eu-west-1.amazonaws.com`,
      };
    case "aws:kms/key:Key":
      return { arn: `arn:aws:kms:region:123456789012:key/${name}` };
    case "aws:iam/role:Role":
      return { arn: `arn:aws:iam::123456789012:role/${name}` };
    default:
      return {};
  }
};

const outputsOf = (s: TieredStorage) => ({
  archiveBucketName: s.archiveBucketName,
  archiveBucketArn: s.archiveBucketArn,
  staticAssetsBucketName: s.staticAssetsBucketName,
  staticAssetsBucketArn: s.staticAssetsBucketArn,
  staticAssetsBucketRegionalDomainName: s.staticAssetsBucketRegionalDomainName,
  accessLogBucketName: s.accessLogBucketName,
  kmsKeyArn: s.kmsKeyArn,
});

// Programs run one at a time (the Pulumi runtime is global): each recording starts after the last.
const prod = recordProgram("crest", "test", () => outputsOf(new TieredStorage("store", args)), {
  computedOutputs: knownArns,
});
const withReplication = prod.then(() =>
  recordProgram(
    "crest",
    "test",
    () => {
      const dr = new aws.Provider("dr", { region: "eu-central-1" });
      new TieredStorage("store", { ...args, replication: { region: "eu-central-1", provider: dr } });
    },
    { computedOutputs: knownArns },
  ),
);
const dev = withReplication.then(() =>
  recordProgram(
    "crest",
    "test",
    () =>
      new TieredStorage("store", {
        ...args,
        protect: false,
        accessLogRetentionDays: 30,
        archive: {
          standardIaAfterDays: 45,
          glacierIrAfterDays: 120,
          deepArchiveAfterDays: 400,
          noncurrentVersionExpirationDays: 14,
        },
      }),
    { computedOutputs: knownArns },
  ),
);

const distributionArn = "arn:aws:cloudfront::123456789012:distribution/E2QWRUHEXAMPLE";
const withCdn = dev.then(() =>
  recordProgram(
    "crest",
    "test",
    () => new TieredStorage("store", { ...args, cdnDistributionArns: [distributionArn] }),
    { computedOutputs: knownArns },
  ),
);

const bucketNames = ["store-access-logs", "store-archive", "store-static-assets"];

/** The resource of `type` that configures the bucket named `bucket` (by its `bucket` input). */
function configOf(rec: Recording, type: string, bucket: string): RecordedResource {
  const found = ofType(rec, type).filter((r) => r.inputs.bucket === bucket);
  assert.equal(found.length, 1, `expected one ${type} for ${bucket}, found ${found.length}`);
  return found[0] as RecordedResource;
}

interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

function statementsOf(resource: RecordedResource): PolicyStatement[] {
  assert.equal(typeof resource.inputs.policy, "string", `${resource.urn} has no readable policy`);
  return (JSON.parse(resource.inputs.policy as string) as { Statement: PolicyStatement[] }).Statement;
}

function assertSecureBucket(rec: Recording, bucket: string, sse: { algorithm: string; key?: string }): void {
  assert.deepEqual(
    configOf(rec, "aws:s3/bucketVersioning:BucketVersioning", bucket).inputs.versioningConfiguration,
    { status: "Enabled" },
  );
  const [rule] = configOf(
    rec,
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    bucket,
  ).inputs.rules as Record<string, unknown>[];
  assert.deepEqual(
    rule,
    sse.key
      ? {
          applyServerSideEncryptionByDefault: { sseAlgorithm: sse.algorithm, kmsMasterKeyId: sse.key },
          bucketKeyEnabled: true,
        }
      : { applyServerSideEncryptionByDefault: { sseAlgorithm: sse.algorithm } },
  );
  const block = configOf(rec, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", bucket);
  for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
    assert.equal(block.inputs[flag], true, `${bucket}: ${flag}`);
  }
  assert.deepEqual(
    configOf(rec, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", bucket).inputs.rule,
    { objectOwnership: "BucketOwnerEnforced" },
  );
  const policy = configOf(rec, "aws:s3/bucketPolicy:BucketPolicy", bucket);
  assert.ok(
    policy.dependencies.includes(block.urn),
    `${bucket}: policy must wait for the public access block`,
  );
  const denies = statementsOf(policy).filter((s) => s.Effect === "Deny" && s.Principal === "*");
  const plainHttp = denies.find((s) => s.Condition?.Bool?.["aws:SecureTransport"] === "false");
  const oldTls = denies.find((s) => s.Condition?.NumericLessThan?.["s3:TlsVersion"] === 1.2);
  for (const deny of [plainHttp, oldTls]) {
    assert.ok(deny, `${bucket}: a TLS Deny is missing`);
    assert.equal(deny.Action, "s3:*");
    assert.deepEqual(deny.Resource, [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`]);
  }
}

test("the component is parent of every resource it declares", async () => {
  const rec = await prod;
  const component = one(rec, "crest:data:TieredStorage");
  for (const child of rec.resources.filter((r) => r.custom)) {
    assert.ok(child.urn.includes("crest:data:TieredStorage$"), `${child.urn} is not under the component`);
  }
  assert.equal(one(rec, "aws:s3/bucket:Bucket", "store-archive").parent, component.urn);
});

test("every bucket is versioned, encrypted, private, ACL-free and TLS 1.2-only", async () => {
  const rec = await prod;
  assert.deepEqual(
    ofType(rec, "aws:s3/bucket:Bucket").map((b) => b.name),
    bucketNames,
  );
  const key = "arn:aws:kms:region:123456789012:key/store-s3";
  assertSecureBucket(rec, "store-archive", { algorithm: "aws:kms", key });
  assertSecureBucket(rec, "store-static-assets", { algorithm: "aws:kms", key });
  // S3 server access logs cannot be delivered to an SSE-KMS bucket.
  assertSecureBucket(rec, "store-access-logs", { algorithm: "AES256" });
  assert.equal(one(rec, "aws:kms/key:Key").inputs.enableKeyRotation, true);
});

test("the archive tiers down Standard → IA → Glacier IR → Deep Archive and expires old versions", async () => {
  const rec = await prod;
  const lifecycle = configOf(
    rec,
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "store-archive",
  );
  const [rule] = lifecycle.inputs.rules as Record<string, unknown>[];
  assert.deepEqual(rule?.transitions, [
    { days: 30, storageClass: "STANDARD_IA" },
    { days: 90, storageClass: "GLACIER_IR" },
    { days: 365, storageClass: "DEEP_ARCHIVE" },
  ]);
  assert.deepEqual(rule?.noncurrentVersionExpiration, { noncurrentDays: 90 });
  assert.deepEqual(rule?.abortIncompleteMultipartUpload, { daysAfterInitiation: 7 });
  assert.equal(rule?.status, "Enabled");
  const versioning = configOf(rec, "aws:s3/bucketVersioning:BucketVersioning", "store-archive");
  assert.ok(lifecycle.dependencies.includes(versioning.urn));
});

test("the dev tier takes its own days and is neither protected nor kept on destroy", async () => {
  const rec = await dev;
  const archiveRule = (
    configOf(rec, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "store-archive").inputs
      .rules as Record<string, unknown>[]
  )[0];
  assert.deepEqual(archiveRule?.transitions, [
    { days: 45, storageClass: "STANDARD_IA" },
    { days: 120, storageClass: "GLACIER_IR" },
    { days: 400, storageClass: "DEEP_ARCHIVE" },
  ]);
  assert.deepEqual(archiveRule?.noncurrentVersionExpiration, { noncurrentDays: 14 });
  const logRule = (
    configOf(rec, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "store-access-logs")
      .inputs.rules as Record<string, unknown>[]
  )[0];
  assert.deepEqual(logRule?.expiration, { days: 30 });
  for (const bucket of ofType(rec, "aws:s3/bucket:Bucket")) {
    assert.equal(bucket.protect, false, bucket.name);
    assert.equal(bucket.inputs.forceDestroy, true, bucket.name);
  }
  assert.equal(one(rec, "aws:kms/key:Key").protect, false);
});

test("buckets and their key are protected by default and keep their objects on destroy", async () => {
  const rec = await prod;
  for (const bucket of ofType(rec, "aws:s3/bucket:Bucket")) {
    assert.equal(bucket.protect, true, bucket.name);
    assert.equal(bucket.inputs.forceDestroy, false, bucket.name);
  }
  assert.equal(one(rec, "aws:kms/key:Key").protect, true);
  // Configuration is not state: it can be replaced without losing data.
  assert.equal(configOf(rec, "aws:s3/bucketPolicy:BucketPolicy", "store-archive").protect, false);
});

test("the archive and static assets log to the log bucket, which expires logs and admits only their delivery", async () => {
  const rec = await prod;
  const logging = ofType(rec, "aws:s3/bucketLogging:BucketLogging").map((r) => ({
    bucket: r.inputs.bucket,
    targetBucket: r.inputs.targetBucket,
    targetPrefix: r.inputs.targetPrefix,
  }));
  assert.deepEqual(logging, [
    { bucket: "store-archive", targetBucket: "store-access-logs", targetPrefix: "archive/" },
    { bucket: "store-static-assets", targetBucket: "store-access-logs", targetPrefix: "static-assets/" },
  ]);
  const logPolicy = configOf(rec, "aws:s3/bucketPolicy:BucketPolicy", "store-access-logs");
  for (const r of ofType(rec, "aws:s3/bucketLogging:BucketLogging")) {
    assert.ok(r.dependencies.includes(logPolicy.urn), `${r.name} must wait for the delivery policy`);
  }
  const delivery = statementsOf(logPolicy).filter((s) => s.Effect === "Allow");
  assert.deepEqual(delivery, [
    {
      Sid: "ServerAccessLogsOfArchive",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: "arn:aws:s3:::store-access-logs/archive/*",
      Condition: {
        ArnLike: { "aws:SourceArn": "arn:aws:s3:::store-archive" },
        StringEquals: { "aws:SourceAccount": "123456789012" },
      },
    },
    {
      Sid: "ServerAccessLogsOfStaticAssets",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: "arn:aws:s3:::store-access-logs/static-assets/*",
      Condition: {
        ArnLike: { "aws:SourceArn": "arn:aws:s3:::store-static-assets" },
        StringEquals: { "aws:SourceAccount": "123456789012" },
      },
    },
  ]);
  const [logRule] = configOf(
    rec,
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "store-access-logs",
  ).inputs.rules as Record<string, unknown>[];
  assert.deepEqual(logRule?.expiration, { days: 365 });
});

test("outputs name the buckets, the static assets' regional domain and the key", async () => {
  const { outputs } = await prod;
  assert.deepEqual(outputs, {
    accessLogBucketName: "store-access-logs",
    archiveBucketArn: "arn:aws:s3:::store-archive",
    archiveBucketName: "store-archive",
    kmsKeyArn: "arn:aws:kms:region:123456789012:key/store-s3",
    staticAssetsBucketArn: "arn:aws:s3:::store-static-assets",
    staticAssetsBucketName: "store-static-assets",
    staticAssetsBucketRegionalDomainName: "store-static-assets.s3.eu-west-1.amazonaws.com",
  });
});

test("without replication nothing is copied and no other region is touched", async () => {
  const rec = await prod;
  assert.equal(ofType(rec, "aws:s3/bucketReplicationConfig:BucketReplicationConfig").length, 0);
  assert.equal(ofType(rec, "aws:iam/role:Role").length, 0);
  assert.ok(rec.resources.every((r) => r.provider === ""));
});

test("replication copies KMS-encrypted archive objects to a protected bucket through the other region's provider", async () => {
  const rec = await withReplication;
  const dr = one(rec, "pulumi:providers:aws", "dr");
  const replica = one(rec, "aws:s3/bucket:Bucket", "store-archive-dr");
  assert.equal(replica.provider, dr.urn);
  assert.equal(replica.protect, true);
  const replicaKey = one(rec, "aws:kms/key:Key", "store-s3-dr");
  assert.equal(replicaKey.provider, dr.urn);
  assert.equal(replicaKey.protect, true);
  assertSecureBucket(rec, "store-archive-dr", {
    algorithm: "aws:kms",
    key: "arn:aws:kms:region:123456789012:key/store-s3-dr",
  });
  for (const r of rec.resources.filter((r) => r.inputs.bucket === "store-archive-dr")) {
    assert.equal(r.provider, dr.urn, `${r.urn} is not in the DR region`);
  }
  assert.equal(one(rec, "aws:s3/bucket:Bucket", "store-archive").provider, "");

  const config = one(rec, "aws:s3/bucketReplicationConfig:BucketReplicationConfig");
  assert.equal(config.inputs.bucket, "store-archive");
  assert.equal(config.provider, "");
  assert.deepEqual(config.inputs.rules, [
    {
      id: "disaster-recovery",
      status: "Enabled",
      // A V2 rule over the whole bucket: an explicit empty-prefix filter, never an empty block.
      filter: { prefix: "" },
      priority: 0,
      deleteMarkerReplication: { status: "Enabled" },
      sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
      destination: {
        bucket: "arn:aws:s3:::store-archive-dr",
        encryptionConfiguration: { replicaKmsKeyId: "arn:aws:kms:region:123456789012:key/store-s3-dr" },
      },
    },
  ]);
  for (const bucket of ["store-archive", "store-archive-dr"]) {
    const versioning = configOf(rec, "aws:s3/bucketVersioning:BucketVersioning", bucket);
    assert.ok(config.dependencies.includes(versioning.urn), `replication must wait for ${bucket} versioning`);
  }
});

test("the DR copy logs its server access to a log bucket of its own region", async () => {
  const rec = await withReplication;
  const dr = one(rec, "pulumi:providers:aws", "dr").urn;
  const logs = one(rec, "aws:s3/bucket:Bucket", "store-dr-logs");
  assert.equal(logs.provider, dr);
  const logging = one(rec, "aws:s3/bucketLogging:BucketLogging", "store-archive-dr");
  assert.equal(logging.provider, dr);
  assert.deepEqual(
    [logging.inputs.bucket, logging.inputs.targetBucket, logging.inputs.targetPrefix],
    ["store-archive-dr", "store-dr-logs", "archive-dr/"],
  );
  const policy = configOf(rec, "aws:s3/bucketPolicy:BucketPolicy", "store-dr-logs");
  assert.equal(policy.provider, dr);
  assert.deepEqual(
    statementsOf(policy)
      .filter((s) => s.Effect === "Allow")
      .map((s) => [s.Resource, s.Condition]),
    [
      [
        "arn:aws:s3:::store-dr-logs/archive-dr/*",
        {
          ArnLike: { "aws:SourceArn": "arn:aws:s3:::store-archive-dr" },
          StringEquals: { "aws:SourceAccount": "123456789012" },
        },
      ],
    ],
  );
});

test("the replication role is assumable by S3 only and grants no wildcard action", async () => {
  const rec = await withReplication;
  const role = one(rec, "aws:iam/role:Role");
  assert.deepEqual(statementsOf({ ...role, inputs: { policy: role.inputs.assumeRolePolicy } }), [
    {
      Effect: "Allow",
      Principal: { Service: "s3.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
    },
  ]);
  const statements = statementsOf(one(rec, "aws:iam/rolePolicy:RolePolicy"));
  const actions = statements.flatMap((s) => [s.Action].flat());
  assert.ok(actions.length > 0);
  assert.deepEqual(
    actions.filter((a) => a.includes("*")),
    [],
  );
  for (const s of statements) {
    assert.equal(s.Effect, "Allow");
    assert.notEqual(s.Resource, "*");
  }
  const encrypt = statements.find((s) => s.Sid === "EncryptReplicas");
  assert.equal(encrypt?.Resource, "arn:aws:kms:region:123456789012:key/store-s3-dr");
  assert.deepEqual(encrypt?.Condition?.StringLike, {
    "kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::store-archive-dr", "arn:aws:s3:::store-archive-dr/*"],
  });
  const decrypt = statements.find((s) => s.Sid === "DecryptSourceObjects");
  assert.deepEqual(decrypt?.Condition?.StringEquals, { "kms:ViaService": "s3.eu-west-1.amazonaws.com" });
});

test("argument checks name the field, the value and what is allowed", () => {
  assert.deepEqual(tieredStorageArgsProblems(args), []);
  assert.deepEqual(tieredStorageArgsProblems({ ...args, archive: { standardIaAfterDays: 20 } }), [
    {
      path: "archive.standardIaAfterDays",
      value: 20,
      allowed: "an integer of at least 30 (S3 moves objects to STANDARD_IA only after 30 days in STANDARD)",
    },
  ]);
  assert.deepEqual(
    tieredStorageArgsProblems({ ...args, archive: { standardIaAfterDays: 60, glacierIrAfterDays: 60 } }),
    [
      {
        path: "archive.glacierIrAfterDays",
        value: 60,
        allowed:
          "an integer of at least 90: 30 days or more after archive.standardIaAfterDays (60), " +
          "as S3 rejects a transition out of STANDARD_IA within its 30-day minimum",
      },
    ],
  );
  assert.deepEqual(
    tieredStorageArgsProblems({ ...args, archive: { glacierIrAfterDays: 120, deepArchiveAfterDays: 100 } }),
    [
      {
        path: "archive.deepArchiveAfterDays",
        value: 100,
        allowed:
          "an integer greater than archive.glacierIrAfterDays (120): objects move GLACIER_IR → DEEP_ARCHIVE, never back",
      },
    ],
  );
  for (const days of [0, -5]) {
    assert.deepEqual(
      tieredStorageArgsProblems({ ...args, archive: { noncurrentVersionExpirationDays: days } }),
      [
        {
          path: "archive.noncurrentVersionExpirationDays",
          value: days,
          allowed: "a positive integer (days after a version stops being current)",
        },
      ],
    );
  }
  assert.deepEqual(tieredStorageArgsProblems({ ...args, accessLogRetentionDays: 0.5 }), [
    {
      path: "accessLogRetentionDays",
      value: 0.5,
      allowed: "a positive integer (S3 expires objects after 1 day at the earliest)",
    },
  ]);
  const provider = {} as pulumi.ProviderResource;
  assert.deepEqual(tieredStorageArgsProblems({ ...args, replication: { region: "eu-west-1", provider } }), [
    {
      path: "replication.region",
      value: "eu-west-1",
      allowed: "an AWS region other than eu-west-1: the copy must survive the loss of the primary region",
    },
  ]);
  assert.deepEqual(tieredStorageArgsProblems({ ...args, accountId: "1234", region: "Ireland" }), [
    { path: "accountId", value: "1234", allowed: "a 12-digit AWS account id" },
    { path: "region", value: "Ireland", allowed: 'an AWS region name, e.g. "eu-west-1"' },
  ]);
});

test("CloudFront distributions named in cdnDistributionArns, and only they, read and decrypt the static assets", async () => {
  const rec = await withCdn;
  const assets = statementsOf(configOf(rec, "aws:s3/bucketPolicy:BucketPolicy", "store-static-assets"));
  assert.deepEqual(
    assets.filter((s) => s.Effect === "Allow"),
    [
      {
        Sid: "CloudFrontReadsThroughOriginAccessControl",
        Effect: "Allow",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Action: "s3:GetObject",
        Resource: "arn:aws:s3:::store-static-assets/*",
        Condition: { StringEquals: { "AWS:SourceArn": [distributionArn] } },
      },
    ],
  );
  // The TLS-only denies still come first and still bind CloudFront.
  assert.deepEqual(
    assets.filter((s) => s.Effect === "Deny").map((s) => s.Sid),
    ["DenyInsecureTransport", "DenyTlsBelow12"],
  );
  const archive = statementsOf(configOf(rec, "aws:s3/bucketPolicy:BucketPolicy", "store-archive"));
  assert.deepEqual(
    archive.filter((s) => s.Effect === "Allow"),
    [],
  );
  const grant = statementsOf(one(rec, "aws:kms/key:Key")).find((s) => s.Sid?.startsWith("CloudFront"));
  assert.deepEqual(grant?.Principal, { Service: "cloudfront.amazonaws.com" });
  assert.ok([grant?.Action].flat().includes("kms:Decrypt*"));
  assert.deepEqual(grant?.Condition, {
    StringEquals: { "aws:SourceAccount": "123456789012" },
    ArnLike: { "aws:SourceArn": "arn:aws:cloudfront::123456789012:distribution/*" },
  });
});

test("without cdnDistributionArns neither the bucket nor the key mentions CloudFront", async () => {
  const rec = await prod;
  for (const r of [...ofType(rec, "aws:s3/bucketPolicy:BucketPolicy"), one(rec, "aws:kms/key:Key")]) {
    assert.ok(!String(r.inputs.policy).includes("cloudfront"), `${r.urn} grants CloudFront`);
  }
});

test("cdnDistributionArns must be distributions of the same account", () => {
  const other = "arn:aws:cloudfront::999999999999:distribution/E2QWRUHEXAMPLE";
  assert.deepEqual(tieredStorageArgsProblems({ ...args, cdnDistributionArns: [distributionArn, other] }), [
    {
      path: "cdnDistributionArns[1]",
      value: other,
      allowed:
        'the ARN of a CloudFront distribution of account 123456789012, e.g. "arn:aws:cloudfront::123456789012:distribution/E2QWRUHEXAMPLE"',
    },
  ]);
});

test("bad arguments stop the component before any child is declared", async () => {
  await withCdn;
  const registered: string[] = [];
  await assert.rejects(
    recordProgram(
      "crest",
      "bad",
      () => new TieredStorage("bad", { ...args, archive: { standardIaAfterDays: 20 } }),
      { onRegister: (r) => registered.push(r.type) },
    ),
    (error: Error) =>
      pulumi.InputPropertiesError.isInstance(error) &&
      error.message.startsWith(
        'invalid arguments for crest:data:TieredStorage "bad":\narchive.standardIaAfterDays: got 20',
      ),
  );
  assert.deepEqual(registered, ["pulumi:pulumi:Stack", "crest:data:TieredStorage"]);
});
