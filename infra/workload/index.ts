import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { serviceSettingsSchema } from "../../app/src/contract/runtimeConfig";
import { assertValidArgs } from "../lib/problems";
import { type WorkloadArgs, type WorkloadMode, workloadArgsProblems, workloadSizingSchema } from "./args";
import { appImage, repositoryNameProblems } from "./image";
import {
  appContainer,
  appPodSpec,
  configFileName,
  objectLabels,
  type PodParts,
  probes,
  selectorLabels,
  topologySpread,
} from "./pods";
import { runtimeConfigFile, type SecretMount, secretMounts } from "./runtimeConfigFile";
import { autoscalerSpec, consumerLagMetric, disruptionBudgetSpec } from "./scaling";
import { shortHash, smokeJob } from "./smoke";

export * from "./args";
export { repositoryNameProblems } from "./image";
export { contentTag } from "./imageTag";

const token = "crest:compute:Workload";
const commonLabels = { "app.kubernetes.io/part-of": "crest", "app.kubernetes.io/managed-by": "pulumi" };
/** The API Service's port; the pods listen on the app's `httpPort`. */
const servicePort = 80;
/** Seconds between the app's own shutdown deadline and Kubernetes' SIGKILL. */
const killMarginSeconds = 5;

/** Metadata of an object in the component's namespace (and so created after it). */
type InNamespace = (
  objectName: pulumi.Input<string>,
  labels: Record<string, string>,
) => k8s.types.input.meta.v1.ObjectMeta;

/**
 * The app on the cluster: its image built from source into an encrypted ECR repository with immutable
 * tags; a restricted namespace; the API and the order worker as Deployments that the HPAs size, spread
 * over zones, with probes, limits and no privileges; the RuntimeConfig as an immutable ConfigMap and
 * secrets as files from Secrets Manager (each mode's service account has its own IAM role); the API
 * behind a Service that an ALB target group reaches through a TargetGroupBinding; PDBs; network
 * policies; and a smoke Job that gates every deploy (see smoke.ts).
 */
export class Workload extends pulumi.ComponentResource {
  public readonly repositoryUrl: string;
  /** Content tag of the image this deploy ships; the pods pin its digest. */
  public readonly imageTag: string;
  public readonly imageRef: pulumi.Output<string>;
  public readonly namespace: string;
  /** The API's in-cluster URL. */
  public readonly apiServiceUrl: string;
  public readonly configMapName: pulumi.Output<string>;
  public readonly smokeJobName: pulumi.Output<string>;

  constructor(name: string, args: WorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    super(token, name, {}, opts);
    assertValidArgs(token, name, [...repositoryNameProblems(name), ...workloadArgsProblems(args)]);
    const service = serviceSettingsSchema.parse(args.service ?? {});
    const sizing = workloadSizingSchema.parse({ api: args.api, worker: args.worker });
    const k8sOpts = { parent: this, provider: args.kubernetesProvider };
    const namespace = args.namespace ?? "crest";
    const port = service.httpPort;
    const mounts = secretMounts(args.secrets);

    const image = appImage(name, args, this);
    this.repositoryUrl = image.repositoryUrl;
    this.imageTag = image.tag;
    this.imageRef = image.ref;

    const ns = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      {
        metadata: {
          name: namespace,
          labels: {
            ...commonLabels,
            "pod-security.kubernetes.io/enforce": "restricted",
            "pod-security.kubernetes.io/enforce-version": "latest",
            "pod-security.kubernetes.io/audit": "restricted",
            "pod-security.kubernetes.io/warn": "restricted",
            // A new API pod is Ready only once the ALB finds it healthy, so rollouts never empty the target group.
            "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled",
          },
        },
      },
      // Every other object lives in this namespace, so all of them wait for the add-ons too.
      { ...k8sOpts, dependsOn: [...(args.clusterAddons ?? [])] },
    );
    const inNamespace: InNamespace = (objectName, labels) => ({
      name: objectName,
      namespace: ns.metadata.name,
      labels,
    });

    const configJson = pulumi
      .all([args.runtimeConfig, pulumi.all(mounts.api.map((m) => m.arn))])
      .apply(([config, arns]) =>
        runtimeConfigFile(
          config,
          service,
          mounts.api.map((m, i) => ({ name: m.name, arn: arns[i] as string })),
        ),
      );
    const configMap = new k8s.core.v1.ConfigMap(
      `${name}-runtime-config`,
      {
        // Named by content: a new config is a new ConfigMap, so the Deployments roll to pick it up.
        metadata: inNamespace(
          configJson.apply((json) => `runtime-config-${shortHash(json)}`),
          commonLabels,
        ),
        immutable: true,
        data: { [configFileName]: configJson },
      },
      k8sOpts,
    );
    this.configMapName = configMap.metadata.name;

