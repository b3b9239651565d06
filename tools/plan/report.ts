import { formatCapacityMarkdown, formatCapacitySummary } from "../capacity/report";
import { keySettings, valueAtPath } from "./keySettings";
import type { RecordedResource } from "./recorder";
import type { PlanDocument } from "./run";

/** The JSON `--json` writes: keys in a fixed order, two-space indent, trailing newline. */
export function formatJson(doc: PlanDocument & { readonly diff?: unknown; readonly cost?: unknown }): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

interface ComponentGroup {
  readonly label: string;
  readonly resources: RecordedResource[];
}

/** The top-level component (a child of the stack) that declared a resource, or undefined at the top. */
export function topComponentOf(
  byUrn: ReadonlyMap<string, RecordedResource>,
  r: RecordedResource,
): RecordedResource | undefined {
  let current = r;
  let top: RecordedResource | undefined;
  while (current.parent) {
    const parent = byUrn.get(current.parent);
    if (!parent || parent.type === "pulumi:pulumi:Stack") break;
    top = parent;
    current = parent;
  }
  return top;
}

/** Groups cloud resources under the top-level Crest component that declared them. */
export function groupByComponent(doc: PlanDocument): ComponentGroup[] {
  const byUrn = new Map(doc.resources.map((r) => [r.urn, r]));
  const topComponent = (r: RecordedResource): string => {
    const top = topComponentOf(byUrn, r);
    return top ? `${top.type} ${top.name}` : "(stack)";
  };
  const groups = new Map<string, RecordedResource[]>();
  for (const r of doc.resources) {
    if (!r.custom) continue;
    const label = topComponent(r);
    groups.set(label, [...(groups.get(label) ?? []), r]);
  }
  const byTypeThenName = (a: RecordedResource, b: RecordedResource) =>
    a.type.localeCompare(b.type) || a.name.localeCompare(b.name);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, resources]) => ({ label, resources: resources.sort(byTypeThenName) }));
}

function countByType(resources: readonly RecordedResource[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b));
}

