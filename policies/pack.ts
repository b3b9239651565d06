import type { Policies } from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import { type PackContext, type Tier, tiers } from "./lib/rule";
import { rules } from "./rules";

/**
 * The stack under review, from what the engine hands every policy pack: the stack name and the
 * stack's config (`crest:tier`). Without a tier (e.g. `pulumi policy publish`) the pack applies the
 * prod levels and thresholds, the strictest.
 */
export function packContext(): PackContext {
  const tier = new pulumi.Config("crest").get("tier");
  return { stack: pulumi.getStack() ?? "", tier: tiers.includes(tier as Tier) ? (tier as Tier) : "prod" };
}

/** The pack's policies for one stack; ids are unique, as the engine identifies policies by name. */
export function crestPolicies(context: PackContext): Policies {
  const seen = new Set<string>();
  for (const rule of rules) {
    if (seen.has(rule.id)) throw new Error(`two rules are named ${rule.id}`);
    seen.add(rule.id);
  }
  return rules.map((rule) => rule.toPolicy(context));
}
