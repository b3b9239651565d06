import * as pulumi from "@pulumi/pulumi";
import type { Statement } from "../lib/policy";

/**
 * The Elastic Load Balancing account that writes access logs in each Region that opened before
 * August 2022 (ELB User Guide, "Enable access logs for your Application Load Balancer", step 2;
 * the same table backs the AWS provider's `aws_elb_service_account`). Regions that opened later
 * grant the `logdelivery.elasticloadbalancing.amazonaws.com` service principal instead.
 */
const elbLogAccounts: Readonly<Record<string, string>> = {
  "af-south-1": "098369216593",
  "ap-east-1": "754344448648",
  "ap-northeast-1": "582318560864",
  "ap-northeast-2": "600734575887",
  "ap-northeast-3": "383597477331",
  "ap-south-1": "718504428378",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-southeast-3": "589379963580",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-north-1": "897822967062",
  "eu-south-1": "635631232127",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-west-3": "009996457667",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
};

/** Who delivers ALB access logs in `region`. */
export function elbLogDeliveryPrincipal(region: string): Record<string, string> {
  const account = elbLogAccounts[region];
  return account
    ? { AWS: `arn:aws:iam::${account}:root` }
    : { Service: "logdelivery.elasticloadbalancing.amazonaws.com" };
}

/** Lets ELB write this account's ALB logs under `prefix`, and nothing else. */
export function elbAccessLogStatements(
  bucketArn: pulumi.Input<string>,
  { region, accountId, prefix }: { region: string; accountId: string; prefix: string },
): Statement[] {
  return [
    {
      Sid: "ElbAccessLogDelivery",
      Effect: "Allow",
      Principal: elbLogDeliveryPrincipal(region),
      Action: "s3:PutObject",
      Resource: pulumi.interpolate`${bucketArn}/${prefix}/AWSLogs/${accountId}/*`,
    },
  ];
}
