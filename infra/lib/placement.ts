import type * as pulumi from "@pulumi/pulumi";
import type { Problem } from "./problems";
import { accountId, valueProblems } from "./schema";

/** A second region (disaster recovery) and the provider for it. */
export interface OtherRegion {
  /** The region, e.g. the stack's `crest:storage.drRegion`. @default none (required) */
  readonly region: string;
  /**
   * An `aws.Provider` configured for `region`. The caller builds it: a component never creates
   * providers from config. @default none (required)
   */
  readonly provider: pulumi.ProviderResource;
}

/** Where a data store lives and who may reach it: the arguments every data-tier component shares. */
export interface DataStorePlacementArgs {
  /** Account the store lives in; scopes key policies. @default none (required) */
  readonly accountId: string;
  /** Region of the store. @default none (required) */
  readonly region: string;
  /** VPC of the isolated subnets. @default none (required) */
  readonly vpcId: pulumi.Input<string>;
  /** Isolated subnets, one per AZ, in the order of `availabilityZones`. @default none (required) */
  readonly subnetIds: readonly pulumi.Input<string>[];
  /** AZ names matching `subnetIds`, used to spread nodes. @default none (required) */
  readonly availabilityZones: readonly string[];
  /** Security groups allowed to connect; nothing else is. @default none (required) */
  readonly clientSecurityGroupIds: readonly pulumi.Input<string>[];
  /**
   * Deletion protection, final snapshots where the service has them, and Pulumi `protect` on
   * stateful resources. @default true
   */
  readonly protect?: boolean;
}

/** How many AZs a store accepts, and why, for the error message. */
export interface AvailabilityZoneRange {
  readonly min: number;
  readonly max: number;
  readonly why: string;
}

/** A security group holds 60 inbound rules by default; each client group is one rule. */
const maxClientSecurityGroups = 60;

export function accountIdProblems(id: string): Problem[] {
  return valueProblems("accountId", id, accountId());
}

/** Count, region membership and uniqueness of an AZ list. */
export function availabilityZoneProblems(
  region: string,
  availabilityZones: readonly string[],
  range: AvailabilityZoneRange,
): Problem[] {
  const problems: Problem[] = [];
  if (availabilityZones.length < range.min || availabilityZones.length > range.max) {
    const count = range.min === range.max ? `${range.min}` : `${range.min} to ${range.max}`;
    problems.push({
      path: "availabilityZones",
      value: availabilityZones,
      allowed: `${count} availability zones (${range.why})`,
    });
  }
  const azPattern = new RegExp(`^${region.replace(/[^a-z0-9-]/g, "")}[a-z]$`);
  availabilityZones.forEach((az, i) => {
    if (!azPattern.test(az)) {
      problems.push({
        path: `availabilityZones[${i}]`,
        value: az,
        allowed: `an AZ name of region ${region}, e.g. "${region}a"`,
      });
    } else if (availabilityZones.indexOf(az) !== i) {
      problems.push({ path: `availabilityZones[${i}]`, value: az, allowed: "each AZ at most once" });
    }
  });
  return problems;
}

/** Problems with the placement arguments every data store shares. */
export function placementProblems(args: DataStorePlacementArgs, azRange: AvailabilityZoneRange): Problem[] {
  const problems = [
    ...accountIdProblems(args.accountId),
    ...availabilityZoneProblems(args.region, args.availabilityZones, azRange),
  ];
  if (args.subnetIds.length !== args.availabilityZones.length) {
    problems.push({
      path: "subnetIds",
      value: `${args.subnetIds.length} subnet ids`,
      allowed: `one subnet per availability zone: ${args.availabilityZones.length}, in the order of availabilityZones`,
    });
  }
  const clients = args.clientSecurityGroupIds.length;
  if (clients < 1 || clients > maxClientSecurityGroups) {
    problems.push({
      path: "clientSecurityGroupIds",
      value: `${clients} security group ids`,
      allowed: `1 to ${maxClientSecurityGroups} security group ids (with none nothing could connect; each is one inbound rule)`,
    });
  }
  return problems;
}
