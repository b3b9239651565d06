import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { images } from "../lib/pins";
import { restrictedContainerSecurity } from "../lib/podSecurity";
import type { SaleWindow } from "./args";

const token = "crest:capacity:PreScale";

/** The distroless image's non-root user: a fixed id, so runAsNonRoot is checkable before the pull. */
const nonRootUid = 65532;
/** Where kubectl's in-cluster config reads the token, CA and namespace from. */
const serviceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";
/** The shortest lifetime the API server issues a projected token for; the Job is done in seconds. */
const tokenSeconds = 600;

export interface PreScaleArgs {
  /** Namespace of the HorizontalPodAutoscaler; the pre-scale's objects live beside it. */
  readonly namespace: pulumi.Input<string>;
  /** Name of the HorizontalPodAutoscaler whose minReplicas the window raises. */
  readonly autoscalerName: string;
  /** minReplicas held through the sale window (the least that keeps up with the ramp). */
  readonly preScaleMinReplicas: number;
  /** minReplicas after the window: the stack's configured minimum. */
  readonly restoreMinReplicas: number;
  /** When the window opens and closes (cron schedules in a time zone). */
  readonly window: SaleWindow;
  readonly kubernetesProvider: pulumi.ProviderResource;
  /**
   * kubectl image the CronJobs run.
   * @default the pinned registry.k8s.io/kubectl (infra/lib/pins.ts)
   */
  readonly image?: string;
}

/**
 * A scheduled pre-scale before a declared sale window: one CronJob raises the API HPA's minReplicas
 * before the sale, another restores it after, so the pods are Ready when the ramp starts rather than
 * minutes into it. A service account bound to a Role that may only get and patch that one HPA; the
 * API token is mounted explicitly, short-lived, into these pods only; the pods run restricted.
 */
export class PreScale extends pulumi.ComponentResource {
  public readonly cronJobNames: pulumi.Output<string>[];

  constructor(name: string, args: PreScaleArgs, opts?: pulumi.ComponentResourceOptions) {
    super(token, name, {}, opts);
    const k8sOpts = { parent: this, provider: args.kubernetesProvider };
    const labels = {
      "app.kubernetes.io/name": "crest",
      "app.kubernetes.io/component": "pre-scale",
      "app.kubernetes.io/part-of": "crest",
      "app.kubernetes.io/managed-by": "pulumi",
    };
    const metadata = (objectName: string) => ({ name: objectName, namespace: args.namespace, labels });

    const account = new k8s.core.v1.ServiceAccount(
      `${name}-account`,
      { metadata: metadata("pre-scale"), automountServiceAccountToken: false },
      k8sOpts,
    );
    const role = new k8s.rbac.v1.Role(
      `${name}-role`,
      {
        metadata: metadata("pre-scale"),
        rules: [
          {
            apiGroups: ["autoscaling"],
            resources: ["horizontalpodautoscalers"],
            resourceNames: [args.autoscalerName],
            verbs: ["get", "patch"],
          },
        ],
      },
      k8sOpts,
    );
    const binding = new k8s.rbac.v1.RoleBinding(
      `${name}-binding`,
      {
        metadata: metadata("pre-scale"),
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
        subjects: [{ kind: "ServiceAccount", name: account.metadata.name, namespace: args.namespace }],
      },
      k8sOpts,
    );

    const cronJob = (jobName: string, schedule: string, minReplicas: number, deadlineSeconds: number) =>
      new k8s.batch.v1.CronJob(
        `${name}-${jobName}`,
        {
          metadata: metadata(jobName),
          spec: {
            schedule,
            timeZone: args.window.timeZone,
            concurrencyPolicy: "Forbid",
            startingDeadlineSeconds: deadlineSeconds,
            successfulJobsHistoryLimit: 1,
            failedJobsHistoryLimit: 3,
            jobTemplate: {
              spec: {
                backoffLimit: 3,
                activeDeadlineSeconds: 300,
                ttlSecondsAfterFinished: 86_400,
                template: {
                  metadata: { labels },
                  spec: this.podSpec(args, account.metadata.name, minReplicas),
                },
              },
            },
          },
        },
        { ...k8sOpts, dependsOn: [binding] },
      );
    const jobs = [
      // Late is still worth it until the sale is well under way; after that the HPA has caught up.
      cronJob("pre-scale", args.window.preScaleSchedule, args.preScaleMinReplicas, 600),
      // A missed restore keeps paying for the pre-scale: retry it for hours.
      cronJob("restore", args.window.restoreSchedule, args.restoreMinReplicas, 6 * 3600),
    ];
    this.cronJobNames = jobs.map((job) => job.metadata.name);
    this.registerOutputs({ cronJobNames: this.cronJobNames });
  }

  private podSpec(
    args: PreScaleArgs,
    serviceAccountName: pulumi.Input<string>,
    minReplicas: number,
  ): k8s.types.input.core.v1.PodSpec {
    return {
      serviceAccountName,
      // The token is mounted below, short-lived and only here: never by default.
      automountServiceAccountToken: false,
      restartPolicy: "Never",
      securityContext: {
        runAsNonRoot: true,
        runAsUser: nonRootUid,
        runAsGroup: nonRootUid,
        seccompProfile: { type: "RuntimeDefault" },
      },
      containers: [
        {
          name: "kubectl",
          image: args.image ?? images.kubectl.value,
          args: [
            "patch",
            "horizontalpodautoscaler",
            args.autoscalerName,
            "--type=merge",
            // The root filesystem is read-only: kubectl's discovery cache goes to the scratch volume.
            "--cache-dir=/tmp/kube-cache",
            `--patch=${JSON.stringify({ spec: { minReplicas } })}`,
          ],
          resources: {
            requests: { cpu: "50m", memory: "64Mi" },
            limits: { cpu: "200m", memory: "128Mi" },
          },
          securityContext: restrictedContainerSecurity(nonRootUid),
          volumeMounts: [
            { name: "api-token", mountPath: serviceAccountDir, readOnly: true },
            { name: "tmp", mountPath: "/tmp" },
          ],
        },
      ],
      volumes: [
        { name: "tmp", emptyDir: { sizeLimit: "16Mi" } },
        {
          name: "api-token",
          projected: {
            sources: [
              { serviceAccountToken: { path: "token", expirationSeconds: tokenSeconds } },
              { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
              {
                downwardAPI: {
                  items: [{ path: "namespace", fieldRef: { fieldPath: "metadata.namespace" } }],
                },
              },
            ],
          },
        },
      ],
    };
  }
}