    const parts = (mode: WorkloadMode): PodParts => {
      const secretClass = this.secretProviderClass(
        name,
        mode,
        mounts[mode],
        args.region,
        inNamespace,
        k8sOpts,
      );
      const account = new k8s.core.v1.ServiceAccount(
        `${name}-${mode}`,
        {
          metadata: {
            ...inNamespace(mode, objectLabels(mode)),
            annotations: {
              "eks.amazonaws.com/role-arn": args.serviceAccountRoleArn({
                mode,
                namespace,
                serviceAccountName: mode,
                secretArns: mounts[mode].map((m) => m.arn),
              }),
            },
          },
          automountServiceAccountToken: false,
        },
        k8sOpts,
      );
      return {
        image: this.imageRef,
        serviceAccountName: account.metadata.name,
        configMapName: configMap.metadata.name,
        secretProviderClassName: secretClass.metadata.name,
        architecture: args.image.platform === "linux/amd64" ? "amd64" : "arm64",
      };
    };
    const podParts = { api: parts("api"), worker: parts("worker"), smoke: parts("smoke") };

    const apiService = new k8s.core.v1.Service(
      `${name}-api`,
      {
        metadata: inNamespace("api", objectLabels("api")),
        spec: {
          type: "ClusterIP",
          selector: selectorLabels("api"),
          ports: [{ name: "http", port: servicePort, targetPort: "http", protocol: "TCP" }],
        },
      },
      k8sOpts,
    );
    this.apiServiceUrl = `http://api.${namespace}.svc.cluster.local`;
    // The ALB is declared in Pulumi (where policies review it); the controller only registers pod IPs.
    const binding = new k8s.apiextensions.CustomResource(
      `${name}-api`,
      {
        apiVersion: "elbv2.k8s.aws/v1beta1",
        kind: "TargetGroupBinding",
        metadata: inNamespace("api", objectLabels("api")),
        spec: {
          serviceRef: { name: apiService.metadata.name, port: servicePort },
          targetGroupARN: args.targetGroupArn,
          targetType: "ip",
        },
      },
      k8sOpts,
    );

    const preStop = args.preStopSleepSeconds ?? 30;
    const api = this.deployment(
      name,
      "api",
      podParts.api,
      inNamespace,
      {
        ...k8sOpts,
        // Pods must be created after the binding, or the controller's readiness gate is not injected.
        dependsOn: [binding],
      },
      {
        terminationGracePeriodSeconds: preStop + service.shutdownGraceSeconds + killMarginSeconds,
        topologySpreadConstraints: topologySpread("api", args.availabilityZones.length, true),
        containers: [
          appContainer(podParts.api, {
            name: "api",
            mode: "api",
            resources: sizing.api,
            extra: {
              ports: [{ name: "http", containerPort: port, protocol: "TCP" }],
              ...probes(port, 60),
              // Kubernetes' own sleep: the image needs no shell. The ALB stops sending before SIGTERM.
              ...(preStop > 0 ? { lifecycle: { preStop: { sleep: { seconds: preStop } } } } : {}),
            },
          }),
        ],
      },
    );
    const worker = this.deployment(name, "worker", podParts.worker, inNamespace, k8sOpts, {
      terminationGracePeriodSeconds: service.shutdownGraceSeconds + killMarginSeconds,
      topologySpreadConstraints: topologySpread("worker", args.availabilityZones.length, false),
      containers: [
        appContainer(podParts.worker, {
          name: "worker",
          mode: "worker",
          resources: sizing.worker,
          // The worker migrates the shard schemas before it serves its probes: a longer start window.
          extra: { ports: [{ name: "http", containerPort: port, protocol: "TCP" }], ...probes(port, 180) },
        }),
      ],
    });

    for (const [mode, deployment, size, extra] of [
      ["api", api, sizing.api, []],
      [
        "worker",
        worker,
        sizing.worker,
        sizing.worker.consumerLagPerPod === undefined
          ? []
          : [consumerLagMetric(sizing.worker.consumerLagPerPod)],
      ],
    ] as const) {
      new k8s.autoscaling.v2.HorizontalPodAutoscaler(
        `${name}-${mode}`,
        {
          metadata: inNamespace(mode, objectLabels(mode)),
          spec: autoscalerSpec(deployment.metadata.name, size, extra),
        },
        k8sOpts,
      );
      new k8s.policy.v1.PodDisruptionBudget(
        `${name}-${mode}`,
        { metadata: inNamespace(mode, objectLabels(mode)), spec: disruptionBudgetSpec(mode) },
        k8sOpts,
      );
    }
    const policies = this.networkPolicies(name, args, port, inNamespace, k8sOpts);

