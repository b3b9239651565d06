import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { policyDocument, type Statement, tlsOnlyStatements } from "./policy";
import { integerAtLeast } from "./schema";

/**
 * The bucket every Crest component uses: private, versioned, encrypted, TLS-only, with a
 * lifecycle; and the log bucket AWS services deliver access logs to.
 */

/** Days an unfinished multipart upload may hold storage before S3 aborts it. */
const abortIncompleteUploadsAfterDays = 7;
/**
 * Days an old static-asset deploy or an expired access log stays restorable. Both buckets hold
 * write-once objects, so a noncurrent version exists only after a mistaken overwrite or expiry.
 */
export const noncurrentGraceDays = 30;

export type LifecycleRule = aws.types.input.s3.BucketLifecycleConfigurationRule;

/** A rule over the whole bucket that also expires old versions and abandoned multipart uploads. */
export function wholeBucketRule(
  id: string,
  noncurrentDays: number,
  actions: Partial<LifecycleRule> = {},
): LifecycleRule {
  return {
    id,
    status: "Enabled",
    filter: {},
    noncurrentVersionExpiration: { noncurrentDays },
    abortIncompleteMultipartUpload: { daysAfterInitiation: abortIncompleteUploadsAfterDays },
    ...actions,
  };
}

export interface BucketSpec {
  readonly protect: boolean;
  /** Customer-managed key for SSE-KMS; absent means SSE-S3, which only log buckets use. */
  readonly kmsKeyArn?: pulumi.Input<string>;
  readonly lifecycleRules: LifecycleRule[];
  /** Statements the bucket policy grants besides the TLS-only denies. */
  readonly allow?: (bucketArn: pulumi.Output<string>) => Statement[];
  /** Provider of another region, for the disaster-recovery copy. */
  readonly provider?: pulumi.ProviderResource;
}

export interface SecureBucket {
  readonly bucket: aws.s3.Bucket;
  readonly versioning: aws.s3.BucketVersioning;
  readonly policy: aws.s3.BucketPolicy;
}

/**
 * A private bucket with the settings every Crest bucket shares: versioned, encrypted, public access
 * blocked, ACLs disabled, TLS 1.2+ required, and a lifecycle. With `protect` it is Pulumi-protected
 * and keeps its objects on destroy; without it `pulumi destroy` empties and removes it.
 */
export function secureBucket(name: string, spec: BucketSpec, parent: pulumi.Resource): SecureBucket {
  const opts = { parent, provider: spec.provider };
  const bucket = new aws.s3.Bucket(name, { forceDestroy: !spec.protect }, { ...opts, protect: spec.protect });
  new aws.s3.BucketOwnershipControls(
    name,
    { bucket: bucket.bucket, rule: { objectOwnership: "BucketOwnerEnforced" } },
    opts,
  );
  const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
    name,
    {
      bucket: bucket.bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    opts,
  );
  const versioning = new aws.s3.BucketVersioning(
    name,
    { bucket: bucket.bucket, versioningConfiguration: { status: "Enabled" } },
    opts,
  );
  new aws.s3.BucketServerSideEncryptionConfiguration(
    name,
    {
      bucket: bucket.bucket,
      rules: [
        spec.kmsKeyArn
          ? {
              applyServerSideEncryptionByDefault: {
                sseAlgorithm: "aws:kms",
                kmsMasterKeyId: spec.kmsKeyArn,
              },
              // One data key per bucket instead of a KMS call per object: cheaper, and far
              // below the KMS request quota under high write rates.
              bucketKeyEnabled: true,
            }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
    },
    opts,
  );
  // Noncurrent-version rules need versioning in place first.
  new aws.s3.BucketLifecycleConfiguration(
    name,
    {
      bucket: bucket.bucket,
      rules: spec.lifecycleRules,
      // Objects under 128 KB stay put: colder classes bill them as 128 KB plus per-object overhead.
      transitionDefaultMinimumObjectSize: "all_storage_classes_128K",
    },
    { ...opts, dependsOn: [versioning] },
  );
  // After the public access block, so no policy is ever live on a bucket without it.
  const policy = new aws.s3.BucketPolicy(
    name,
    {
      bucket: bucket.bucket,
      policy: policyDocument([...tlsOnlyStatements(bucket.arn), ...(spec.allow?.(bucket.arn) ?? [])]),
    },
    { ...opts, dependsOn: [publicAccessBlock] },
  );
  return { bucket, versioning, policy };
}

/** A bucket that AWS services deliver logs to, under the statements `allow` grants them. */
export interface LogBucketSpec {
  readonly protect: boolean;
  /** Days a log object is kept. */
  readonly retentionDays: number;
  readonly allow: (bucketArn: pulumi.Output<string>) => Statement[];
  /** Provider of another region, for the disaster-recovery copy's logs. */
  readonly provider?: pulumi.ProviderResource;
}

/**
 * A log bucket: SSE-S3 rather than SSE-KMS, because S3 server access logging and ALB access logs
 * cannot deliver to an SSE-KMS bucket; logs expire after `retentionDays`.
 */
export function logBucket(name: string, spec: LogBucketSpec, parent: pulumi.Resource): SecureBucket {
  return secureBucket(
    name,
    {
      protect: spec.protect,
      lifecycleRules: [
        wholeBucketRule("expire-access-logs", noncurrentGraceDays, {
          expiration: { days: spec.retentionDays },
        }),
      ],
      allow: spec.allow,
      provider: spec.provider,
    },
    parent,
  );
}

/** Days access logs are kept: S3 expires objects after a whole number of days, 1 at the earliest. */
export const s3ExpirationDaysSchema = integerAtLeast(
  1,
  "a positive integer (S3 expires objects after 1 day at the earliest)",
);
