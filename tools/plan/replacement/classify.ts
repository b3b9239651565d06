import type { ChangedResource, GraphDiff } from "../diff/compare";
import type { RecordedResource } from "../recorder";
import { computed } from "../values";
import forceNew from "./forceNew.json";

/**
 * The properties whose change makes the provider delete and create the resource, per Pulumi type,
 * derived by derive.ts from the Terraform AWS provider source the Pulumi AWS provider bridges
 * (`ForceNew` / `RequiresReplace`). Paths are Pulumi property names, nested with dots. Not in it:
 * replacements a provider decides in code (e.g. a security group rule switching from a CIDR to a
 * prefix list), which `pulumi preview` with credentials shows.
 */
export const replaceTable: {
  readonly source: string;
  readonly version: string;
  readonly types: Readonly<
    Record<
      string,
      {
        readonly terraform: string;
        /** The provider source file the properties were read from. */
        readonly file: string;
        /** Attributes whose change, anywhere inside them, forces a new resource. */
        readonly properties: readonly string[];
        /** Blocks that force a new resource when added or removed; their attributes decide inside. */
        readonly blocks: readonly string[];
      }
    >
  >;
} = forceNew;

/**
 * Types whose replacement loses data or breaks everything that holds their identity (a KMS key's
 * ciphertexts, a secret's ARN): replacing one is a blocking finding in prod.
 */
export const statefulTypes: ReadonlySet<string> = new Set([
  "aws:rds/cluster:Cluster",
  "aws:rds/clusterInstance:ClusterInstance",
  "aws:elasticache/replicationGroup:ReplicationGroup",
  "aws:msk/cluster:Cluster",
  "aws:s3/bucket:Bucket",
  "aws:kms/key:Key",
  "aws:eks/cluster:Cluster",
  "aws:eks/nodeGroup:NodeGroup",
  "aws:secretsmanager/secret:Secret",
]);

/** How a change is applied: in place, by delete and create, or not known (a type outside the table). */
export type ChangeKind = "update" | "replace" | "unknown";

export interface ClassifiedChange extends ChangedResource {
  readonly kind: ChangeKind;
  /** The changed properties that force the replacement. */
  readonly replacedBy: string[];
  /** For a replacement that follows from another: the replaced resources its inputs come from. */
  readonly via?: string[];
}

const nameOf = (urn: string) => urn.split("::").pop() ?? urn;

const withoutIndices = (path: string) => path.replace(/\[\d+\]/g, "");

/** Whether changing `path` changes the replace-forcing property `property` (or a part of it, or all of it). */
const touches = (path: string, property: string) =>
  path === property || path.startsWith(`${property}.`) || property.startsWith(`${path}.`);

export function classifyChange(change: ChangedResource): ClassifiedChange {
  const entry = replaceTable.types[change.type];
  if (!change.custom) return { ...change, kind: "update", replacedBy: [] };
  if (!entry) return { ...change, kind: "unknown", replacedBy: [] };
  const forces = (path: string) =>
    entry.properties.some((p) => touches(path, p)) ||
    entry.blocks.some((b) => path === b || b.startsWith(`${path}.`));
  const replacedBy = change.changes.map((c) => c.path).filter((path) => forces(withoutIndices(path)));
  return { ...change, kind: replacedBy.length > 0 ? "replace" : "update", replacedBy };
}

/** Replace-forcing paths under `property` whose value is unknown in the plan. */
function computedForceNewPaths(r: RecordedResource, property: string): string[] {
  const entry = replaceTable.types[r.type];
  if (!entry) return [];
  const holdsComputed = (value: unknown): boolean =>
    value === computed ||
    (Array.isArray(value)
      ? value.some(holdsComputed)
      : value !== null && typeof value === "object" && Object.values(value).some(holdsComputed));
  const at = (path: string): unknown =>
    path
      .split(".")
      .reduce<unknown>(
        (v, key) =>
          Array.isArray(v)
            ? v.map((e) => (e as Record<string, unknown>)?.[key])
            : (v as Record<string, unknown> | undefined)?.[key],
        r.inputs,
      );
  return entry.properties.filter(
    (p) => (p === property || p.startsWith(`${property}.`)) && holdsComputed(at(p)),
  );
}

