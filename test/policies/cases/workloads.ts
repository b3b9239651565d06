import type { WireResource } from "../../../tools/policy/wire";
import { res, unknown } from "../fixtures";

/** A container that meets every Kubernetes rule; cases change one thing about it. */
export const goodContainer = {
  name: "api",
  image: "123456789012.dkr.ecr.ap-southeast-1.amazonaws.com/crest-app:1.4.2",
  resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } },
  securityContext: {
    runAsNonRoot: true,
    runAsUser: 10001,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  },
  readinessProbe: { httpGet: { path: "/health/ready", port: 8080 } },
  livenessProbe: { httpGet: { path: "/health/live", port: 8080 } },
};

export interface WorkloadShape {
  readonly container?: Record<string, unknown>;
  readonly pod?: Record<string, unknown>;
  readonly replicas?: number | string | undefined;
}

function podTemplate(name: string, shape: WorkloadShape) {
  return {
    metadata: { labels: { app: name } },
    spec: {
      automountServiceAccountToken: false,
      containers: [{ ...goodContainer, ...shape.container }],
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: "topology.kubernetes.io/zone",
          whenUnsatisfiable: "ScheduleAnyway",
          labelSelector: { matchLabels: { app: name } },
        },
      ],
      ...shape.pod,
    },
  };
}

export function deployment(name: string, shape: WorkloadShape = {}): WireResource {
  const replicas = "replicas" in shape ? shape.replicas : 3;
  return res("kubernetes:apps/v1:Deployment", name, {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "crest" },
    spec: {
      ...(replicas === undefined ? {} : { replicas }),
      selector: { matchLabels: { app: name } },
      template: podTemplate(name, shape),
    },
  });
}

export function cronJob(name: string, shape: WorkloadShape = {}): WireResource {
  return res("kubernetes:batch/v1:CronJob", name, {
    metadata: { name, namespace: "crest" },
    spec: { schedule: "*/5 * * * *", jobTemplate: { spec: { template: podTemplate(name, shape) } } },
  });
}

/** An HPA scaling `target`, its name taken from the Deployment's output as a program would. */
export function hpa(
  target: WireResource,
  minReplicas: number | undefined,
  maxReplicas: number,
): WireResource {
  return res(
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    `${target.name}-hpa`,
    {
      metadata: { namespace: "crest" },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: unknown },
        ...(minReplicas === undefined ? {} : { minReplicas }),
        maxReplicas,
      },
    },
    { deps: { spec: [target] } },
  );
}

export function pdb(name: string, spec: Record<string, unknown>): WireResource {
  return res("kubernetes:policy/v1:PodDisruptionBudget", `${name}-pdb`, {
    metadata: { namespace: "crest" },
    spec: { selector: { matchLabels: { app: name } }, ...spec },
  });
}
