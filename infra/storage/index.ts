import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  type LifecycleRule,
  logBucket,
  noncurrentGraceDays,
  type SecureBucket,
  secureBucket,
  wholeBucketRule,
} from "../lib/buckets";
import { EncryptionKey } from "../lib/encryptionKey";
import { type DerivedNames, derivedNameProblems } from "../lib/names";
import { policyDocument } from "../lib/policy";
import { assertValidArgs } from "../lib/problems";
import {
  type ArchiveTiering,
  type StorageReplicationArgs,
  storageSettingsSchema,
  type TieredStorageArgs,
  tieredStorageArgsProblems,
} from "./args";
import {
  cloudFrontDecryptGrant,
  cloudFrontReadStatements,
  logDeliveryStatements,
  replicationPermissions,
  s3AssumeRolePolicy,
} from "./policies";

export {
  type ArchiveTiering,
  type StorageReplicationArgs,
  type StorageSettings,
  storageSettingsProblems,
  storageSettingsSchema,
  type TieredStorageArgs,
  tieredStorageArgsProblems,
} from "./args";

const token = "crest:data:TieredStorage";

/** What each bucket appends to the component's name; Pulumi then appends its random suffix. */
const bucketSuffixes = {
  archive: "-archive",
  staticAssets: "-static-assets",
  accessLogs: "-access-logs",
  archiveReplica: "-archive-dr",
  /** The copy's access logs, in the DR region (S3 delivers server access logs within a region only). */
  archiveReplicaLogs: "-dr-logs",
} as const;
/** What the replication role (and its policy) append to the component's name. */
const replicationRoleSuffix = "-replication";

/**
 * The names this component derives from its own that AWS limits: bucket names (S3: 3–63
 * characters, https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html) and the
 * replication role's (IAM: 64, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
 */
export const tieredStorageDerivedNames: DerivedNames = [
  { what: "IAM role name", suffix: replicationRoleSuffix, autonamed: true, maxLength: 64 },
  ...Object.values(bucketSuffixes).map((suffix) => ({
    what: "S3 bucket name",
    suffix,
    autonamed: true,
    maxLength: 63,
  })),
];

function archiveLifecycle(t: ArchiveTiering): LifecycleRule[] {
  return [
    wholeBucketRule("tier-down", t.noncurrentVersionExpirationDays, {
      transitions: [
        { days: t.standardIaAfterDays, storageClass: "STANDARD_IA" },
        { days: t.glacierIrAfterDays, storageClass: "GLACIER_IR" },
        { days: t.deepArchiveAfterDays, storageClass: "DEEP_ARCHIVE" },
      ],
    }),
  ];
}

/**
 * Three private S3 buckets in one region, all versioned, public access blocked, ACLs disabled and
 * TLS 1.2+ required: an archive that tiers objects down from Standard to Standard-IA, Glacier
 * Instant Retrieval and Deep Archive; the static assets the CDN serves; and the bucket that
 * receives both buckets' server access logs. The archive is optionally replicated to a second
 * region, and the static assets optionally readable by CloudFront distributions (OAC). With `protect`, buckets and keys are Pulumi-protected and a bucket that still holds
 * objects cannot be deleted; without it (dev), `pulumi destroy` empties and removes them.
 */
export class TieredStorage extends pulumi.ComponentResource {
  public readonly archiveBucketName: pulumi.Output<string>;
  public readonly archiveBucketArn: pulumi.Output<string>;
  public readonly staticAssetsBucketName: pulumi.Output<string>;
  public readonly staticAssetsBucketArn: pulumi.Output<string>;
  /** Regional endpoint for a CloudFront S3 origin; avoids redirects the global endpoint causes. */
  public readonly staticAssetsBucketRegionalDomainName: pulumi.Output<string>;
  public readonly accessLogBucketName: pulumi.Output<string>;
  /** Key of the archive and static-asset buckets; readers need kms:Decrypt on it. */
  public readonly kmsKeyArn: pulumi.Output<string>;

