import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { encryptedLogGroup, logRetentionDays } from "../lib/logs";
import { wafLogDestinationPrefix, wafManagedRuleGroups } from "../lib/pins";

/** AWS WAF's range for a rate-based rule's limit (API reference, RateBasedStatement.Limit). */
export const rateLimitRange = { min: 10, max: 2_000_000_000 } as const;

/** AWS managed rule groups, in evaluation order after the rate limit (see the pin register). */
const managedRuleGroups = wafManagedRuleGroups.value;

const visibility = (metricName: string) => ({
  cloudwatchMetricsEnabled: true,
  sampledRequestsEnabled: true,
  metricName,
});

/**
 * A CloudFront-scope web ACL (it must live in us-east-1, so `opts.provider` is the us-east-1
 * provider): per-IP rate limiting over 5 minutes, answered with 429, then the managed groups.
 * Requests no rule blocks are allowed.
 */
export function cdnWebAcl(
  name: string,
  args: { readonly rateLimitPerIp: number },
  opts: { parent: pulumi.Resource; provider: pulumi.ProviderResource },
): aws.wafv2.WebAcl {
  return new aws.wafv2.WebAcl(
    name,
    {
      description: `Protects the ${name} CloudFront distribution`,
      scope: "CLOUDFRONT",
      defaultAction: { allow: {} },
      rules: [
        {
          name: "rate-limit-per-ip",
          priority: 0,
          action: { block: { customResponse: { responseCode: 429 } } },
          statement: {
            rateBasedStatement: {
              limit: args.rateLimitPerIp,
              aggregateKeyType: "IP",
              evaluationWindowSec: 300,
            },
          },
          visibilityConfig: visibility("rate-limit-per-ip"),
        },
        ...managedRuleGroups.map((group, i) => ({
          name: group,
          priority: i + 1,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: "AWS", name: group } },
          visibilityConfig: visibility(group),
        })),
      ],
      visibilityConfig: visibility("all-requests"),
      tags: { Name: name },
    },
    opts,
  );
}

/**
 * Logs every request the web ACL sees to a CloudWatch log group in us-east-1 (where CloudFront's
 * web ACLs live), encrypted with a key of its own. WAF accepts only destinations whose name starts
 * with `aws-waf-logs-`; the Authorization and Cookie headers are redacted, so the logs hold no
 * credentials.
 */
export function webAclLogging(
  name: string,
  args: {
    readonly accountId: string;
    readonly webAcl: aws.wafv2.WebAcl;
    /** Days the CDN's access logs are kept; WAF's request logs are kept as long, or the next period CloudWatch offers. */
    readonly accessLogRetentionDays: number;
  },
  opts: { parent: pulumi.Resource; provider: pulumi.ProviderResource },
): aws.cloudwatch.LogGroup {
  const logGroup = encryptedLogGroup(
    `${name}-waf-logs`,
    {
      region: "us-east-1",
      accountId: args.accountId,
      logGroupName: `${wafLogDestinationPrefix.value}${name}`,
      description: `the WAF request logs of ${name}`,
      retentionInDays:
        logRetentionDays.find((days) => days >= args.accessLogRetentionDays) ?? Math.max(...logRetentionDays),
    },
    opts,
  );
  new aws.wafv2.WebAclLoggingConfiguration(
    name,
    {
      resourceArn: args.webAcl.arn,
      logDestinationConfigs: [logGroup.arn],
      redactedFields: ["authorization", "cookie"].map((header) => ({ singleHeader: { name: header } })),
    },
    opts,
  );
  return logGroup;
}
