import type { ChangeReview } from "../diff/review";
import type { RecordedResource } from "../recorder";
import { topComponentOf } from "../report";

/**
 * A Mermaid flowchart of the stack for the pull-request comment (GitHub renders ```mermaid blocks):
 * one node per top-level component, an arrow from a component to each component it uses (its
 * resources depend on theirs, as recorded), and with a review the components the change touches
 * highlighted.
 */
export function stackFlowchart(resources: readonly RecordedResource[], review?: ChangeReview): string[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const components = resources.filter(
    (r) => !r.custom && r.type.startsWith("crest:") && !topComponentOf(byUrn, r),
  );
  const id = new Map(components.map((c, i) => [c.urn, `c${i}`]));
  const edges = new Set<string>();
  for (const r of resources) {
    const from = id.get((topComponentOf(byUrn, r) ?? r).urn);
    if (!from) continue;
    for (const dependency of r.dependencies) {
      const target = byUrn.get(dependency);
      const to = target && id.get((topComponentOf(byUrn, target) ?? target).urn);
      if (to && to !== from) edges.add(`  ${from} --> ${to}`);
    }
  }
  const touched = new Set<string>();
  if (review) {
    const head = (urn: string) => byUrn.get(urn);
    const urns = [
      ...review.changed.map((c) => c.urn),
      ...review.added.map((r) => r.urn),
      ...review.renamed.map((r) => r.toUrn),
    ];
    for (const urn of urns) {
      const r = head(urn);
      const top = r && id.get((topComponentOf(byUrn, r) ?? r).urn);
      if (top) touched.add(top);
    }
  }
  const label = (c: RecordedResource) => `${c.name}<br/>${c.type.split(":").pop()}`.replaceAll('"', "#quot;");
  const lines = [
    "```mermaid",
    "flowchart LR",
    ...components.map((c) => `  ${id.get(c.urn)}["${label(c)}"]`),
    ...[...edges].sort(),
  ];
  if (touched.size > 0) {
    lines.push(
      "  classDef changed fill:#ffe08a,stroke:#b58900,stroke-width:2px",
      `  class ${[...touched].sort().join(",")} changed`,
    );
  }
  lines.push("```", "");
  return lines;
}
