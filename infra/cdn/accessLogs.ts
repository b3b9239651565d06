import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { logBucket, type SecureBucket } from "../lib/buckets";
import type { Statement } from "../lib/policy";

/**
 * Lets CloudWatch Logs' vended-log delivery write this account's logs, as the CloudWatch Logs
 * User Guide ("Logs sent to Amazon S3", V2 permissions) prescribes: the write must hand the object
 * to the bucket owner, and both statements hold only for deliveries from this account's us-east-1
 * delivery sources (where CloudFront's live).
 */
export function vendedLogDeliveryStatements(bucketArn: pulumi.Input<string>, accountId: string): Statement[] {
  const fromThisAccount = {
    StringEquals: { "aws:SourceAccount": accountId },
    ArnLike: { "aws:SourceArn": `arn:aws:logs:us-east-1:${accountId}:*` },
  };
  return [
    {
      Sid: "VendedLogDeliveryWrite",
      Effect: "Allow",
      Principal: { Service: "delivery.logs.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: pulumi.interpolate`${bucketArn}/AWSLogs/${accountId}/*`,
      Condition: {
        ...fromThisAccount,
        StringEquals: { ...fromThisAccount.StringEquals, "s3:x-amz-acl": "bucket-owner-full-control" },
      },
    },
    {
      Sid: "VendedLogDeliveryAclCheck",
      Effect: "Allow",
      Principal: { Service: "delivery.logs.amazonaws.com" },
      Action: ["s3:GetBucketAcl", "s3:ListBucket"],
      Resource: bucketArn,
      Condition: fromThisAccount,
    },
  ];
}

export interface CdnAccessLogsArgs {
  readonly accountId: string;
  readonly distributionArn: pulumi.Input<string>;
  readonly retentionDays: number;
  readonly protect: boolean;
  readonly usEast1Provider: pulumi.ProviderResource;
}

/**
 * CloudFront standard logging v2: the distribution is a CloudWatch Logs delivery source (in
 * us-east-1, where CloudFront's sources live), delivered as JSON to a bucket in the stack's region.
 * Legacy standard logging would need ACLs enabled on the bucket; v2 writes under a bucket policy
 * with ACLs disabled, like every other Crest bucket.
 */
export function cdnAccessLogs(name: string, args: CdnAccessLogsArgs, parent: pulumi.Resource): SecureBucket {
  const bucket = logBucket(
    name,
    {
      protect: args.protect,
      retentionDays: args.retentionDays,
      allow: (arn) => vendedLogDeliveryStatements(arn, args.accountId),
    },
    parent,
  );
  const usEast1 = { parent, provider: args.usEast1Provider };
  const source = new aws.cloudwatch.LogDeliverySource(
    name,
    { logType: "ACCESS_LOGS", resourceArn: args.distributionArn },
    usEast1,
  );
  const destination = new aws.cloudwatch.LogDeliveryDestination(
    name,
    { outputFormat: "json", deliveryDestinationConfiguration: { destinationResourceArn: bucket.bucket.arn } },
    usEast1,
  );
  new aws.cloudwatch.LogDelivery(
    name,
    {
      deliverySourceName: source.name,
      deliveryDestinationArn: destination.arn,
      // After AWS's own AWSLogs/<account>/CloudFront/ prefix: one folder per distribution and hour.
      s3DeliveryConfigurations: [
        { suffixPath: "{DistributionId}/{yyyy}/{MM}/{dd}/{HH}", enableHiveCompatiblePath: false },
      ],
    },
    { ...usEast1, dependsOn: [bucket.policy] },
  );
  return bucket;
}