    const smoke = smokeJob(
      `${name}-smoke`,
      {
        namespace: ns.metadata.name,
        parts: podParts.smoke,
        serviceUrl: this.apiServiceUrl,
        cdnUrl: args.cdnUrl,
        imageRef: this.imageRef,
        configJson,
        timeoutSeconds: args.smokeTimeoutSeconds ?? 600,
      },
      // Pulumi awaits both rollouts (and the API pods' ALB health) first; the policies are in force.
      { ...k8sOpts, dependsOn: [api, worker, binding, ...policies, ...(args.smokeDependsOn ?? [])] },
    );
    this.smokeJobName = smoke.metadata.name;

    this.namespace = namespace;
    this.registerOutputs({
      repositoryUrl: this.repositoryUrl,
      imageTag: this.imageTag,
      imageRef: this.imageRef,
      namespace: this.namespace,
      apiServiceUrl: this.apiServiceUrl,
      configMapName: this.configMapName,
      smokeJobName: this.smokeJobName,
    });
  }

  /** The secrets one mode mounts, from Secrets Manager through the CSI driver's AWS provider. */
  private secretProviderClass(
    name: string,
    mode: WorkloadMode,
    mounts: readonly SecretMount[],
    region: string,
    inNamespace: InNamespace,
    opts: pulumi.CustomResourceOptions,
  ): k8s.apiextensions.CustomResource {
    return new k8s.apiextensions.CustomResource(
      `${name}-${mode}-secrets`,
      {
        apiVersion: "secrets-store.csi.x-k8s.io/v1",
        kind: "SecretProviderClass",
        metadata: inNamespace(`${mode}-secrets`, objectLabels(mode)),
        spec: {
          provider: "aws",
          parameters: {
            region,
            objects: pulumi
              .all(mounts.map((m) => m.arn))
              .apply((arns) =>
                stringify(arns.map((arn, i) => ({ objectName: arn, objectAlias: mounts[i]?.name }))),
              ),
          },
        },
      },
      opts,
    );
  }

  private deployment(
    name: string,
    mode: "api" | "worker",
    parts: PodParts,
    inNamespace: InNamespace,
    opts: pulumi.CustomResourceOptions,
    pod: Omit<k8s.types.input.core.v1.PodSpec, "volumes" | "serviceAccountName">,
  ): k8s.apps.v1.Deployment {
    return new k8s.apps.v1.Deployment(
      `${name}-${mode}`,
      {
        metadata: inNamespace(mode, objectLabels(mode)),
        spec: {
          // No `replicas`: the HPA owns it, so a deploy never scales a busy fleet back to the minimum.
          selector: { matchLabels: selectorLabels(mode) },
          strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } },
          template: { metadata: { labels: objectLabels(mode) }, spec: appPodSpec(parts, pod) },
        },
      },
      opts,
    );
  }

  /**
   * Nothing may connect to a pod unless a rule says so: the API port from the VPC (the ALB's nodes,
   * kubelet probes) and from the smoke Job; the worker's probe port from the VPC. Pods may reach DNS,
   * the data stores' ports inside the VPC, HTTPS anywhere (WeChat, the CDN) and the API pods.
   */
  private networkPolicies(
    name: string,
    args: WorkloadArgs,
    port: number,
    inNamespace: InNamespace,
    opts: pulumi.CustomResourceOptions,
  ): k8s.networking.v1.NetworkPolicy[] {
    const tcp = (p: number) => ({ protocol: "TCP", port: p });
    const fromVpc = { ipBlock: { cidr: args.vpcCidr } };
    const policy = (policyName: string, spec: k8s.types.input.networking.v1.NetworkPolicySpec) =>
      new k8s.networking.v1.NetworkPolicy(
        `${name}-${policyName}`,
        { metadata: inNamespace(policyName, commonLabels), spec },
        opts,
      );
    return [
      policy("default-deny-ingress", { podSelector: {}, policyTypes: ["Ingress"] }),
      policy("api-ingress", {
        podSelector: { matchLabels: selectorLabels("api") },
        policyTypes: ["Ingress"],
        ingress: [
          { from: [fromVpc, { podSelector: { matchLabels: selectorLabels("smoke") } }], ports: [tcp(port)] },
        ],
      }),
      policy("worker-ingress", {
        podSelector: { matchLabels: selectorLabels("worker") },
        policyTypes: ["Ingress"],
        ingress: [{ from: [fromVpc], ports: [tcp(port)] }],
      }),
      policy("egress", {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
              },
            ],
            ports: [{ protocol: "UDP", port: 53 }, tcp(53)],
          },
          { to: [fromVpc], ports: args.dataStorePorts.map(tcp) },
          { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [tcp(443)] },
          { to: [{ podSelector: { matchLabels: selectorLabels("api") } }], ports: [tcp(port)] },
        ],
      }),
    ];
  }
}