  constructor(name: string, args: TieredStorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super(token, name, {}, opts);
    assertValidArgs(token, name, [
      ...derivedNameProblems(name, tieredStorageDerivedNames),
      ...tieredStorageArgsProblems(args),
    ]);
    const protect = args.protect ?? true;
    const settings = storageSettingsSchema.parse(args);
    const tiering = settings.archive;

    const cdnDistributionArns = args.cdnDistributionArns ?? [];
    // Losing the key loses every object it encrypts, so it is protected like the buckets.
    const key = new EncryptionKey(
      `${name}-s3`,
      {
        description: `Encrypts the archive and static-asset buckets of ${name}`,
        accountId: args.accountId,
        alias: `${name}-s3`,
        serviceGrants: cdnDistributionArns.length > 0 ? [cloudFrontDecryptGrant(args.accountId)] : [],
      },
      { parent: this, protect },
    );
    const archive = secureBucket(
      `${name}${bucketSuffixes.archive}`,
      { protect, kmsKeyArn: key.keyArn, lifecycleRules: archiveLifecycle(tiering) },
      this,
    );
    const staticAssets = secureBucket(
      `${name}${bucketSuffixes.staticAssets}`,
      {
        protect,
        kmsKeyArn: key.keyArn,
        lifecycleRules: [wholeBucketRule("old-deploys", noncurrentGraceDays)],
        ...(cdnDistributionArns.length > 0
          ? { allow: (arn: pulumi.Output<string>) => cloudFrontReadStatements(arn, cdnDistributionArns) }
          : {}),
      },
      this,
    );

    const accessLogs = this.accessLogged(
      name,
      bucketSuffixes.accessLogs,
      args,
      [
        { sid: "Archive", name: "archive", source: archive },
        { sid: "StaticAssets", name: "static-assets", source: staticAssets },
      ],
      { protect, retentionDays: settings.accessLogRetentionDays },
    );

    if (args.replication) {
      this.replicateArchive(name, args, args.replication, archive, key.keyArn, tiering, {
        protect,
        retentionDays: settings.accessLogRetentionDays,
      });
    }

    this.archiveBucketName = archive.bucket.bucket;
    this.archiveBucketArn = archive.bucket.arn;
    this.staticAssetsBucketName = staticAssets.bucket.bucket;
    this.staticAssetsBucketArn = staticAssets.bucket.arn;
    this.staticAssetsBucketRegionalDomainName = staticAssets.bucket.bucketRegionalDomainName;
    this.accessLogBucketName = accessLogs.bucket.bucket;
    this.kmsKeyArn = key.keyArn;
    this.registerOutputs({
      archiveBucketName: this.archiveBucketName,
      archiveBucketArn: this.archiveBucketArn,
      staticAssetsBucketName: this.staticAssetsBucketName,
      staticAssetsBucketArn: this.staticAssetsBucketArn,
      staticAssetsBucketRegionalDomainName: this.staticAssetsBucketRegionalDomainName,
      accessLogBucketName: this.accessLogBucketName,
      kmsKeyArn: this.kmsKeyArn,
    });
  }

  /**
   * A log bucket receiving the server access logs of `sources`, each under its own prefix. S3
   * delivers to a bucket of the same region, so the bucket lives where the sources do.
   */
  private accessLogged(
    name: string,
    logBucketSuffix: string,
    args: TieredStorageArgs,
    sources: readonly { sid: string; name: string; source: SecureBucket }[],
    spec: {
      readonly protect: boolean;
      readonly retentionDays: number;
      readonly provider?: pulumi.ProviderResource;
    },
  ): SecureBucket {
    const logSources = sources.map((s) => ({ ...s, prefix: `${s.name}/`, bucketArn: s.source.bucket.arn }));
    const accessLogs = logBucket(
      `${name}${logBucketSuffix}`,
      { ...spec, allow: (arn) => logDeliveryStatements(arn, args.accountId, logSources) },
      this,
    );
    for (const { name: sourceName, prefix, source } of logSources) {
      new aws.s3.BucketLogging(
        `${name}-${sourceName}`,
        {
          bucket: source.bucket.bucket,
          targetBucket: accessLogs.bucket.bucket,
          targetPrefix: prefix,
          // Keys partitioned by account/region/bucket/date, which Athena can prune.
          targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
        },
        { parent: this, provider: spec.provider, dependsOn: [accessLogs.policy] },
      );
    }
    return accessLogs;
  }

