import { type CostInput, estimateStack } from "../../tools/plan/cost/estimate";
import { type Level, type Rule, type StackView, stackRule, type Tier } from "../lib/rule";
import { type Plain, unknown } from "../lib/values";

/** Unknown values (a preview's ids and ARNs) become undefined: the estimate prices known values only. */
function knownOnly(value: Plain): unknown {
  if (value === unknown) return undefined;
  if (Array.isArray(value)) return value.map(knownOnly);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, knownOnly(v)]));
}

/**
 * The stack as the cost estimate reads it. A resource's region is its provider's; one without an
 * explicit provider (a fixture) is priced at the us-east-1 prices the table is read in.
 */
function costInputs(stack: StackView): CostInput[] {
  return stack.all().map((r) => {
    const region = r.provider?.props.region;
    return {
      urn: r.urn,
      type: r.type,
      name: r.name,
      custom: !r.type.startsWith("crest:") && !r.type.startsWith("pulumi:pulumi:"),
      inputs: knownOnly(r.props) as Record<string, unknown>,
      region: typeof region === "string" ? region : "us-east-1",
      component: "(stack)",
      propertyDependencies: r.propertyDependencies,
    };
  });
}

const usd = (amount: number) =>
  `$${amount.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

interface Budget {
  monthlyBudgetUsd: number;
}

/** Defaults for a stack whose policy config names no budget: today's tier totals with headroom. */
const defaultBudgets: Readonly<Record<Tier, number>> = { dev: 1_100, prod: 10_000 };

/**
 * A budget rule reports the stack's largest resource (where a reviewer looks first) when the
 * estimate's share of the budget is in its range. The two rules below share the budget figure and
 * differ in range and level: 90 % to 100 % of the budget is advisory, above it blocks.
 */
function budgetRule(id: string, inRange: (share: number) => boolean, level: Level, what: string): Rule {
  return stackRule<Budget>({
    id,
    family: "cost",
    concern: "cost",
    description:
      `The stack's estimated monthly on-demand cost (checked-in prices in tools/plan/cost times the tier's usage ` +
      `in stacks/config/usage.ts, the same estimate the plan prints) ${what}. Fix: shrink what the plan's cost ` +
      "section lists as largest, or raise monthlyBudgetUsd for both cost-monthly-budget rules in " +
      "policies/config/<stack>.json, with a reason.",
    levels: { dev: level, prod: level },
    config: {
      schema: {
        monthlyBudgetUsd: { type: "number", minimum: 1, description: "The stack's monthly budget in USD." },
      },
      defaults: ({ tier }) => ({ monthlyBudgetUsd: defaultBudgets[tier] }),
    },
    check: (stack, { monthlyBudgetUsd }, report, { tier }) => {
      const cost = estimateStack(costInputs(stack), tier);
      const share = cost.monthlyUsd / monthlyBudgetUsd;
      const largest = cost.resources[0];
      if (!largest || !inRange(share)) return;
      const percent = Math.round(share * 1000) / 10;
      report(
        `estimated ${usd(cost.monthlyUsd)}/month is ${percent}% of the ${usd(monthlyBudgetUsd)} budget; ` +
          `largest: ${largest.name} ${usd(largest.monthlyUsd)}/month`,
        largest.urn,
      );
    },
  });
}

export const budgetRules: Rule[] = [
  budgetRule(
    "cost-monthly-budget",
    (share) => share > 1,
    "mandatory",
    "stays within the stack's monthly budget",
  ),
  budgetRule(
    "cost-monthly-budget-headroom",
    (share) => share >= 0.9 && share <= 1,
    "advisory",
    "stays under 90% of the stack's monthly budget, so a pull request sees the budget coming",
  ),
];
