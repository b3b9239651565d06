import type { UsageTier } from "../../../stacks/config/usage";
import type { RecordedResource } from "../recorder";
import { topComponentOf } from "../report";
import { computed, secret } from "../values";
import { type CostDelta, type CostInput, costDelta, estimateStack, type StackCost } from "./estimate";

/** Unknown and secret inputs become undefined: the estimate prices known values only. */
function knownOnly(value: unknown): unknown {
  if (value === computed || value === secret) return undefined;
  if (Array.isArray(value)) return value.map(knownOnly);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, knownOnly(v)]));
}

/** `name (Type)` of a resource's top-level component, the unit the report totals cost by. */
export function componentLabel(byUrn: ReadonlyMap<string, RecordedResource>, r: RecordedResource): string {
  const top = topComponentOf(byUrn, r);
  return top ? `${top.name} (${top.type.split(":").pop()})` : "(stack)";
}

/**
 * The plan's recorded resources as the estimate reads them. A resource's region is its provider's
 * `region` input; one without an explicit provider is in the stack's region.
 */
export function planCostInputs(resources: readonly RecordedResource[], stackRegion: string): CostInput[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  return resources.map((r) => {
    const region = byUrn.get(r.provider)?.inputs.region;
    return {
      urn: r.urn,
      type: r.type,
      name: r.name,
      custom: r.custom,
      inputs: knownOnly(r.inputs) as Record<string, unknown>,
      region: typeof region === "string" ? region : stackRegion,
      component: componentLabel(byUrn, r),
      propertyDependencies: r.propertyDependencies,
    };
  });
}

/** The `cost` key of `--json`: the estimate, and with a base the change against it. */
export type PlanCost = StackCost & { readonly delta?: CostDelta };

/**
 * Prices the head's resources and, with a base, the base's, both with the head's tier and region:
 * the delta is what this change does to the bill, not what a config change elsewhere did.
 */
export function planCost(
  head: readonly RecordedResource[],
  base: readonly RecordedResource[] | undefined,
  tier: UsageTier,
  region: string,
): PlanCost {
  const cost = estimateStack(planCostInputs(head, region), tier);
  if (!base) return cost;
  return { ...cost, delta: costDelta(estimateStack(planCostInputs(base, region), tier), cost) };
}
