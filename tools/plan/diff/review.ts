import type { RecordedResource } from "../recorder";
import {
  type ClassifiedChange,
  classifyChange,
  followReplacements,
  type ReviewFinding,
  replacementFindings,
} from "../replacement/classify";
import { type AddedOrRemoved, diffGraphs, type PropertyChange, type Rename } from "./compare";

/** What a pull request changes in a stack: the `diff` key of `--json`. */
export interface ChangeReview {
  /** The git ref or plan file compared against. */
  readonly base: string;
  readonly counts: {
    readonly added: number;
    readonly removed: number;
    readonly changed: number;
    readonly replaced: number;
    readonly renamed: number;
    readonly unchanged: number;
  };
  /** Changed resources, replacements first. */
  readonly changed: ClassifiedChange[];
  readonly added: AddedOrRemoved[];
  readonly removed: AddedOrRemoved[];
  readonly renamed: Rename[];
  readonly findings: ReviewFinding[];
}

export function reviewChange(
  base: string,
  baseResources: readonly RecordedResource[],
  head: readonly RecordedResource[],
  prod: boolean,
  /** Resources (name or URN) the stack's policy config allows to be replaced, with the reason. */
  exceptions: ReadonlyMap<string, string> = new Map(),
): ChangeReview {
  const diff = diffGraphs(baseResources, head);
  const order = { replace: 0, unknown: 1, update: 2 } as const;
  // Added and renamed resources are created, like replaced ones: an existing resource whose
  // replace-forcing input now takes one of their ids is replaced too.
  const recreated = [...diff.added.map((r) => r.urn), ...diff.renamed.map((r) => r.toUrn)];
  const changed = followReplacements(diff.changed.map(classifyChange), head, recreated).sort(
    (a, b) => order[a.kind] - order[b.kind] || a.urn.localeCompare(b.urn),
  );
  return {
    base,
    counts: {
      added: diff.added.length,
      removed: diff.removed.length,
      changed: changed.length,
      replaced: changed.filter((c) => c.kind === "replace").length,
      renamed: diff.renamed.length,
      unchanged: diff.unchanged - (changed.length - diff.changed.length),
    },
    changed,
    added: diff.added,
    removed: diff.removed,
    renamed: diff.renamed,
    findings: replacementFindings(diff, changed, prod, exceptions),
  };
}

export function hasChanges(review: ChangeReview): boolean {
  const { added, removed, changed, renamed } = review.counts;
  return added + removed + changed + renamed > 0;
}

const shown = (value: unknown) => (value === undefined ? "(unset)" : JSON.stringify(value));
const propertyLine = (c: PropertyChange) => `${c.path}: ${shown(c.before)} → ${shown(c.after)}`;
const kindLabel = (c: ClassifiedChange) =>
  c.kind === "replace"
    ? `REPLACE (${c.replacedBy.join(", ")} forces a new resource${c.via ? `; it comes from replaced ${c.via.map((u) => u.split("::").pop()).join(", ")}` : ""})`
    : c.kind === "unknown"
      ? "update (type not in the replacement table)"
      : "update in place";

export function countsLine(review: ChangeReview): string {
  const { added, removed, changed, replaced, renamed, unchanged } = review.counts;
  return `against ${review.base}: ${added} to add, ${removed} to delete, ${changed} to change (${replaced} replaced), ${renamed} renamed, ${unchanged} unchanged`;
}

/** The change, for the console. */
export function formatChangeSummary(review: ChangeReview): string {
  const lines = [`Change ${countsLine(review)}`];
  for (const c of review.changed) {
    lines.push(
      `  ~ ${c.type} ${c.name}: ${kindLabel(c)}`,
      ...c.changes.map((p) => `      ${propertyLine(p)}`),
    );
  }
  for (const r of review.renamed)
    lines.push(`  ± ${r.type} ${r.from} → ${r.to}: delete and create; keep it with ${r.aliases}`);
  for (const r of review.added) lines.push(`  + ${r.type} ${r.name}`);
  for (const r of review.removed) lines.push(`  - ${r.type} ${r.name}${r.protect ? " (protected)" : ""}`);
  for (const f of review.findings) lines.push(`  ${f.enforcementLevel.toUpperCase()} ${f.message}`);
  return `${lines.join("\n")}\n`;
}

const code = (text: string) => `\`${text.replaceAll("`", "'")}\``;
const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");

/** Property diffs longer than this are collapsed in the PR comment. */
const collapseAfter = 6;

/** The change, for the pull-request comment: counts, replacements first, then property diffs. */
export function formatChangeMarkdown(review: ChangeReview): string[] {
  const lines = ["### Change", "", `${countsLine(review)}.`, ""];
  if (review.findings.length > 0) {
    lines.push("| Level | Finding |", "| --- | --- |");
    for (const f of review.findings)
      lines.push(
        `| ${f.enforcementLevel === "mandatory" ? "**mandatory**" : "advisory"} | ${cell(f.message)} |`,
      );
    lines.push("");
  }
  if (review.changed.length + review.renamed.length + review.added.length + review.removed.length > 0) {
    lines.push("| Action | Resource | Type |", "| --- | --- | --- |");
    for (const c of review.changed)
      lines.push(`| ${cell(kindLabel(c))} | ${code(c.name)} | ${code(c.type)} |`);
    for (const r of review.renamed)
      lines.push(
        `| rename: delete and create unless ${code(r.aliases)} | ${code(r.from)} → ${code(r.to)} | ${code(r.type)} |`,
      );
    for (const r of review.removed) lines.push(`| delete | ${code(r.name)} | ${code(r.type)} |`);
    for (const r of review.added) lines.push(`| create | ${code(r.name)} | ${code(r.type)} |`);
    lines.push("");
  }
  for (const c of review.changed) {
    const body = ["```diff", ...c.changes.map((p) => `~ ${propertyLine(p)}`), "```"];
    if (c.changes.length > collapseAfter)
      lines.push(
        `<details><summary>${code(c.name)}: ${c.changes.length} properties</summary>`,
        "",
        ...body,
        "",
        "</details>",
        "",
      );
    else lines.push(`${code(c.name)}:`, "", ...body, "");
  }
  return lines;
}