function show(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function settingsOf(r: RecordedResource): string {
  return (keySettings[r.type] ?? [])
    .map((path) => [path, valueAtPath(r.inputs, path)] as const)
    .filter(([, value]) => value !== undefined)
    .map(([path, value]) => `${path}=${show(value)}`)
    .join("  ");
}

function headline(doc: PlanDocument): string {
  const custom = doc.resources.filter((r) => r.custom).length;
  return `${doc.summary.resourceCount} resources: ${custom} cloud resources, ${doc.summary.resourceCount - custom} components, stack and providers`;
}

/** One line per output; a list of records gets a line per record, so subnet tables stay readable. */
function outputLines(outputs: Record<string, unknown>): string[] {
  return Object.entries(outputs).flatMap(([key, value]) =>
    Array.isArray(value) && value.some((v) => v !== null && typeof v === "object")
      ? [`${key}:`, ...value.map((v) => `  - ${show(v)}`)]
      : [`${key}: ${show(value)}`],
  );
}

/** The console summary: by component and type, key settings, outputs, policy result. */
export function formatSummary(doc: PlanDocument): string {
  const lines = [`Plan of stack "${doc.stack}" (project ${doc.project}) — ${headline(doc)}`, ""];
  for (const group of groupByComponent(doc)) {
    lines.push(`${group.label} — ${group.resources.length} resources`);
    for (const [type, count] of countByType(group.resources))
      lines.push(`  ${String(count).padStart(3)}  ${type}`);
    for (const r of group.resources) {
      const settings = settingsOf(r);
      if (settings) lines.push(`       ${r.name}: ${settings}`);
    }
    lines.push("");
  }
  lines.push("Outputs", ...outputLines(doc.outputs).map((l) => `  ${l}`), "");
  lines.push(...formatCapacitySummary(doc.capacity));
  lines.push(policyLine(doc), `  ${packLine(doc)}`, `  ${passesLine(doc)}`);
  for (const s of doc.policy.stackSettings)
    lines.push(`  set for this stack: ${s.policy} (${s.enforcementLevel}): ${s.reason}`);
  for (const v of doc.violations) {
    lines.push("", `  ${v.enforcementLevel.toUpperCase()} ${v.policy} — ${resourceOf(v.urn)}`);
    lines.push(`    ${v.message}`, `    ${v.fix}`);
  }
  return `${lines.join("\n")}\n`;
}

function policyLine(doc: PlanDocument): string {
  const mandatory = doc.violations.filter((v) => v.enforcementLevel === "mandatory").length;
  return `Policy: ${doc.violations.length} violations (${mandatory} mandatory)`;
}

/** What each pass left unknown, so a reader knows how much the pack could judge. */
function passesLine({ passes }: PlanDocument): string {
  const pass = (name: string, p: PlanDocument["passes"]["preview"]) =>
    `${name} ${p.unknownInputs} inputs unknown (${p.unknownPolicyDocuments} policy documents)`;
  return `judged twice: ${pass("preview", passes.preview)}; ${pass("resolved", passes.resolved)}`;
}

function packLine({ policy }: PlanDocument): string {
  const { mandatory, advisory, disabled } = policy.rules;
  const config = policy.configFile ? `config ${policy.configFile}` : "tier defaults, no stack config file";
  return `pack ${policy.pack}: ${mandatory} mandatory, ${advisory} advisory, ${disabled} disabled rules (${config})`;
}

/** `name (type)` from a URN: its last segment, and the last type of its qualified type. */
function resourceOf(urn: string): string {
  const parts = urn.split("::");
  const type = (parts[2] ?? "").split("$").pop();
  return `${parts[3] ?? urn} (${type})`;
}

function cell(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll("|", "\\|").replaceAll("\n", " ");
}

/** Violations first (mandatory, then advisory), each with its fix; then what the stack set differently. */
function policySection(doc: PlanDocument): string[] {
  const lines = [
    "### Policy",
    "",
    `${policyLine(doc)} — ${cell(packLine(doc))}; ${cell(passesLine(doc))}.`,
    "",
  ];
  if (doc.violations.length > 0) {
    lines.push(
      "| Level | Policy | Resource | Finding | Requirement and fix |",
      "| --- | --- | --- | --- | --- |",
    );
    for (const v of doc.violations) {
      const level = v.enforcementLevel === "mandatory" ? "**mandatory**" : "advisory";
      lines.push(
        `| ${level} | \`${v.policy}\` | ${cell(resourceOf(v.urn))} | ${cell(v.message)} | ${cell(v.fix)} |`,
      );
    }
    lines.push("");
  }
  if (doc.policy.stackSettings.length > 0) {
    lines.push("Set differently for this stack:", "");
    for (const s of doc.policy.stackSettings)
      lines.push(`- \`${s.policy}\` (${s.enforcementLevel}): ${cell(s.reason)}`);
    lines.push("");
  }
  return lines;
}

/** What the plan adds to the report beside the pack's review, each already rendered as Markdown lines. */
export interface ReportSections {
  /** The Mermaid flowchart of the stack. */
  readonly picture?: readonly string[];
  /** The change against the base (`--base`). */
  readonly change?: readonly string[];
  /** The monthly cost and, with a base, its change. */
  readonly cost?: readonly string[];
  /** Mandatory findings the plan makes outside the pack (a replacement the change review blocks). */
  readonly blockingFindings?: number;
}

/** The first line a reviewer reads: whether anything blocks the pull request. */
function verdictLine(doc: PlanDocument, blockingFindings: number): string {
  const mandatory =
    doc.violations.filter((v) => v.enforcementLevel === "mandatory").length + blockingFindings;
  const advisory = doc.violations.length - (mandatory - blockingFindings);
  return mandatory > 0
    ? `**Blocking**: ${mandatory} mandatory findings (below) must be fixed or excepted; ${advisory} advisory.`
    : `**Not blocking**: no mandatory findings; ${advisory} advisory.`;
}

/**
 * A Markdown report for a pull-request comment; the marker lets CI update one comment in place. Top
 * to bottom: the verdict, the picture, the change, the cost, the policy findings, then the
 * whole-stack tables collapsed.
 */
export function formatMarkdown(doc: PlanDocument, sections: ReportSections = {}): string {
  const groups = groupByComponent(doc);
  const lines = [
    `<!-- crest-plan:${doc.stack} -->`,
    `## Crest plan: \`${doc.stack}\``,
    "",
    verdictLine(doc, sections.blockingFindings ?? 0),
    "",
    `${headline(doc)}. ${policyLine(doc)}.`,
    "",
    ...(sections.picture ?? []),
    ...(sections.change ?? []),
    ...(sections.cost ?? []),
    ...policySection(doc),
    ...formatCapacityMarkdown(doc.capacity, cell),
    "<details><summary>Resources by component and type</summary>",
    "",
    "| Component | Type | Count |",
    "| --- | --- | ---: |",
  ];
  for (const group of groups) {
    for (const [type, count] of countByType(group.resources)) {
      lines.push(`| ${cell(group.label)} | \`${type}\` | ${count} |`);
    }
  }
  lines.push(
    "",
    "</details>",
    "",
    "<details><summary>Key settings</summary>",
    "",
    "| Resource | Settings |",
    "| --- | --- |",
  );
  for (const group of groups) {
    for (const r of group.resources) {
      const settings = settingsOf(r);
      if (settings) lines.push(`| \`${r.name}\` | ${cell(settings)} |`);
    }
  }
  lines.push("", "</details>", "", "<details><summary>Stack outputs</summary>", "", "```");
  lines.push(...outputLines(doc.outputs), "```", "", "</details>", "");
  return `${lines.join("\n")}`;
}
