import { t } from "./types";
import { at, isObject, items, type Plain, type PlainObject, unknown } from "./values";

/** Kubernetes kinds that run pods, and where each keeps its pod template. */
const podSpecPaths: Readonly<Record<string, string>> = {
  [t.deployment]: "spec.template.spec",
  [t.statefulSet]: "spec.template.spec",
  [t.daemonSet]: "spec.template.spec",
  [t.job]: "spec.template.spec",
  [t.cronJob]: "spec.jobTemplate.spec.template.spec",
  [t.pod]: "spec",
};

export const workloadTypes = Object.keys(podSpecPaths);

/** The pod spec of a workload; `undefined` when it is not a workload or the spec is unknown. */
export function podSpec(type: string, props: PlainObject): PlainObject | undefined {
  const path = podSpecPaths[type];
  const spec = path === undefined ? undefined : at(props, path);
  return isObject(spec) ? spec : undefined;
}

/** The pod template's labels, which a PDB or HPA selects on. */
export function podLabels(type: string, props: PlainObject): PlainObject | undefined {
  const path = podSpecPaths[type];
  const labels = path === undefined ? undefined : at(props, path.replace(/spec$/, "metadata.labels"));
  return isObject(labels) ? labels : undefined;
}

export interface Container {
  /** `containers[0] (api)`: where to look, for a finding. */
  readonly label: string;
  readonly spec: PlainObject;
}

/** A pod's containers, and its init containers unless `init` is false. Unknown entries are skipped. */
export function containersOf(pod: PlainObject, init = true): Container[] {
  const lists = init ? ["containers", "initContainers"] : ["containers"];
  return lists.flatMap((list) => {
    const entries = items(pod[list]);
    if (entries === unknown) return [];
    return entries.flatMap((spec, i) =>
      isObject(spec)
        ? [{ label: `${list}[${i}] (${typeof spec.name === "string" ? spec.name : "?"})`, spec }]
        : [],
    );
  });
}

/** A container setting, falling back to the pod-level security context where Kubernetes does. */
export function securitySetting(pod: PlainObject, container: Container, key: string): Plain | undefined {
  const own = at(container.spec, `securityContext.${key}`);
  return own === undefined ? at(pod, `securityContext.${key}`) : own;
}
