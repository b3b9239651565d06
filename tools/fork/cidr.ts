import ipaddr from "ipaddr.js";
import type { Problem } from "../../infra/lib/problems";
import { cidrsOverlap, vpcCidrProblems } from "../../infra/network";
import { cidrSubnet } from "../../infra/network/subnetPlan";
import { listStacks, readStackSettings } from "../plan/project";

/** A stack's VPC CIDR, as its stack file sets it. */
export interface StackCidr {
  readonly stack: string;
  readonly cidr: string;
}

/** RFC 1918 space, searched in this order; 10.0.0.0/8 alone holds 256 /16 VPCs. */
const privateRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] as const;

/**
 * The VPC CIDR of every stack file in `configDir` except `except`. A file without a readable
 * `crest:network.vpcCidr` is skipped and named in `skipped`: the program refuses such a stack, so it
 * has no VPC that a new one could clash with.
 */
export function stackCidrs(
  configDir: string,
  except: string,
): { readonly cidrs: StackCidr[]; readonly skipped: string[] } {
  const cidrs: StackCidr[] = [];
  const skipped: string[] = [];
  for (const stack of listStacks(configDir).filter((s) => s !== except)) {
    const cidr = vpcCidrOf(configDir, stack);
    if (cidr) cidrs.push({ stack, cidr });
    else skipped.push(stack);
  }
  return { cidrs, skipped };
}

function vpcCidrOf(configDir: string, stack: string): string | undefined {
  try {
    const network = JSON.parse(readStackSettings(configDir, stack).config["crest:network"] ?? "null");
    const cidr: unknown = network?.vpcCidr;
    return typeof cidr === "string" && ipaddr.IPv4.isValidCIDR(cidr) ? cidr : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The first block of `/prefix` in RFC 1918 space, in address order, that overlaps none of `taken`:
 * deterministic, so the same repository always gets the same answer.
 */
export function firstFreeCidr(prefix: number, taken: readonly StackCidr[]): string | undefined {
  for (const range of privateRanges) {
    const rangePrefix = ipaddr.IPv4.parseCIDR(range)[1];
    if (prefix < rangePrefix) continue;
    const newBits = prefix - rangePrefix;
    for (let index = 0; index < 2 ** newBits; index++) {
      const candidate = cidrSubnet(range, newBits, index);
      if (!taken.some((t) => cidrsOverlap(t.cidr, candidate))) return candidate;
    }
  }
  return undefined;
}

/** Problems with a `--cidr` the user chose: unusable for the subnet plan, or another stack's. */
export function chosenCidrProblems(cidr: string, taken: readonly StackCidr[]): Problem[] {
  const invalid = vpcCidrProblems("--cidr", cidr);
  if (invalid.length > 0) return invalid;
  const clashes = taken.filter((t) => cidrsOverlap(t.cidr, cidr));
  if (clashes.length === 0) return [];
  const free = firstFreeCidr(ipaddr.IPv4.parseCIDR(cidr)[1], taken);
  return [
    {
      path: "--cidr",
      value: cidr,
      allowed:
        "a CIDR that overlaps no other stack's VPC; it overlaps " +
        clashes.map((c) => `${c.stack}'s ${c.cidr} (Pulumi.${c.stack}.yaml)`).join(", ") +
        (free ? `; the first free one of that size is ${free}` : ""),
    },
  ];
}
