import { res, unknown } from "../fixtures";
import type { RuleCase } from "./ruleCase";
import { deployment, goodContainer } from "./workloads";

const context = (patch: Record<string, unknown>) => ({
  securityContext: { ...goodContainer.securityContext, ...patch },
});
const serviceAccount = (name: string, props: Record<string, unknown>) =>
  res("kubernetes:core/v1:ServiceAccount", name, { metadata: { name, namespace: "crest" }, ...props });
const irsa = {
  annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::111111111111:role/crest-prod-api" },
};
const tokenMounting = (serviceAccountName: string) =>
  deployment("api", { pod: { automountServiceAccountToken: undefined, serviceAccountName } });

const networkPolicy = (name: string, spec: Record<string, unknown>, namespace = "crest") =>
  res("kubernetes:networking.k8s.io/v1:NetworkPolicy", name, { metadata: { name, namespace }, spec });
const denyIngress = networkPolicy("default-deny-ingress", { podSelector: {}, policyTypes: ["Ingress"] });
const egress = networkPolicy("egress", {
  podSelector: {},
  policyTypes: ["Egress"],
  egress: [{ ports: [{ port: 53, protocol: "UDP" }] }],
});

const role = (rules: unknown[], kind: "Role" | "ClusterRole" = "Role") =>
  res(`kubernetes:rbac.authorization.k8s.io/v1:${kind}`, "pre-scale", {
    metadata: { name: "pre-scale", namespace: "crest" },
    rules,
  });
const scaleApi = {
  apiGroups: ["autoscaling"],
  resources: ["horizontalpodautoscalers"],
  resourceNames: ["api"],
  verbs: ["get", "patch"],
};

