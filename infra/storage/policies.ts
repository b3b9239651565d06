import * as pulumi from "@pulumi/pulumi";
import type { ServiceGrant } from "../lib/encryptionKey";
import type { Statement } from "../lib/policy";

/** A bucket whose server access logs land under `prefix` in the log bucket. */
export interface LogSource {
  /** Suffix of the statement id, letters and digits only, e.g. `Archive`. */
  readonly sid: string;
  readonly bucketArn: pulumi.Input<string>;
  /** Key prefix of its logs, ending in `/`. */
  readonly prefix: string;
}

/**
 * Lets the S3 logging service write each source's logs under that source's prefix only, and only
 * for buckets of this account (confused-deputy protection). With ownership BucketOwnerEnforced,
 * ACLs are off and this policy is the only way log delivery is granted.
 */
export function logDeliveryStatements(
  logBucketArn: pulumi.Input<string>,
  accountId: string,
  sources: readonly LogSource[],
): Statement[] {
  return sources.map((source) => ({
    Sid: `ServerAccessLogsOf${source.sid}`,
    Effect: "Allow",
    Principal: { Service: "logging.s3.amazonaws.com" },
    Action: "s3:PutObject",
    Resource: pulumi.interpolate`${logBucketArn}/${source.prefix}*`,
    Condition: {
      ArnLike: { "aws:SourceArn": source.bucketArn },
      StringEquals: { "aws:SourceAccount": accountId },
    },
  }));
}

/**
 * Lets CloudFront read objects through origin access control for these distributions only, as the
 * CloudFront Developer Guide ("Restrict access to an Amazon S3 origin") shows. No s3:ListBucket:
 * a missing key answers 403 rather than revealing what exists.
 */
export function cloudFrontReadStatements(
  bucketArn: pulumi.Input<string>,
  distributionArns: readonly pulumi.Input<string>[],
): Statement[] {
  return [
    {
      Sid: "CloudFrontReadsThroughOriginAccessControl",
      Effect: "Allow",
      Principal: { Service: "cloudfront.amazonaws.com" },
      Action: "s3:GetObject",
      Resource: pulumi.interpolate`${bucketArn}/*`,
      Condition: { StringEquals: { "AWS:SourceArn": [...distributionArns] } },
    },
  ];
}

/**
 * Lets CloudFront decrypt SSE-KMS objects it fetches through OAC. The key exists before the buckets
 * and the distribution (which needs a bucket's domain name), so its policy cannot name the
 * distribution: it admits this account's distributions, and the bucket policy, which names each
 * distribution, decides which of them may read at all.
 */
export function cloudFrontDecryptGrant(accountId: string): ServiceGrant {
  return {
    sid: "CloudFrontDecryptsForThisAccountsDistributions",
    service: "cloudfront.amazonaws.com",
    condition: {
      StringEquals: { "aws:SourceAccount": accountId },
      ArnLike: { "aws:SourceArn": `arn:aws:cloudfront::${accountId}:distribution/*` },
    },
  };
}

/** Only S3, acting for this account, may assume the replication role. */
export function s3AssumeRolePolicy(accountId: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "s3.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  });
}

/** One end of a replication: a bucket, its region and the key that encrypts it. */
export interface ReplicationEnd {
  readonly region: string;
  readonly bucketArn: pulumi.Input<string>;
  readonly kmsKeyArn: pulumi.Input<string>;
}

/**
 * The permissions S3 needs to replicate SSE-KMS objects from `source` to `destination`, as listed in
 * the S3 User Guide ("Replicating encrypted objects"), each action on its one bucket or key:
 * read versions from the source, write replicas and delete markers to the destination, decrypt
 * with the source key and encrypt with the replica key. KMS use is limited to calls S3 makes for
 * these two buckets. With S3 Bucket Keys the encryption context is the bucket ARN, without them
 * the object ARN, so both are allowed.
 */
export function replicationPermissions(source: ReplicationEnd, destination: ReplicationEnd): Statement[] {
  const encryptionContext = (bucketArn: pulumi.Input<string>) => [
    bucketArn,
    pulumi.interpolate`${bucketArn}/*`,
  ];
  return [
    {
      Sid: "ReadReplicationConfiguration",
      Effect: "Allow",
      Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
      Resource: source.bucketArn,
    },
    {
      Sid: "ReadSourceVersions",
      Effect: "Allow",
      Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
      Resource: pulumi.interpolate`${source.bucketArn}/*`,
    },
    {
      Sid: "WriteReplicas",
      Effect: "Allow",
      Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
      Resource: pulumi.interpolate`${destination.bucketArn}/*`,
    },
    {
      Sid: "DecryptSourceObjects",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: source.kmsKeyArn,
      Condition: {
        StringEquals: { "kms:ViaService": `s3.${source.region}.amazonaws.com` },
        StringLike: { "kms:EncryptionContext:aws:s3:arn": encryptionContext(source.bucketArn) },
      },
    },
    {
      // Decrypt as well as Encrypt: S3 checks a Bucket Key's integrity with Decrypt before using it.
      // AWS documents no region for the S3 endpoint that calls the replica key (its examples are
      // all same-region), so either end's is accepted rather than failing closed, which would
      // leave replication silently copying nothing.
      Sid: "EncryptReplicas",
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:Decrypt"],
      Resource: destination.kmsKeyArn,
      Condition: {
        StringEquals: {
          "kms:ViaService": [`s3.${destination.region}.amazonaws.com`, `s3.${source.region}.amazonaws.com`],
        },
        StringLike: { "kms:EncryptionContext:aws:s3:arn": encryptionContext(destination.bucketArn) },
      },
    },
  ];
}
