import { type ResourceRuleSpec, type ResourceView, type Rule, resourceRule } from "../lib/rule";
import { at, items, knownStrings, type PlainObject, show, unknown } from "../lib/values";
import { type Container, containersOf, podSpec, securitySetting, workloadTypes } from "../lib/workloads";

/** A rule over every container (and init container) of every workload kind. */
export function containerRule<C extends object>(
  spec: Omit<ResourceRuleSpec<C>, "types" | "check" | "concern"> & {
    readonly checkContainer: (
      pod: PlainObject,
      container: Container,
      config: C,
      report: (f: string) => void,
    ) => void;
  },
): Rule {
  return resourceRule<C>({
    ...spec,
    concern: "kubernetes",
    types: workloadTypes,
    check: ({ type, props }: ResourceView, config, report) => {
      const pod = podSpec(type, props);
      for (const container of pod ? containersOf(pod) : [])
        spec.checkContainer(pod as PlainObject, container, config, report);
    },
  });
}

export const runAsNonRoot = containerRule({
  id: "kubernetes-run-as-non-root",
  family: "Kubernetes",
  controls: ["PSS restricted: runAsNonRoot", "CKV_K8S_23"],
  description:
    "Containers run as a non-root user. Fix: set securityContext.runAsNonRoot: true and a non-zero runAsUser " +
    "(on the pod or the container), and build the image with a USER that is not root.",
  checkContainer: (pod, container, _config, report) => {
    const nonRoot = securitySetting(pod, container, "runAsNonRoot");
    const user = securitySetting(pod, container, "runAsUser");
    if (user === 0) report(`${container.label} runs as user 0`);
    else if (nonRoot !== true && nonRoot !== unknown)
      report(`${container.label}: runAsNonRoot is ${show(nonRoot)}`);
  },
});

export const readOnlyRootFilesystem = containerRule({
  id: "kubernetes-read-only-root-fs",
  family: "Kubernetes",
  controls: ["kube-score container-security-context-readonlyrootfilesystem", "CKV_K8S_22"],
  description:
    "Containers cannot write to their image's filesystem. Fix: set securityContext.readOnlyRootFilesystem: true " +
    "and mount an emptyDir where the process needs scratch space (e.g. /tmp).",
  checkContainer: (_pod, container, _config, report) => {
    const readOnly = at(container.spec, "securityContext.readOnlyRootFilesystem");
    if (readOnly !== true && readOnly !== unknown) {
      report(`${container.label}: readOnlyRootFilesystem is ${show(readOnly)}`);
    }
  },
});

export const resourceRequestsAndLimits = containerRule<{ requireCpuLimit: boolean }>({
  id: "kubernetes-resources",
  family: "Kubernetes",
  controls: ["kube-score container-resources"],
  description:
    "Containers declare CPU and memory requests (so the scheduler and the HPA see them) and limits (so one pod " +
    "cannot starve its node). Fix: set resources.requests.cpu/memory and resources.limits.memory (and " +
    "limits.cpu unless the stack allows CPU bursting).",
  config: {
    schema: {
      requireCpuLimit: {
        type: "boolean",
        description:
          "Require a CPU limit; false lets latency-sensitive pods burst instead of being throttled.",
      },
    },
    defaults: () => ({ requireCpuLimit: true }),
  },
  checkContainer: (_pod, container, config, report) => {
    const resources = container.spec.resources;
    if (resources === unknown) return;
    const wanted = [
      "requests.cpu",
      "requests.memory",
      "limits.memory",
      ...(config.requireCpuLimit ? ["limits.cpu"] : []),
    ];
    const missing = wanted.filter(
      (path) => at(resources, path) === undefined || at(resources, path) === null,
    );
    if (missing.length > 0) report(`${container.label} has no resources.${missing.join(", resources.")}`);
  },
});

export const imagePinned = containerRule({
  id: "kubernetes-image-pinned",
  family: "supply chain",
  controls: ["kube-score container-image-tag"],
  description:
    "Images are pinned to a version: never `:latest` or untagged, so every rollout runs what was reviewed. " +
    "Fix: reference images by an immutable tag (the build's version or commit) or by digest (@sha256:…).",
  checkContainer: (_pod, container, _config, report) => {
    const image = container.spec.image;
    if (typeof image !== "string") return;
    if (image.includes("@sha256:")) return;
    const lastSegment = image.slice(image.lastIndexOf("/") + 1);
    const tag = lastSegment.includes(":") ? lastSegment.slice(lastSegment.indexOf(":") + 1) : undefined;
    if (tag === undefined) report(`${container.label} image ${image} has no tag (means latest)`);
    else if (tag === "latest") report(`${container.label} image ${image} uses :latest`);
  },
});