export const kubernetesHardeningCases: RuleCase[] = [
  {
    rule: "kubernetes-rbac-least-privilege",
    failing: [
      {
        fixture: [role([scaleApi, { apiGroups: ["*"], resources: ["*"], verbs: ["*"] }], "ClusterRole")],
        finding: /rules\[1\]\.apiGroups holds "\*"/,
      },
      {
        fixture: [
          role([{ apiGroups: [""], resources: ["configmaps", "secrets"], verbs: ["get", "list", "patch"] }]),
        ],
        finding: /rules\[0\] may get, list secrets/,
      },
      { fixture: [role([{ ...scaleApi, verbs: ["*"] }])], finding: /rules\[0\]\.verbs holds "\*"/ },
    ],
    passing: [
      [role([scaleApi])],
      // Writing a secret (a controller that creates one) reads none of the others.
      [role([{ apiGroups: [""], resources: ["secrets"], verbs: ["create"] }])],
      [role([{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] }])],
    ],
  },
  {
    rule: "kubernetes-drop-all-capabilities",
    failing: [
      {
        fixture: [deployment("api", { container: context({ capabilities: { drop: ["NET_RAW"] } }) })],
        finding: /drops \["NET_RAW"\], not ALL/,
      },
      {
        fixture: [deployment("api", { container: context({ capabilities: undefined }) })],
        finding: /drops not set/,
      },
      {
        fixture: [
          deployment("api", { container: context({ capabilities: { drop: ["ALL"], add: ["SYS_ADMIN"] } }) }),
        ],
        finding: /adds SYS_ADMIN/,
      },
    ],
    passing: [
      [deployment("api")],
      [
        deployment("api", {
          container: context({ capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } }),
        }),
      ],
    ],
  },
  {
    rule: "kubernetes-seccomp-runtime-default",
    failing: [
      {
        fixture: [deployment("api", { container: context({ seccompProfile: { type: "Unconfined" } }) })],
        finding: /seccompProfile\.type is "Unconfined"/,
      },
      {
        fixture: [deployment("api", { container: context({ seccompProfile: undefined }) })],
        finding: /is not set/,
      },
      {
        // Refused by the restricted standard although the container's own profile overrides it.
        fixture: [
          deployment("api", { pod: { securityContext: { seccompProfile: { type: "Unconfined" } } } }),
        ],
        finding: /the pod's seccompProfile\.type is "Unconfined"/,
      },
    ],
    // The pod's profile applies to containers that set none.
    passing: [
      [
        deployment("api", {
          container: context({ seccompProfile: undefined }),
          pod: { securityContext: { seccompProfile: { type: "RuntimeDefault" } } },
        }),
      ],
    ],
  },
  {
    rule: "kubernetes-service-account-token",
    failing: [
      {
        fixture: [tokenMounting("api"), serviceAccount("api", {})],
        finding: /mounts the API token of service account api/,
      },
      { fixture: [tokenMounting("default")], finding: /service account default/ },
    ],
    passing: [
      [deployment("api")],
      [tokenMounting("api"), serviceAccount("api", { automountServiceAccountToken: false })],
      [
        tokenMounting("api"),
        {
          ...serviceAccount("api", {}),
          properties: { metadata: { name: "api", namespace: "crest", ...irsa } },
        },
      ],
    ],
  },
  {
    rule: "kubernetes-namespace-restricted",
    failing: [
      {
        fixture: [
          res("kubernetes:core/v1:Namespace", "crest", {
            metadata: { name: "crest", labels: { "pod-security.kubernetes.io/enforce": "baseline" } },
          }),
        ],
        finding: /enforce is "baseline"/,
      },
      {
        fixture: [res("kubernetes:core/v1:Namespace", "crest", { metadata: { name: "crest" } })],
        finding: /not set/,
      },
    ],
    passing: [
      [
        res("kubernetes:core/v1:Namespace", "crest", {
          metadata: { name: "crest", labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
        }),
      ],
    ],
  },
  {
    rule: "kubernetes-default-deny-network-policy",
    failing: [
      { fixture: [deployment("api"), egress], finding: /namespace crest has no default-deny ingress policy/ },
      { fixture: [deployment("api"), denyIngress], finding: /no default-deny egress policy/ },
      {
        // A policy over some pods, or one that allows ingress, is not a default deny.
        fixture: [
          deployment("api"),
          egress,
          networkPolicy("api-ingress", {
            podSelector: { matchLabels: { app: "api" } },
            policyTypes: ["Ingress"],
          }),
          networkPolicy("open", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{}] }),
        ],
        finding: /no default-deny ingress policy/,
      },
      {
        fixture: [
          deployment("api"),
          egress,
          networkPolicy("other", { podSelector: {}, policyTypes: ["Ingress"] }, "other"),
        ],
        finding: /ingress/,
      },
    ],
    passing: [[deployment("api"), denyIngress, egress]],
  },
  {
    rule: "kubernetes-service-not-exposed",
    failing: [
      {
        fixture: [
          res("kubernetes:core/v1:Service", "api", { spec: { type: "LoadBalancer", ports: [{ port: 80 }] } }),
        ],
        finding: /spec\.type is LoadBalancer/,
      },
      {
        fixture: [
          res("kubernetes:core/v1:Service", "api", { spec: { type: "NodePort", ports: [{ port: 80 }] } }),
        ],
        finding: /NodePort/,
      },
    ],
    passing: [
      [res("kubernetes:core/v1:Service", "api", { spec: { type: "ClusterIP", ports: [{ port: 80 }] } })],
    ],
  },
  {
    rule: "security-ecr-immutable-scanned",
    failing: [
      {
        fixture: [
          res("aws:ecr/repository:Repository", "app", {
            name: "app",
            imageScanningConfiguration: { scanOnPush: true },
          }),
        ],
        finding: /imageTagMutability is not set \(ECR defaults to MUTABLE\)/,
      },
      {
        fixture: [
          res("aws:ecr/repository:Repository", "app", {
            imageTagMutability: "IMMUTABLE",
            imageScanningConfiguration: { scanOnPush: false },
          }),
        ],
        finding: /scanOnPush is false/,
      },
    ],
    passing: [
      [
        res("aws:ecr/repository:Repository", "app", {
          imageTagMutability: "IMMUTABLE",
          imageScanningConfiguration: { scanOnPush: true },
        }),
      ],
    ],
  },
  {
    rule: "security-eks-node-no-remote-access",
    failing: [
      {
        fixture: [
          res("aws:eks/nodeGroup:NodeGroup", "nodes", {
            clusterName: unknown,
            remoteAccess: { ec2SshKey: "ops" },
          }),
        ],
        finding: /remoteAccess is set \(key "ops"\)/,
      },
    ],
    passing: [[res("aws:eks/nodeGroup:NodeGroup", "nodes", { clusterName: unknown })]],
  },
  {
    rule: "security-subnet-no-public-ip",
    failing: [
      {
        fixture: [res("aws:ec2/subnet:Subnet", "private-a", { vpcId: unknown, mapPublicIpOnLaunch: true })],
        finding: /mapPublicIpOnLaunch is true/,
      },
    ],
    passing: [[res("aws:ec2/subnet:Subnet", "private-a", { vpcId: unknown, mapPublicIpOnLaunch: false })]],
  },
];
