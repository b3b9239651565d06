import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { s3ExpirationDaysSchema } from "../lib/buckets";
import { apiDomainNameMaxLength, domainNameProblems, domainNameSchema, hostedZoneIdSchema } from "../lib/dns";
import { accountIdProblems, availabilityZoneProblems } from "../lib/placement";
import type { Problem } from "../lib/problems";
import { allowed, integer, parseSettings, regionName, valueProblems } from "../lib/schema";
import { maxAvailabilityZones, vpcCidrProblems } from "../network/subnetPlan";

/** How CloudFront reaches the API behind the ALB. */
export interface ApiOrigin {
  /** Host name CloudFront connects to over HTTPS; the ALB's certificate covers it. */
  readonly domainName: pulumi.Input<string>;
  /** Name of the header the ALB requires on every request. */
  readonly verifyHeaderName: string;
  /** Its value: a Pulumi secret, encrypted in state and `[secret]` in every plan. */
  readonly verifyHeaderValue: pulumi.Input<string>;
}

const healthCheckPath = allowed(
  "an absolute URL path of 1–1024 visible ASCII characters starting with / (ELB's limit)",
);
const slowStart = allowed("0 (off) or an integer from 30 to 900 (ELB's slow start range)");

/** The name, target and logs of a LoadBalancer: type, limits, description and baseline default of each, once. */
export const loadBalancerSettingsSchema = z.object({
  domainName: domainNameSchema(
    apiDomainNameMaxLength,
    "origin.<domainName> must fit the 64 characters ACM allows a certificate's first name",
  ).describe("Public name of the API: CloudFront's alias; the load balancer answers as origin.<domainName>."),
  hostedZoneId: hostedZoneIdSchema.describe(
    "Public Route 53 hosted zone holding domainName (certificates are DNS-validated in it).",
  ),
  targetPort: integer(1, 65535, "a TCP port").describe(
    "Port the API pods listen on; the target group sends HTTP there (the app's, from its contract).",
  ),
  healthCheckPath: z
    .string(healthCheckPath)
    .regex(/^\/[\x21-\x7e]{0,1023}$/, healthCheckPath)
    .describe(
      "Path the load balancer probes on each pod; 200 means it takes traffic. A path that checks shared dependencies would take every pod out at once when one fails.",
    )
    .default("/healthz"),
  deregistrationDelaySeconds: integer(0, 3600, "ELB's deregistration delay range")
    .describe(
      "Seconds a deregistering pod keeps receiving in-flight requests. Pods should sleep this long in a preStop hook before stopping.",
    )
    .default(30),
  slowStartSeconds: z
    .number(slowStart)
    .refine((s) => s === 0 || (Number.isInteger(s) && s >= 30 && s <= 900), slowStart)
    .describe("Seconds a new pod ramps up to its full share of requests (0 = off).")
    .default(30),
  accessLogRetentionDays: s3ExpirationDaysSchema
    .describe(
      "Days the load balancer and CDN access logs are kept (and the WAF request logs, rounded up to a CloudWatch Logs retention period).",
    )
    .default(365),
});

export type LoadBalancerSettings = z.output<typeof loadBalancerSettingsSchema>;

/** The settings above (optional where they have a default) and where the load balancer lives. */
export type LoadBalancerArgs = Readonly<z.input<typeof loadBalancerSettingsSchema>> & {
  /** Account the load balancer lives in; scopes the log bucket policy and keys. @default none (required) */
  readonly accountId: string;
  /** Region of the load balancer; picks who delivers its access logs. @default none (required) */
  readonly region: string;
  /** VPC of the public subnets and the API pods. @default none (required) */
  readonly vpcId: pulumi.Input<string>;
  /** CIDR of that VPC: the only place the load balancer may send traffic to. @default none (required) */
  readonly vpcCidr: string;
  /** Public subnets, one per AZ, in the order of `availabilityZones`. @default none (required) */
  readonly publicSubnetIds: readonly pulumi.Input<string>[];
  /** AZ names matching `publicSubnetIds`; the load balancer has a node in each. @default none (required) */
  readonly availabilityZones: readonly string[];
  /**
   * Deletion protection on the load balancer, and Pulumi `protect` on the access-log bucket.
   * @default true
   */
  readonly protect?: boolean;
};

/** The API's public name: a DNS name whose `origin.` name fits a certificate. */
export function apiDomainNameProblems(path: string, value: string): Problem[] {
  return domainNameProblems(
    path,
    value,
    apiDomainNameMaxLength,
    "origin.<domainName> must fit the 64 characters ACM allows a certificate's first name",
  );
}

export function loadBalancerArgsProblems(args: LoadBalancerArgs): Problem[] {
  const problems = [
    ...accountIdProblems(args.accountId),
    ...valueProblems("region", args.region, regionName),
    ...availabilityZoneProblems(args.region, args.availabilityZones, {
      min: 2,
      max: maxAvailabilityZones,
      why: "an ALB needs subnets in at least 2; the network spans at most 6",
    }),
    ...vpcCidrProblems("vpcCidr", args.vpcCidr),
    ...parseSettings(loadBalancerSettingsSchema, args).problems,
  ];
  if (args.publicSubnetIds.length !== args.availabilityZones.length) {
    problems.push({
      path: "publicSubnetIds",
      value: `${args.publicSubnetIds.length} subnet ids`,
      allowed: `one public subnet per availability zone: ${args.availabilityZones.length}, in the order of availabilityZones`,
    });
  }
  return problems;
}