/** An image reference pinned to content: `<repository>@sha256:<64 hex>`, with or without a tag. */
const digestReference = /@sha256:[0-9a-f]{64}$/;

export const imageDigest = containerRule({
  id: "kubernetes-image-digest",
  family: "supply chain",
  controls: ["CKV_K8S_43"],
  description:
    "Images are pinned by digest: a tag, even an immutable one in ECR, names whatever a registry maps it " +
    "to (a mirror or a public registry can move it), a digest names the bytes that were reviewed and scanned. " +
    "Fix: reference the image as <repository>@sha256:<digest> (the build's or the registry's digest).",
  levels: { dev: "advisory", prod: "mandatory" },
  checkContainer: (_pod, container, _config, report) => {
    const image = container.spec.image;
    if (typeof image === "string" && !digestReference.test(image)) {
      report(`${container.label} image ${image} is not pinned by an @sha256 digest`);
    }
  },
});

/** Capabilities that amount to root on the node. */
const dangerousCapabilities = ["ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "SYS_MODULE", "NET_RAW"];

export const noPrivilegedContainers = containerRule({
  id: "kubernetes-no-privileged",
  family: "Kubernetes",
  controls: ["PSS baseline: privileged containers", "CKV_K8S_16"],
  description:
    "No container is privileged, can escalate privileges or adds node-level capabilities. Fix: remove " +
    'privileged: true, set allowPrivilegeEscalation: false and capabilities.drop: ["ALL"], adding back only ' +
    "what the process needs (e.g. NET_BIND_SERVICE).",
  checkContainer: (_pod, container, _config, report) => {
    const context = container.spec.securityContext;
    if (at(context, "privileged") === true) report(`${container.label} is privileged`);
    const escalation = at(context, "allowPrivilegeEscalation");
    if (escalation !== false && escalation !== unknown) {
      report(`${container.label}: allowPrivilegeEscalation is ${show(escalation)}`);
    }
    const added = knownStrings(at(context, "capabilities.add")).filter((c) =>
      dangerousCapabilities.includes(c),
    );
    if (added.length > 0) report(`${container.label} adds ${added.join(", ")}`);
  },
});

export const noHostNamespaces = resourceRule({
  id: "kubernetes-no-host-namespaces",
  family: "Kubernetes",
  controls: ["PSS baseline: host namespaces", "PSS baseline: host ports", "CKV_K8S_26"],
  concern: "kubernetes",
  description:
    "Pods do not share the node's network, process or IPC namespaces, bind its ports, nor mount its filesystem. " +
    "Fix: remove hostNetwork, hostPID and hostIPC (or set them false), containers' hostPort and hostPath " +
    "volumes; use a Service and emptyDir.",
  types: workloadTypes,
  check: ({ type, props }, _config, report) => {
    const pod = podSpec(type, props);
    if (!pod) return;
    for (const key of ["hostNetwork", "hostPID", "hostIPC"]) if (pod[key] === true) report(`${key} is true`);
    const volumes = items(pod.volumes);
    for (const volume of volumes === unknown ? [] : volumes) {
      if (at(volume, "hostPath") !== undefined)
        report(`volume ${show(at(volume, "name"))} mounts a hostPath`);
    }
    for (const container of containersOf(pod)) {
      const ports = items(at(container.spec, "ports"));
      for (const port of ports === unknown ? [] : ports) {
        const hostPort = at(port, "hostPort");
        if (hostPort !== undefined && hostPort !== 0)
          report(`${container.label} binds hostPort ${show(hostPort)}`);
      }
    }
  },
});

export const kubernetesRules: Rule[] = [
  runAsNonRoot,
  readOnlyRootFilesystem,
  resourceRequestsAndLimits,
  imagePinned,
  imageDigest,
  noPrivilegedContainers,
  noHostNamespaces,
];
