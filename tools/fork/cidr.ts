import ipaddr from "ipaddr.js";
import type { Problem } from "../../infra/lib/problems";
import { vpcCidrProblems } from "../../infra/network";
import { cidrSubnet } from "../../infra/network/subnetPlan";
import {
  overlappingCidrs,
  type StackFileConfig,
  type StackValue,
  stackFileName,
  valuesOf,
  vpcCidrOf,
} from "../../stacks/config/siblings";

/** RFC 1918 space, searched in this order; 10.0.0.0/8 alone holds 256 /16 VPCs. */
const privateRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] as const;

/**
 * The VPC CIDR of each stack file in `others`. A file without a readable `crest:network.vpcCidr` is
 * named in `skipped`: the program refuses such a stack, so it has no VPC a new one could clash with.
 */
export function stackCidrs(others: readonly StackFileConfig[]): {
  readonly cidrs: StackValue[];
  readonly skipped: string[];
} {
  const cidrs = valuesOf(others, vpcCidrOf);
  const skipped = others.map((o) => o.stack).filter((stack) => !cidrs.some((c) => c.stack === stack));
  return { cidrs, skipped };
}

/**
 * The first block of `/prefix` in RFC 1918 space, in address order, that overlaps none of `taken`:
 * deterministic, so the same repository always gets the same answer.
 */
export function firstFreeCidr(prefix: number, taken: readonly StackValue[]): string | undefined {
  for (const range of privateRanges) {
    const rangePrefix = ipaddr.IPv4.parseCIDR(range)[1];
    if (prefix < rangePrefix) continue;
    const newBits = prefix - rangePrefix;
    for (let index = 0; index < 2 ** newBits; index++) {
      const candidate = cidrSubnet(range, newBits, index);
      if (overlappingCidrs(candidate, taken).length === 0) return candidate;
    }
  }
  return undefined;
}

/** Problems with a `--cidr` the user chose: unusable for the subnet plan, or another stack's. */
export function chosenCidrProblems(cidr: string, taken: readonly StackValue[]): Problem[] {
  const invalid = vpcCidrProblems("--cidr", cidr);
  if (invalid.length > 0) return invalid;
  const clashes = overlappingCidrs(cidr, taken);
  if (clashes.length === 0) return [];
  const free = firstFreeCidr(ipaddr.IPv4.parseCIDR(cidr)[1], taken);
  return [
    {
      path: "--cidr",
      value: cidr,
      allowed:
        "a CIDR that overlaps no other stack's VPC; it overlaps " +
        clashes.map((c) => `${c.stack}'s ${c.value} (${stackFileName(c.stack)})`).join(", ") +
        (free ? `; the first free one of that size is ${free}` : ""),
    },
  ];
}
