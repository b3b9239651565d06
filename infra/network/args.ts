import { z } from "zod";
import { logRetentionSchema } from "../lib/logs";
import { availabilityZoneProblems } from "../lib/placement";
import type { Problem } from "../lib/problems";
import { allowed, parseSettings } from "../lib/schema";
import { maxAvailabilityZones, vpcCidrProblems } from "./subnetPlan";

/** `perAz`: one NAT gateway per AZ, so losing an AZ never cuts the others off the internet. */
export const natGatewayModes = ["perAz", "single"] as const;
export type NatGatewayMode = (typeof natGatewayModes)[number];

/** The CIDR, NAT and flow logs of a Network: type, limits, description and baseline default of each, once. */
export const networkSettingsSchema = z.object({
  vpcCidr: z
    .string(allowed('a private IPv4 CIDR string such as "10.20.0.0/16"'))
    .superRefine((cidr, ctx) => {
      for (const problem of vpcCidrProblems("vpcCidr", cidr)) {
        ctx.addIssue({ code: "custom", message: problem.allowed });
      }
    })
    .describe(
      "Private IPv4 CIDR of the VPC, /16 to /20 (see infra/network/subnetPlan.ts for how it is carved). Must not overlap another stack's, so regions can be peered.",
    ),
  natGateways: z
    .enum(natGatewayModes, allowed(natGatewayModes.map((m) => `"${m}"`).join(" or ")))
    .describe("NAT gateways: one per AZ (AZ-independent egress) or a single shared one (cheaper).")
    .default("perAz"),
  flowLogRetentionDays: logRetentionSchema
    .describe("Days the VPC flow logs are kept in CloudWatch Logs.")
    .default(365),
});

export type NetworkSettings = z.output<typeof networkSettingsSchema>;

/** The settings above (optional where they have a default) and where the VPC lives. */
export type NetworkArgs = Readonly<z.input<typeof networkSettingsSchema>> & {
  /** Account the VPC lives in; scopes the flow-log key and role to it. @default none (required) */
  readonly accountId: string;
  /** Region of the VPC, e.g. `eu-west-1`. @default none (required) */
  readonly region: string;
  /**
   * AZ names, in the order subnets are carved; 2 to 6. Names, not a live lookup, keep plans offline
   * and deterministic. @default none (required)
   */
  readonly availabilityZones: readonly string[];
};

/** The AZs a VPC may span in `region`: 2 to 6 distinct AZ names of that region. */
export function networkPlacementProblems(region: string, availabilityZones: readonly string[]): Problem[] {
  return availabilityZoneProblems(region, availabilityZones, {
    min: 2,
    max: maxAvailabilityZones,
    why: "a VPC for HA data stores spans at least 2",
  });
}

export function networkArgsProblems(args: NetworkArgs): Problem[] {
  return [
    ...networkPlacementProblems(args.region, args.availabilityZones),
    ...parseSettings(networkSettingsSchema, args).problems,
  ];
}
