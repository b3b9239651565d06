import type { CostDelta, ResourceCost, StackCost } from "./estimate";

/** `$1,234.56`. */
export const dollars = (usd: number) =>
  `$${usd.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** `+$312.40/month`, `-$12.00/month`. */
export const signedMonthly = (usd: number) => `${usd < 0 ? "-" : "+"}${dollars(Math.abs(usd))}/month`;

/** How many of the largest resources the console and the report list. */
const largestShown = 8;

const pricedLines = (cost: StackCost) => cost.resources.reduce((n, r) => n + r.lines.length, 0);

function headline(cost: StackCost): string {
  return (
    `${dollars(cost.monthlyUsd)}/month on demand (${cost.tier} usage assumption; ` +
    `${cost.estimatedLines} of ${pricedLines(cost)} prices estimated from another region or size` +
    `${cost.unpriced.length > 0 ? `; ${cost.unpriced.length} resources NOT PRICED` : ""})`
  );
}

const deltaLine = (delta: CostDelta) =>
  `${signedMonthly(delta.deltaUsd)} (${dollars(delta.baseMonthlyUsd)} → ${dollars(delta.headMonthlyUsd)})`;

/** The console's cost lines: the total, the largest items, the change against the base. */
export function formatCostSummary(cost: StackCost, delta?: CostDelta): string {
  const lines = [`Cost: ${headline(cost)}`];
  for (const r of cost.resources.slice(0, largestShown))
    lines.push(`  ${dollars(r.monthlyUsd).padStart(11)}  ${r.name} (${r.type})`);
  for (const u of cost.unpriced) lines.push(`  NOT PRICED ${u.type} ${u.urn.split("::").pop()}: ${u.reason}`);
  if (delta) {
    lines.push(`  change: ${deltaLine(delta)}`);
    for (const c of delta.byComponent) lines.push(`    ${signedMonthly(c.deltaUsd)}  ${c.component}`);
  }
  return `${lines.join("\n")}\n`;
}

const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("<", "&lt;");

function priceNote(line: ResourceCost["lines"][number]): string {
  const { price } = line;
  // Unit prices keep their digits (a Glacier GB-month is $0.00099): six significant figures.
  const each = `$${Number(price.usd.toPrecision(6))}/${price.unit}`;
  return price.estimated ? `${each}, estimated: ${cell(price.estimated.basis)}` : each;
}

/** The pull-request comment's cost section: total and change first, the line items collapsed. */
export function formatCostMarkdown(cost: StackCost, delta?: CostDelta): string[] {
  const lines = ["### Cost", "", `${headline(cost)}.`, ""];
  if (delta) {
    lines.push(`Change against the base: **${deltaLine(delta)}**.`, "");
    if (delta.byComponent.length > 0) {
      lines.push("| Component | Change |", "| --- | ---: |");
      for (const c of delta.byComponent)
        lines.push(`| ${cell(c.component)} | ${signedMonthly(c.deltaUsd)} |`);
      lines.push("");
    }
  }
  for (const u of cost.unpriced)
    lines.push(
      `- **not priced**: \`${u.type}\` ${cell(u.urn.split("::").pop() ?? u.urn)}: ${cell(u.reason)}`,
    );
  lines.push("| Largest items | Type | Monthly |", "| --- | --- | ---: |");
  for (const r of cost.resources.slice(0, largestShown))
    lines.push(`| \`${r.name}\` | \`${r.type}\` | ${dollars(r.monthlyUsd)} |`);
  lines.push("", "| Component | Monthly |", "| --- | ---: |");
  for (const c of cost.byComponent) lines.push(`| ${cell(c.component)} | ${dollars(c.monthlyUsd)} |`);
  lines.push(
    "",
    "<details><summary>Every priced line (prices: tools/plan/cost/prices.ts, usage: stacks/config/usage.ts)</summary>",
    "",
    "| Resource | Line | Quantity | Price | Monthly |",
    "| --- | --- | ---: | --- | ---: |",
  );
  for (const r of cost.resources)
    for (const l of r.lines)
      lines.push(
        `| \`${r.name}\` | ${cell(l.what)} | ${l.quantity} | ${priceNote(l)} | ${dollars(l.monthlyUsd)} |`,
      );
  lines.push("", "</details>", "");
  return lines;
}
