import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { wafManagedRuleGroups } from "../lib/pins";

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
