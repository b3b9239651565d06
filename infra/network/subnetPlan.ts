import ipaddr from "ipaddr.js";
import type { Problem } from "../lib/problems";

export const subnetTiers = ["public", "private", "isolated"] as const;
export type SubnetTier = (typeof subnetTiers)[number];

export interface PlannedSubnet {
  readonly tier: SubnetTier;
  readonly availabilityZone: string;
  readonly cidr: string;
}

/**
 * The VPC is cut into eight equal blocks (prefix + 3). Blocks 0–5 are the private subnets of up to
 * six AZs: workloads get the most addresses because the EKS VPC CNI gives every pod a VPC IP.
 * Block 6 is cut into eight (prefix + 6) isolated subnets for the data stores, block 7 into eight
 * public subnets for load balancers and NAT gateways. The plan depends only on the CIDR and the AZ
 * order, so the same config always yields the same subnets, and adding an AZ never moves one.
 *
 * /16 is the largest VPC AWS allows; at /20 the public and isolated subnets are /26 (59 usable
 * addresses), the smallest that still fits an ALB's scaling headroom and an Aurora/MSK/ElastiCache
 * node per AZ.
 */
export const vpcPrefix = { min: 16, max: 20 } as const;
export const maxAvailabilityZones = 6;
const privateBlockBits = 3;
const smallSubnetBits = 6;
const isolatedFirstIndex = 6 * 8;
const publicFirstIndex = 7 * 8;

const allowedVpcCidr =
  `a private (RFC 1918) IPv4 network address with a prefix from /${vpcPrefix.min} to /${vpcPrefix.max}, ` +
  `e.g. "10.20.0.0/16" (the subnet plan needs 3 tiers in up to ${maxAvailabilityZones} AZs)`;

/** Problems with a VPC CIDR for the subnet plan; empty when the CIDR is usable. */
export function vpcCidrProblems(path: string, cidr: string): Problem[] {
  const bad = (): Problem[] => [{ path, value: cidr, allowed: allowedVpcCidr }];
  if (!ipaddr.IPv4.isValidCIDR(cidr)) return bad();
  const [address, prefix] = ipaddr.IPv4.parseCIDR(cidr);
  if (address.range() !== "private") return bad();
  if (prefix < vpcPrefix.min || prefix > vpcPrefix.max) return bad();
  const network = ipaddr.IPv4.networkAddressFromCIDR(cidr).toString();
  if (network !== address.toString()) {
    return [{ path, value: cidr, allowed: `${allowedVpcCidr}; did you mean "${network}/${prefix}"?` }];
  }
  return [];
}

function toInt(address: ipaddr.IPv4): number {
  return address.toByteArray().reduce((acc, byte) => acc * 256 + byte, 0);
}

function fromInt(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/** The `index`-th block of `prefix + newBits` inside `cidr` (Terraform's cidrsubnet). */
export function cidrSubnet(cidr: string, newBits: number, index: number): string {
  const [address, prefix] = ipaddr.IPv4.parseCIDR(cidr);
  const size = 2 ** (32 - prefix - newBits);
  if (index < 0 || index >= 2 ** newBits) {
    throw new RangeError(`cidrSubnet: index ${index} does not fit ${newBits} new bits of ${cidr}`);
  }
  return `${fromInt(toInt(address) + index * size)}/${prefix + newBits}`;
}

/** Every subnet of the plan, in AZ order then tier order. Assumes the inputs passed the checks. */
export function planSubnets(vpcCidr: string, availabilityZones: readonly string[]): PlannedSubnet[] {
  return availabilityZones.flatMap((availabilityZone, i) => [
    { tier: "public", availabilityZone, cidr: cidrSubnet(vpcCidr, smallSubnetBits, publicFirstIndex + i) },
    { tier: "private", availabilityZone, cidr: cidrSubnet(vpcCidr, privateBlockBits, i) },
    {
      tier: "isolated",
      availabilityZone,
      cidr: cidrSubnet(vpcCidr, smallSubnetBits, isolatedFirstIndex + i),
    },
  ]);
}

/** True when two IPv4 CIDRs share at least one address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const [addressA, prefixA] = ipaddr.IPv4.parseCIDR(a);
  const [addressB, prefixB] = ipaddr.IPv4.parseCIDR(b);
  const shorter = Math.min(prefixA, prefixB);
  return addressA.match(addressB, shorter);
}
