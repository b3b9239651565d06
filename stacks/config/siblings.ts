import ipaddr from "ipaddr.js";
import type { Problem } from "../../infra/lib/problems";
import { cidrsOverlap } from "../../infra/network";

/**
 * Checks across stack files. Two stacks may not share what AWS lets only one of them hold: a
 * CloudFront alias (CreateDistribution refuses a CNAME another distribution serves) or VPC address
 * space (overlapping VPCs cannot be peered or joined through a transit gateway). The checks take the
 * files' raw config — `ns:key` → string, as tools/plan/project.ts reads it — so they stay pure: the
 * tools that see the other files (the plan, the fork) read them and call these.
 */

/** One stack file's raw config, as Pulumi hands it to a program. */
export interface StackFileConfig {
  readonly stack: string;
  readonly config: Readonly<Record<string, string>>;
}

/** A value one stack file sets, found by key. */
export interface StackValue {
  readonly stack: string;
  readonly value: string;
}

export const domainNameKey = "crest:edge.domainName";
export const vpcCidrKey = "crest:network.vpcCidr";

export function stackFileName(stack: string): string {
  return `Pulumi.${stack}.yaml`;
}

/** `crest:<section>.<field>` of a raw config, when it is a string; an unreadable section has none. */
function fieldOf(config: Readonly<Record<string, string>>, key: string): string | undefined {
  const [section = "", field = ""] = key.split(".");
  try {
    const value: unknown = JSON.parse(config[section] ?? "null")?.[field];
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The CloudFront alias a stack file sets, in DNS's case-insensitive form. */
export function domainNameOf(config: Readonly<Record<string, string>>): string | undefined {
  return fieldOf(config, domainNameKey)?.toLowerCase().replace(/\.$/, "");
}

/** The VPC CIDR a stack file sets, when it is a valid one. */
export function vpcCidrOf(config: Readonly<Record<string, string>>): string | undefined {
  const cidr = fieldOf(config, vpcCidrKey);
  return cidr !== undefined && ipaddr.IPv4.isValidCIDR(cidr) ? cidr : undefined;
}

/** The stacks among `others` whose VPC overlaps `cidr`. */
export function overlappingCidrs(cidr: string, others: readonly StackValue[]): StackValue[] {
  return others.filter((other) => cidrsOverlap(other.value, cidr));
}

/** The stacks among `others` that set the alias `domainName`. */
export function sameDomainName(domainName: string, others: readonly StackValue[]): StackValue[] {
  const wanted = domainName.toLowerCase().replace(/\.$/, "");
  return others.filter((other) => other.value === wanted);
}

/** Each other stack's value of one key, where it sets a usable one. */
export function valuesOf(
  others: readonly StackFileConfig[],
  read: (config: Readonly<Record<string, string>>) => string | undefined,
): StackValue[] {
  return others.flatMap(({ stack, config }) => {
    const value = read(config);
    return value === undefined ? [] : [{ stack, value }];
  });
}

/**
 * What `stack` shares with the other stack files that only one stack may hold: one problem per
 * clash, naming both files, the key and the values.
 */
export function crossStackProblems(stack: StackFileConfig, others: readonly StackFileConfig[]): Problem[] {
  const file = stackFileName(stack.stack);
  const problems: Problem[] = [];
  const domainName = domainNameOf(stack.config);
  if (domainName !== undefined) {
    for (const other of sameDomainName(domainName, valuesOf(others, domainNameOf))) {
      problems.push({
        path: domainNameKey,
        value: fieldOf(stack.config, domainNameKey),
        allowed:
          `a name no other stack file sets: ${file} and ${stackFileName(other.stack)} both set it, and ` +
          "CloudFront serves an alias from one distribution only",
      });
    }
  }
  const cidr = vpcCidrOf(stack.config);
  if (cidr !== undefined) {
    for (const other of overlappingCidrs(cidr, valuesOf(others, vpcCidrOf))) {
      problems.push({
        path: vpcCidrKey,
        value: cidr,
        allowed:
          `a CIDR that overlaps no other stack's VPC: ${file}'s overlaps ${other.value} in ` +
          `${stackFileName(other.stack)}, and overlapping VPCs cannot be peered`,
      });
    }
  }
  return problems;
}