/**
 * Follows replacements through the graph as the engine does: a replaced resource gets a new id and
 * ARN, so an input that takes one of them becomes unknown, and where that input forces a new
 * resource the dependent is replaced as well, and so on. Returns every change, the followed ones added
 * (or turned from an update into a replacement).
 */
export function followReplacements(
  changes: readonly ClassifiedChange[],
  head: readonly RecordedResource[],
  recreated: readonly string[],
): ClassifiedChange[] {
  const byUrn = new Map(changes.map((c) => [c.urn, c]));
  const replaced = new Set([...recreated, ...changes.filter((c) => c.kind === "replace").map((c) => c.urn)]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of head) {
      if (!r.custom || replaced.has(r.urn)) continue;
      const via = new Set<string>();
      const forced = new Set<string>();
      for (const [property, urns] of Object.entries(r.propertyDependencies)) {
        const from = urns.filter((u) => replaced.has(u));
        const paths = from.length > 0 ? computedForceNewPaths(r, property) : [];
        if (paths.length === 0) continue;
        for (const u of from) via.add(u);
        for (const p of paths) forced.add(p);
      }
      if (forced.size === 0) continue;
      const own = byUrn.get(r.urn);
      byUrn.set(r.urn, {
        urn: r.urn,
        type: r.type,
        name: r.name,
        custom: true,
        protect: r.protect,
        changes: own?.changes ?? [...forced].map((path) => ({ path, before: computed, after: computed })),
        kind: "replace",
        replacedBy: [...new Set([...(own?.replacedBy ?? []), ...forced])],
        via: [...via].sort(),
      });
      replaced.add(r.urn);
      grew = true;
    }
  }
  return [...byUrn.values()];
}

/** A change the pull request makes that must be looked at before it is applied. */
export interface ReviewFinding {
  readonly enforcementLevel: "advisory" | "mandatory";
  readonly urn: string;
  readonly message: string;
}

/**
 * What the diff must not do unnoticed: replace a stateful resource, or delete or replace a protected
 * one (Pulumi refuses to, and the state would then have to be edited by hand). Blocking in prod,
 * advisory in other tiers.
 */
export function replacementFindings(
  diff: GraphDiff,
  changed: readonly ClassifiedChange[],
  prod: boolean,
  exceptions: ReadonlyMap<string, string> = new Map(),
): ReviewFinding[] {
  const level = prod ? "mandatory" : "advisory";
  const findings: ReviewFinding[] = [];
  for (const c of changed) {
    if (c.kind !== "replace") continue;
    const because = c.via
      ? `because it takes ${c.replacedBy.join(", ")} from replaced ${c.via.map(nameOf).join(", ")}`
      : `because ${c.replacedBy.join(", ")} changed`;
    if (statefulTypes.has(c.type))
      findings.push({
        enforcementLevel: level,
        urn: c.urn,
        message: `replaces stateful ${c.type} ${c.name} ${because}`,
      });
    else if (c.protect)
      findings.push({
        enforcementLevel: level,
        urn: c.urn,
        message: `replaces protected ${c.type} ${c.name} ${because}`,
      });
  }
  for (const r of diff.renamed.filter((r) => r.custom && (statefulTypes.has(r.type) || r.protect))) {
    findings.push({
      enforcementLevel: level,
      urn: r.fromUrn,
      message: `renames ${r.type} ${r.from} to ${r.to}: Pulumi deletes and creates it unless the new one has ${r.aliases}`,
    });
  }
  for (const r of diff.removed.filter((r) => r.custom && (statefulTypes.has(r.type) || r.protect))) {
    findings.push({
      enforcementLevel: level,
      urn: r.urn,
      message: `deletes ${r.protect ? "protected" : "stateful"} ${r.type} ${r.name}`,
    });
  }
  // An exception in the stack's policy config keeps the finding in the report, as advisory.
  return findings.map((f) => {
    const reason = exceptions.get(f.urn) ?? exceptions.get(nameOf(f.urn));
    return reason === undefined
      ? f
      : {
          ...f,
          enforcementLevel: "advisory",
          message: `${f.message}; allowed by the stack's policy config: ${reason}`,
        };
  });
}
