import { type UsageAssumption, type UsageTier, usageByTier } from "../../../stacks/config/usage";
import { freeTypes } from "./freeTypes";
import { type PricerContext, pricers, Unpriced } from "./pricers";
import type { Price } from "./prices";
import { type ResolvedPrice, resolvePrice } from "./resolve";

/** A resource as the estimate reads it: the plan and the policy pack both adapt theirs to this. */
export interface CostInput {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** Cloud resources are priced; components, the stack and providers are not. */
  readonly custom: boolean;
  /** Inputs with unknown and secret values left out (undefined): only known values are priced. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** The region of the resource's provider. */
  readonly region: string;
  /** What the resource's cost is reported under: its top-level component. */
  readonly component: string;
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

/** One billed dimension of a resource: quantity × price. */
export interface CostLine {
  readonly what: string;
  readonly quantity: number;
  readonly price: ResolvedPrice;
  readonly monthlyUsd: number;
}

export interface ResourceCost {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly component: string;
  readonly region: string;
  readonly monthlyUsd: number;
  readonly lines: CostLine[];
}

/** The `cost` key of `--json`: the stack's monthly on-demand estimate. */
export interface StackCost {
  readonly currency: "USD";
  readonly tier: UsageTier;
  readonly monthlyUsd: number;
  /** The usage assumption usage-billed lines were priced from (stacks/config/usage.ts). */
  readonly usage: UsageAssumption;
  readonly byComponent: { readonly component: string; readonly monthlyUsd: number }[];
  /** Every resource with a price, largest first. */
  readonly resources: ResourceCost[];
  /** Lines priced from an estimated price (another region's, or a derived size). */
  readonly estimatedLines: number;
  /** Cloud resources the table cannot price: a type it does not know, or an input it needs unknown. */
  readonly unpriced: { readonly urn: string; readonly type: string; readonly reason: string }[];
}

/** On-demand months are 730 hours, as AWS's pricing calculator counts them. */
export const hoursPerMonth = 730;

const cents = (usd: number) => Math.round(usd * 100) / 100;

function contextFor(resources: readonly CostInput[], usage: UsageAssumption): PricerContext {
  return {
    usage,
    count: (type) => resources.filter((r) => r.type === type).length,
    referencing: (target, type, property) =>
      resources.filter((r) => r.type === type && r.propertyDependencies[property]?.includes(target.urn)),
  };
}

/** Prices every cloud resource of a stack from the checked-in table and the tier's usage assumption. */
export function estimateStack(resources: readonly CostInput[], tier: UsageTier): StackCost {
  const usage: UsageAssumption = usageByTier[tier];
  const context = contextFor(resources, usage);
  const priced: ResourceCost[] = [];
  const unpriced: StackCost["unpriced"][number][] = [];
  for (const r of resources) {
    if (!r.custom || freeTypes.has(r.type)) continue;
    const pricer = pricers[r.type];
    if (!pricer) {
      unpriced.push({
        urn: r.urn,
        type: r.type,
        reason: "no price in tools/plan/cost and not listed as free",
      });
      continue;
    }
    try {
      const lines = pricer(r, context).map(({ what, quantity, price }) =>
        line(what, quantity, price, r.region),
      );
      const monthlyUsd = cents(lines.reduce((sum, l) => sum + l.monthlyUsd, 0));
      const { urn, type, name, component, region } = r;
      priced.push({ urn, type, name, component, region, monthlyUsd, lines });
    } catch (error) {
      if (!(error instanceof Unpriced)) throw error;
      unpriced.push({ urn: r.urn, type: r.type, reason: error.message });
    }
  }
  priced.sort((a, b) => b.monthlyUsd - a.monthlyUsd || a.urn.localeCompare(b.urn));
  return {
    currency: "USD",
    tier,
    monthlyUsd: cents(priced.reduce((sum, r) => sum + r.monthlyUsd, 0)),
    usage,
    byComponent: totalsByComponent(priced),
    resources: priced,
    estimatedLines: priced.flatMap((r) => r.lines).filter((l) => l.price.estimated).length,
    unpriced,
  };
}

function line(what: string, quantity: number, price: Price, region: string): CostLine {
  const resolved = resolvePrice(price, region);
  return { what, quantity, price: resolved, monthlyUsd: cents(quantity * resolved.usd) };
}

function totalsByComponent(resources: readonly ResourceCost[]): StackCost["byComponent"] {
  const totals = new Map<string, number>();
  for (const r of resources) totals.set(r.component, (totals.get(r.component) ?? 0) + r.monthlyUsd);
  return [...totals.entries()]
    .map(([component, monthlyUsd]) => ({ component, monthlyUsd: cents(monthlyUsd) }))
    .sort((a, b) => b.monthlyUsd - a.monthlyUsd || a.component.localeCompare(b.component));
}

/** What a change does to the monthly estimate, per component: the base's cost against the head's. */
export interface CostDelta {
  readonly baseMonthlyUsd: number;
  readonly headMonthlyUsd: number;
  readonly deltaUsd: number;
  /** Components whose cost changed, largest change first. */
  readonly byComponent: { readonly component: string; readonly deltaUsd: number }[];
}

export function costDelta(base: StackCost, head: StackCost): CostDelta {
  const baseBy = new Map(base.byComponent.map((c) => [c.component, c.monthlyUsd]));
  const headBy = new Map(head.byComponent.map((c) => [c.component, c.monthlyUsd]));
  const components = [...new Set([...baseBy.keys(), ...headBy.keys()])];
  return {
    baseMonthlyUsd: base.monthlyUsd,
    headMonthlyUsd: head.monthlyUsd,
    deltaUsd: cents(head.monthlyUsd - base.monthlyUsd),
    byComponent: components
      .map((component) => ({
        component,
        deltaUsd: cents((headBy.get(component) ?? 0) - (baseBy.get(component) ?? 0)),
      }))
      .filter((c) => c.deltaUsd !== 0)
      .sort((a, b) => Math.abs(b.deltaUsd) - Math.abs(a.deltaUsd) || a.component.localeCompare(b.component)),
  };
}