  /**
   * Copies every archive object, encrypted under a key of the other region, to a bucket there
   * with the same protections and lifecycle, so the copy tiers down as the original does.
   */
  private replicateArchive(
    name: string,
    args: TieredStorageArgs,
    replication: StorageReplicationArgs,
    archive: SecureBucket,
    archiveKeyArn: pulumi.Output<string>,
    tiering: ArchiveTiering,
    logs: { readonly protect: boolean; readonly retentionDays: number },
  ): void {
    const { protect } = logs;
    const replicaKey = new EncryptionKey(
      `${name}-s3-dr`,
      {
        description: `Encrypts the ${replication.region} copy of the ${name} archive`,
        accountId: args.accountId,
        alias: `${name}-s3-dr`,
      },
      { parent: this, providers: [replication.provider], protect },
    );
    const replica = secureBucket(
      `${name}${bucketSuffixes.archiveReplica}`,
      {
        protect,
        kmsKeyArn: replicaKey.keyArn,
        lifecycleRules: archiveLifecycle(tiering),
        provider: replication.provider,
      },
      this,
    );
    this.accessLogged(
      name,
      bucketSuffixes.archiveReplicaLogs,
      args,
      [{ sid: "ArchiveReplica", name: "archive-dr", source: replica }],
      { ...logs, provider: replication.provider },
    );
    const role = new aws.iam.Role(
      `${name}${replicationRoleSuffix}`,
      {
        description: `Lets S3 copy the ${name} archive to ${replication.region}`,
        assumeRolePolicy: s3AssumeRolePolicy(args.accountId),
      },
      { parent: this },
    );
    const permissions = new aws.iam.RolePolicy(
      `${name}${replicationRoleSuffix}`,
      {
        role: role.id,
        policy: policyDocument(
          replicationPermissions(
            { region: args.region, bucketArn: archive.bucket.arn, kmsKeyArn: archiveKeyArn },
            { region: replication.region, bucketArn: replica.bucket.arn, kmsKeyArn: replicaKey.keyArn },
          ),
        ),
      },
      { parent: this },
    );
    new aws.s3.BucketReplicationConfig(
      `${name}-archive`,
      {
        bucket: archive.bucket.bucket,
        role: role.arn,
        rules: [
          {
            id: "disaster-recovery",
            status: "Enabled",
            // The whole bucket, stated as a V2 rule: a filter with an empty prefix. A rule without a
            // filter is a V1 rule, which S3 refuses deleteMarkerReplication on, and an empty `{}`
            // block can be dropped on the way to the API (Pulumi aws.s3.BucketReplicationConfig,
            // rules[].deleteMarkerReplication: "only valid with V2 replication configurations (i.e.,
            // when filter is used)"; S3 API ReplicationRule: a Filter requires DeleteMarkerReplication,
            // https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRule.html).
            filter: { prefix: "" },
            priority: 0,
            // Deletes reach the copy as delete markers, so after a failover it shows what the
            // primary showed; the versions behind them stay restorable as long as on the primary.
            deleteMarkerReplication: { status: "Enabled" },
            // S3 skips SSE-KMS objects unless told to replicate them and which key to re-encrypt with.
            sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
            destination: {
              bucket: replica.bucket.arn,
              encryptionConfiguration: { replicaKmsKeyId: replicaKey.keyArn },
            },
          },
        ],
      },
      // Replication needs versioning on both ends, and the role's permissions before the first copy.
      { parent: this, dependsOn: [archive.versioning, replica.versioning, permissions] },
    );
  }
}
