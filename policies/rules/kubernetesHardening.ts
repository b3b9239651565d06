import { type Rule, resourceRule, type StackResourceView, stackRule } from "../lib/rule";
import { t } from "../lib/types";
import { at, containsUnknown, isObject, items, knownStrings, type Plain, show, unknown } from "../lib/values";
import { podSpec, securitySetting, workloadTypes } from "../lib/workloads";
import { containerRule } from "./kubernetes";

export const dropAllCapabilities = containerRule({
  id: "kubernetes-drop-all-capabilities",
  family: "Kubernetes",
  controls: ["PSS restricted: capabilities", "CKV_K8S_37"],
  description:
    'Every container drops all Linux capabilities (capabilities.drop: ["ALL"]), adding back at most ' +
    "NET_BIND_SERVICE, as the restricted Pod Security Standard requires. Fix: set securityContext.capabilities " +
    '{ drop: ["ALL"] } on each container and init container.',
  checkContainer: (_pod, container, _config, report) => {
    const drop = at(container.spec, "securityContext.capabilities.drop");
    if (drop === unknown || (Array.isArray(drop) && drop.includes(unknown))) return;
    if (!knownStrings(drop).includes("ALL"))
      report(`${container.label} drops ${show(drop ?? null)}, not ALL`);
    const added = knownStrings(at(container.spec, "securityContext.capabilities.add")).filter(
      (c) => c !== "NET_BIND_SERVICE",
    );
    if (added.length > 0) report(`${container.label} adds ${added.join(", ")}`);
  },
});

export const seccompRuntimeDefault = containerRule({
  id: "kubernetes-seccomp-runtime-default",
  family: "Kubernetes",
  controls: ["PSS restricted: seccomp", "CKV_K8S_31"],
  description:
    "Every container runs under a seccomp profile: RuntimeDefault (or a Localhost profile), on the pod or the " +
    'container, never Unconfined. Fix: set securityContext.seccompProfile: { type: "RuntimeDefault" } on the pod.',
  checkContainer: (pod, container, _config, report) => {
    const type = at(securitySetting(pod, container, "seccompProfile") ?? null, "type");
    if (type !== unknown && type !== "RuntimeDefault" && type !== "Localhost")
      report(`${container.label}: seccompProfile.type is ${show(type)}`);
    // The restricted standard refuses Unconfined wherever it is set, even under a container's override.
    if (at(pod, "securityContext.seccompProfile.type") === "Unconfined")
      report(`${container.label}: the pod's seccompProfile.type is "Unconfined"`);
  },
});

/** The namespace a Kubernetes object lives in (objects without one go to `default`); unknown while computed. */
function namespaceOf(resource: StackResourceView): string | typeof unknown {
  const namespace = at(resource.props, "metadata.namespace");
  if (namespace === unknown) return unknown;
  return typeof namespace === "string" ? namespace : "default";
}

const irsaAnnotation = "eks.amazonaws.com/role-arn";

export const serviceAccountToken = stackRule({
  id: "kubernetes-service-account-token",
  concern: "kubernetes",
  family: "Kubernetes",
  controls: ["CKV_K8S_38", "kube-score pod-serviceaccount-token"],
  description:
    "Pods get no Kubernetes API token unless they need one: automountServiceAccountToken is false on the pod or " +
    "its service account, unless the service account is an IRSA one (AWS credentials only, through the EKS " +
    "pod identity webhook). Fix: set automountServiceAccountToken: false on the pod spec and the ServiceAccount.",
  check: (stack, _config, report) => {
    const accounts = stack.ofType("kubernetes:core/v1:ServiceAccount");
    // A service account whose name or namespace is not known yet may be the workload's: judged once known.
    if (accounts.some((sa) => namespaceOf(sa) === unknown || at(sa.props, "metadata.name") === unknown))
      return;
    for (const workload of stack.ofType(...workloadTypes)) {
      const pod = podSpec(workload.type, workload.props);
      const namespace = namespaceOf(workload);
      const automount = pod?.automountServiceAccountToken;
      if (!pod || automount === false || automount === unknown || pod.serviceAccountName === unknown)
        continue;
      if (namespace === unknown) continue;
      const name = typeof pod.serviceAccountName === "string" ? pod.serviceAccountName : "default";
      const account = accounts.find(
        (sa) => namespaceOf(sa) === namespace && at(sa.props, "metadata.name") === name,
      );
      const optedOut = account?.props.automountServiceAccountToken === false;
      const annotations = at(account?.props ?? null, "metadata.annotations");
      const irsa = isObject(annotations) && annotations[irsaAnnotation] !== undefined;
      if (!optedOut && !irsa)
        report(`${workload.name} mounts the API token of service account ${name}`, workload.urn);
    }
  },
});

