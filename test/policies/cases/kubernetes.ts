import type { RuleCase } from "./ruleCase";
import { cronJob, deployment, goodContainer } from "./workloads";

const context = (patch: Record<string, unknown>) => ({
  securityContext: { ...goodContainer.securityContext, ...patch },
});

export const kubernetesCases: RuleCase[] = [
  {
    rule: "kubernetes-run-as-non-root",
    failing: [
      {
        fixture: [deployment("api", { container: context({ runAsNonRoot: undefined }) })],
        finding: /runAsNonRoot is not set/,
      },
      { fixture: [cronJob("sweep", { container: context({ runAsUser: 0 }) })], finding: /runs as user 0/ },
    ],
    // The pod's security context applies to containers that set none themselves.
    passing: [
      [
        deployment("api", {
          container: { securityContext: { readOnlyRootFilesystem: true } },
          pod: { securityContext: { runAsNonRoot: true, runAsUser: 10001 } },
        }),
      ],
    ],
  },
  {
    rule: "kubernetes-read-only-root-fs",
    failing: [
      {
        fixture: [deployment("api", { container: context({ readOnlyRootFilesystem: false }) })],
        finding: /readOnlyRootFilesystem is false/,
      },
    ],
    passing: [[deployment("api")]],
  },
  {
    rule: "kubernetes-resources",
    failing: [
      {
        fixture: [deployment("api", { container: { resources: { requests: { cpu: "250m" } } } })],
        finding: /no resources.requests.memory, resources.limits.memory, resources.limits.cpu/,
      },
      {
        fixture: [deployment("api", { container: { resources: undefined } })],
        finding: /no resources.requests.cpu/,
      },
    ],
    passing: [[deployment("api")]],
  },
  {
    rule: "kubernetes-image-pinned",
    failing: [
      { fixture: [deployment("api", { container: { image: "crest-app:latest" } })], finding: /uses :latest/ },
      {
        fixture: [deployment("api", { container: { image: "registry.local:5000/crest-app" } })],
        finding: /has no tag/,
      },
    ],
    passing: [
      [deployment("api")],
      [deployment("api", { container: { image: "crest-app@sha256:0123456789abcdef" } })],
    ],
  },
  {
    rule: "kubernetes-no-privileged",
    failing: [
      {
        fixture: [deployment("api", { container: context({ privileged: true }) })],
        finding: /is privileged/,
      },
      {
        fixture: [deployment("api", { container: context({ allowPrivilegeEscalation: undefined }) })],
        finding: /allowPrivilegeEscalation is not set/,
      },
      {
        fixture: [deployment("api", { container: context({ capabilities: { add: ["SYS_ADMIN"] } }) })],
        finding: /adds SYS_ADMIN/,
      },
    ],
    passing: [
      [
        deployment("api", {
          container: context({ capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } }),
        }),
      ],
    ],
  },
  {
    rule: "kubernetes-no-host-namespaces",
    failing: [
      { fixture: [deployment("api", { pod: { hostNetwork: true } })], finding: /hostNetwork is true/ },
      {
        fixture: [
          deployment("api", {
            pod: { volumes: [{ name: "docker", hostPath: { path: "/var/run/docker.sock" } }] },
          }),
        ],
        finding: /volume "docker" mounts a hostPath/,
      },
      {
        fixture: [deployment("api", { container: { ports: [{ containerPort: 8080, hostPort: 8080 }] } })],
        finding: /containers\[0\] \(api\) binds hostPort 8080/,
      },
    ],
    passing: [
      [deployment("api", { pod: { hostNetwork: false, volumes: [{ name: "tmp", emptyDir: {} }] } })],
      [deployment("api", { container: { ports: [{ containerPort: 8080 }] } })],
    ],
  },
];
