import type { RecordedResource } from "../recorder";

/** One property that differs, by its path in the inputs (`vpcConfig.subnetIds[1]`). */
export interface PropertyChange {
  readonly path: string;
  /** The base's value, rendered as the plan renders inputs (`[secret]`, `<computed>`); absent when unset. */
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface ChangedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly protect: boolean;
  readonly changes: PropertyChange[];
}

/**
 * A resource whose name changed and nothing else that makes its URN: Pulumi sees a delete and a
 * create unless the new one carries `aliases: [{ name: from }]`.
 */
export interface Rename {
  readonly type: string;
  readonly parent: string;
  readonly from: string;
  readonly to: string;
  readonly fromUrn: string;
  readonly toUrn: string;
  readonly custom: boolean;
  readonly protect: boolean;
  /** The resource option that keeps the existing resource, as TypeScript. */
  readonly aliases: string;
  /** What differs besides the name. */
  readonly changes: PropertyChange[];
}

export interface AddedOrRemoved {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly protect: boolean;
}

/** How a plan differs from its base, resource by resource (URNs identify a resource, as in Pulumi). */
export interface GraphDiff {
  readonly added: AddedOrRemoved[];
  readonly removed: AddedOrRemoved[];
  readonly changed: ChangedResource[];
  readonly renamed: Rename[];
  readonly unchanged: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

function childPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/**
 * Property-level differences of two rendered input maps, down to the leaves: objects by key, lists
 * by index. A secret is `[secret]` on both sides, so a changed secret value is not visible, as in
 * `pulumi preview`; an unknown is `<computed>`.
 */
export function diffInputs(before: unknown, after: unknown, path = ""): PropertyChange[] {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diffInputs(before[key], after[key], childPath(path, key)));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => diffInputs(before[i], after[i], childPath(path, i))).flat();
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [
    {
      path: path || "(inputs)",
      ...(before === undefined ? {} : { before }),
      ...(after === undefined ? {} : { after }),
    },
  ];
}

const brief = (r: RecordedResource): AddedOrRemoved => ({
  urn: r.urn,
  type: r.type,
  name: r.name,
  custom: r.custom,
  protect: r.protect,
});

/**
 * Pairs each removed resource with an added one of the same type under the same parent, the one
 * whose inputs differ least: Pulumi would delete and create it, an alias keeps it.
 */
function findRenames(removed: RecordedResource[], added: RecordedResource[]): Rename[] {
  const renames: Rename[] = [];
  const taken = new Set<string>();
  for (const old of removed) {
    const candidates = added
      .filter((a) => !taken.has(a.urn) && a.type === old.type && a.parent === old.parent)
      .map((a) => ({ a, changes: diffInputs(old.inputs, a.inputs) }))
      .sort((x, y) => x.changes.length - y.changes.length || x.a.urn.localeCompare(y.a.urn));
    const best = candidates[0];
    if (!best) continue;
    taken.add(best.a.urn);
    renames.push({
      type: old.type,
      parent: old.parent,
      from: old.name,
      to: best.a.name,
      fromUrn: old.urn,
      toUrn: best.a.urn,
      custom: old.custom,
      protect: old.protect,
      aliases: `aliases: [{ name: ${JSON.stringify(old.name)} }]`,
      changes: best.changes,
    });
  }
  return renames;
}

/** Compares two recorded graphs by URN. */
export function diffGraphs(base: readonly RecordedResource[], head: readonly RecordedResource[]): GraphDiff {
  const baseByUrn = new Map(base.map((r) => [r.urn, r]));
  const headByUrn = new Map(head.map((r) => [r.urn, r]));
  const added = head.filter((r) => !baseByUrn.has(r.urn));
  const removed = base.filter((r) => !headByUrn.has(r.urn));
  const renamed = findRenames(removed, added);
  const renamedFrom = new Set(renamed.map((r) => r.fromUrn));
  const renamedTo = new Set(renamed.map((r) => r.toUrn));
  const changed: ChangedResource[] = [];
  let unchanged = 0;
  for (const r of head) {
    const old = baseByUrn.get(r.urn);
    if (!old) continue;
    const changes = diffInputs(old.inputs, r.inputs);
    if (old.protect !== r.protect) changes.push({ path: "(protect)", before: old.protect, after: r.protect });
    if (changes.length === 0) unchanged++;
    else
      changed.push({
        urn: r.urn,
        type: r.type,
        name: r.name,
        custom: r.custom,
        protect: old.protect,
        changes,
      });
  }
  return {
    added: added.filter((r) => !renamedTo.has(r.urn)).map(brief),
    removed: removed.filter((r) => !renamedFrom.has(r.urn)).map(brief),
    changed,
    renamed,
    unchanged,
  };
}