export const namespaceRestricted = resourceRule({
  id: "kubernetes-namespace-restricted",
  concern: "kubernetes",
  family: "Kubernetes",
  controls: ["PSS restricted (Pod Security Admission enforce label)"],
  description:
    "Every namespace the program creates enforces the restricted Pod Security Standard, so the API server " +
    "refuses a pod that breaks it whoever deploys it. Fix: label the Namespace " +
    "pod-security.kubernetes.io/enforce: restricted.",
  types: ["kubernetes:core/v1:Namespace"],
  check: ({ props }, _config, report) => {
    const labels = at(props, "metadata.labels");
    if (labels === unknown) return;
    // The label key holds dots, so it is read directly rather than as a dotted path.
    const enforce = isObject(labels) ? labels["pod-security.kubernetes.io/enforce"] : undefined;
    if (enforce !== "restricted" && enforce !== unknown)
      report(`pod-security.kubernetes.io/enforce is ${show(enforce)}`);
  },
});

/** Whether a NetworkPolicy selects every pod of its namespace and denies `direction` unless allowed. */
function coversAll(policy: StackResourceView, direction: "Ingress" | "Egress"): boolean {
  const selector = at(policy.props, "spec.podSelector");
  const empty = (v: Plain) =>
    (isObject(v) && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0);
  const everyPod =
    selector === null ||
    selector === undefined ||
    (isObject(selector) && Object.values(selector).every(empty));
  const types = knownStrings(at(policy.props, "spec.policyTypes"));
  const rules = items(at(policy.props, `spec.${direction.toLowerCase()}`));
  // An Ingress policy for every pod with no ingress rules denies all ingress; an Egress one may list allows.
  const denies = direction === "Ingress" ? rules !== unknown && rules.length === 0 : true;
  return everyPod && types.includes(direction) && denies;
}

export const defaultDenyNetworkPolicy = stackRule({
  id: "kubernetes-default-deny-network-policy",
  concern: "kubernetes",
  family: "Kubernetes",
  controls: ["kube-score pod-networkpolicy", "EKS Best Practices: default-deny network policy"],
  description:
    "Every namespace that runs workloads has a default-deny ingress NetworkPolicy (podSelector {}, policyTypes " +
    "[Ingress], no rules) and an egress NetworkPolicy over all pods, so only explicitly allowed traffic flows. " +
    "Fix: add both to the namespace, then one ingress policy per component that names its sources.",
  check: (stack, _config, report) => {
    const policies = stack.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy");
    // A policy not known yet may be the default deny; the namespaces are judged once it is.
    if (policies.some((p) => namespaceOf(p) === unknown || containsUnknown(p.props.spec))) return;
    const namespaces = new Map<string, StackResourceView>();
    for (const workload of stack.ofType(...workloadTypes)) {
      const namespace = namespaceOf(workload);
      if (namespace !== unknown && !namespaces.has(namespace)) namespaces.set(namespace, workload);
    }
    for (const [namespace, workload] of namespaces) {
      const own = policies.filter((p) => namespaceOf(p) === namespace);
      for (const direction of ["Ingress", "Egress"] as const) {
        if (!own.some((p) => coversAll(p, direction)))
          report(
            `namespace ${namespace} has no default-deny ${direction.toLowerCase()} policy over all pods`,
            workload.urn,
          );
      }
    }
  },
});

export const serviceNotExposed = resourceRule({
  id: "kubernetes-service-not-exposed",
  concern: "kubernetes",
  family: "network",
  controls: ["kube-score service-type"],
  description:
    "No Kubernetes Service is of type LoadBalancer or NodePort: traffic enters through CloudFront and the ALB " +
    "(TargetGroupBinding to a ClusterIP Service), never through a load balancer or node port the edge does not " +
    "guard. Fix: use type ClusterIP and bind it to the ALB's target group.",
  types: ["kubernetes:core/v1:Service"],
  check: ({ props }, _config, report) => {
    const type = at(props, "spec.type");
    if (type === "LoadBalancer" || type === "NodePort") report(`spec.type is ${type}`);
  },
});

export const ecrImmutableAndScanned = resourceRule({
  id: "security-ecr-immutable-scanned",
  concern: "security",
  family: "supply chain",
  controls: ["FSBP ECR.1", "FSBP ECR.2", "CKV_AWS_51", "CKV_AWS_163"],
  description:
    "ECR repositories keep tags immutable (a reviewed tag can never point at another image) and scan every " +
    'image on push. Fix: set imageTagMutability: "IMMUTABLE" and imageScanningConfiguration.scanOnPush: true.',
  types: ["aws:ecr/repository:Repository"],
  check: ({ props }, _config, report) => {
    const mutability = props.imageTagMutability;
    if (mutability !== unknown && mutability !== "IMMUTABLE" && mutability !== "IMMUTABLE_WITH_EXCLUSION")
      report(`imageTagMutability is ${show(mutability)} (ECR defaults to MUTABLE)`);
    const scan = at(props, "imageScanningConfiguration.scanOnPush");
    if (scan !== true && scan !== unknown) report(`imageScanningConfiguration.scanOnPush is ${show(scan)}`);
  },
});

export const noNodeRemoteAccess = resourceRule({
  id: "security-eks-node-no-remote-access",
  concern: "security",
  family: "network",
  controls: ["CKV_AWS_100"],
  description:
    "EKS node groups open no SSH: no remoteAccess block (it adds port 22 to the nodes, from anywhere unless " +
    "source security groups are named). Fix: remove remoteAccess; reach nodes through SSM Session Manager.",
  types: [t.eksNodeGroup],
  check: ({ props }, _config, report) => {
    const remote = props.remoteAccess;
    if (remote !== undefined && remote !== null && remote !== unknown)
      report(`remoteAccess is set (key ${show(at(remote, "ec2SshKey"))})`);
  },
});

export const subnetNoPublicIp = resourceRule({
  id: "security-subnet-no-public-ip",
  concern: "security",
  family: "network",
  controls: ["FSBP EC2.15"],
  description:
    "No subnet gives instances a public IP on launch: nodes and data stores sit in private subnets, and " +
    "public subnets hold only load balancers and NAT gateways. Fix: set mapPublicIpOnLaunch: false.",
  types: [t.subnet],
  check: ({ props }, _config, report) => {
    if (props.mapPublicIpOnLaunch === true) report("mapPublicIpOnLaunch is true");
  },
});

const secretReads = ["get", "list", "watch"];

export const rbacLeastPrivilege = resourceRule({
  id: "kubernetes-rbac-least-privilege",
  concern: "kubernetes",
  family: "Kubernetes",
  controls: ["CIS Kubernetes 5.1.2 (access to secrets)", "CIS Kubernetes 5.1.3 (wildcards in roles)"],
  description:
    "Roles and ClusterRoles name what they grant: no * in apiGroups, resources or verbs (it also grants whatever " +
    "the API adds later), and no get, list or watch of Secrets, which hands over every credential of the " +
    "namespace. Fix: list the API groups, resources (with resourceNames where one object is meant) and verbs " +
    "the subject needs; give a pod the secret it needs as a mounted volume instead.",
  types: [
    "kubernetes:rbac.authorization.k8s.io/v1:Role",
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
  ],
  check: ({ props }, _config, report) => {
    const rules = items(props.rules);
    if (rules === unknown) return;
    rules.forEach((rule, i) => {
      for (const field of ["apiGroups", "resources", "verbs"])
        if (knownStrings(at(rule, field)).includes("*")) report(`rules[${i}].${field} holds "*"`);
      const reads = knownStrings(at(rule, "verbs")).filter((verb) => secretReads.includes(verb));
      if (knownStrings(at(rule, "resources")).includes("secrets") && reads.length > 0)
        report(`rules[${i}] may ${reads.join(", ")} secrets`);
    });
  },
});

export const kubernetesHardeningRules: Rule[] = [
  dropAllCapabilities,
  seccompRuntimeDefault,
  serviceAccountToken,
  namespaceRestricted,
  defaultDenyNetworkPolicy,
  serviceNotExposed,
  ecrImmutableAndScanned,
  noNodeRemoteAccess,
  subnetNoPublicIp,
  rbacLeastPrivilege,
];
