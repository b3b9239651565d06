import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import ipaddr from "ipaddr.js";
import { z } from "zod";
import { type RuntimeConfigInput, serviceSettingsSchema } from "../../app/src/contract/runtimeConfig";
import { accountIdProblems } from "../lib/placement";
import type { Problem } from "../lib/problems";
import { allowed, integer, integerAtLeast, integerProblems, parseSettings } from "../lib/schema";

/** The three ways the app image runs (`node dist/main.js <mode>`). */
export type WorkloadMode = "api" | "worker" | "smoke";

/** The app image, built from source by Pulumi and pushed to the component's ECR repository. */
export interface WorkloadImageArgs {
  /** Build context, an absolute directory (the repository root for Crest's app). @default none (required) */
  readonly context: string;
  /** Dockerfile, relative to `context`, e.g. `app/Dockerfile`. @default none (required) */
  readonly dockerfile: string;
  /**
   * Files and folders (relative to `context`) the Dockerfile copies. Their bytes, with the
   * Dockerfile's, name the image tag, so a tag never points at two different images (the repository's
   * tags are immutable). `node_modules` and dot-folders inside them are not read. @default none (required)
   */
  readonly sources: readonly string[];
  /** CPU architecture of the image; pods are pinned to nodes of the same one. @default "linux/arm64" */
  readonly platform?: "linux/amd64" | "linux/arm64";
}

const dnsLabel = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const secretArn = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;
const targetGroupArn = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/.+$/;
const cpuQuantity = /^(\d+)m$|^(\d+(?:\.\d{1,3})?)$/;
const memoryQuantity = /^(\d+)(Ki|Mi|Gi)$/;
const memoryUnits = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 } as const;

/** Millicores of a CPU quantity in the forms Crest accepts ("250m", "1", "1.5"); undefined otherwise. */
export function millicores(quantity: string): number | undefined {
  const match = cpuQuantity.exec(quantity);
  if (!match) return undefined;
  return match[1] !== undefined ? Number(match[1]) : Math.round(Number(match[2]) * 1000);
}

/** Bytes of a memory quantity in the forms Crest accepts ("512Mi", "1Gi"); undefined otherwise. */
export function memoryBytes(quantity: string): number | undefined {
  const match = memoryQuantity.exec(quantity);
  if (!match) return undefined;
  return Number(match[1]) * memoryUnits[match[2] as keyof typeof memoryUnits];
}

const cpuForm = 'in cores, e.g. "250m" or "1"';
const memoryForm = 'in Ki, Mi or Gi, e.g. "512Mi"';

/** A Kubernetes quantity in the forms Crest accepts, above 0. */
function quantitySchema(parse: (quantity: string) => number | undefined, form: string) {
  const phrase = allowed(`a quantity above 0 ${form}`);
  return z.string(phrase).refine((quantity) => (parse(quantity) ?? 0) > 0, phrase);
}

/** A request and a limit of one resource; `limit ≥ request` is checked in `deploymentSizeProblems`. */
function resourceSchema(parse: (quantity: string) => number | undefined, form: string) {
  return z.object({
    request: quantitySchema(parse, form).describe("What the scheduler reserves per pod."),
    limit: quantitySchema(parse, form).describe("Most a pod may use (≥ request)."),
  });
}

/**
 * Size and autoscaling of one Deployment: type, limits, description and default (the HPA targets;
 * replicas and resources have none, each tier sets them), once.
 * `maxReplicas ≥ minReplicas` and `limit ≥ request` are checked in `deploymentSizeProblems`.
 */
export const deploymentSizeSchema = z.object({
  minReplicas: integer(1, 1000).describe(
    "Fewest pods the HPA keeps; the Deployment leaves `replicas` to the HPA.",
  ),
  maxReplicas: integer(1, 1000).describe("Most pods the HPA may run (≥ minReplicas)."),
  cpu: resourceSchema(millicores, cpuForm).describe(`CPU of each pod, ${cpuForm}.`),
  memory: resourceSchema(memoryBytes, memoryForm).describe(`Memory of each pod, ${memoryForm}.`),
  targetCpuUtilization: integer(10, 100, "% of the request")
    .describe("Average CPU use, in % of the request, the HPA holds.")
    .default(60),
  targetMemoryUtilization: integer(10, 100, "% of the request")
    .describe("Average memory use, in % of the request, the HPA holds.")
    .default(80),
});

/** The order worker's size, and what bounds it. */
export const workerSizeSchema = deploymentSizeSchema.extend({
  ordersPartitions: integerAtLeast(1, "a positive integer (the orders topic's partitions)")
    .optional()
    .describe(
      "Partitions of the orders topic. A consumer beyond the partition count gets none and idles, so maxReplicas may not exceed it. Default: not checked.",
    ),
  consumerLagPerPod: integer(1, 10_000_000)
    .optional()
    .describe(
      "Average crest_consumer_lag per worker pod the HPA aims for, as a third (Pods) metric. Needs a custom-metrics adapter (prometheus-adapter) serving crest_consumer_lag from the pods' /metrics; without one the HPA still scales on CPU and memory. Default: CPU and memory only.",
    ),
});

/** The sizes of the workload's two Deployments. */
export const workloadSizingSchema = z.object({
  api: deploymentSizeSchema.describe("The API deployment: HPA bounds and pod resources."),
  worker: workerSizeSchema.describe(
    "The order worker: HPA bounds (at most the orders topic's partitions) and pod resources.",
  ),
});

export type DeploymentSizeArgs = Readonly<z.input<typeof deploymentSizeSchema>>;
export type WorkerSizeArgs = Readonly<z.input<typeof workerSizeSchema>>;
export type DeploymentSize = z.output<typeof deploymentSizeSchema>;

/**
 * The mini-program the API signs users in for; WeChat's API is called with the AppSecret, so over
 * HTTPS only. The API base URL's default is the tiers' (stacks/config/tiers.ts).
 */
export const wechatSettingsSchema = z.object({
  appId: z
    .string(allowed('a mini-program AppID such as "wx0123456789abcdef"'))
    .regex(/^wx[0-9a-f]{16}$/, allowed('a mini-program AppID: "wx" and 16 hex digits'))
    .describe(
      "The mini-program's AppID. Its AppSecret never enters config: put it into the Secrets Manager secret the stack outputs as wechatAppSecretArn.",
    ),
  apiBaseUrl: z
    .string(allowed("an https:// URL"))
    .refine((url) => {
      const parsed = URL.parse(url);
      return parsed?.protocol === "https:" && parsed.username === "" && parsed.password === "";
    }, allowed('an https:// URL without credentials, e.g. "https://api.weixin.qq.com"'))
    .describe("WeChat's API base URL for code-to-session (a mainland or overseas endpoint)."),
});

/** Secrets Manager ARNs of every secret the app reads, named as in app/src/contract/secretNames.ts. */
export interface WorkloadSecretArns {
  /** Master credentials of each MySQL shard, indexed by shard id. @default none (required) */
  readonly mysqlShards: readonly pulumi.Input<string>[];
  /** Valkey/Redis AUTH token. @default none (required) */
  readonly redisAuth: pulumi.Input<string>;
  /** Kafka SASL/SCRAM credentials. @default none (required) */
  readonly kafkaScram: pulumi.Input<string>;
  /** The mini-program's WeChat AppSecret. @default none (required) */
  readonly wechatAppSecret: pulumi.Input<string>;
  /** HMAC key that signs session tokens. @default none (required) */
  readonly sessionSigningKey: pulumi.Input<string>;
}

/** A Kubernetes service account that needs an IAM role (IRSA) to mount its pods' secrets. */
export interface WorkloadIdentity {
  readonly mode: WorkloadMode;
  /** With `serviceAccountName`, the trust condition's subject `system:serviceaccount:<namespace>:<name>`. */
  readonly namespace: string;
  readonly serviceAccountName: string;
  /**
   * The secrets this account's pods mount, and nothing more: the role needs
   * `secretsmanager:GetSecretValue` and `secretsmanager:DescribeSecret` on exactly these ARNs, and
   * `kms:Decrypt` on the keys that encrypt them.
   */
  readonly secretArns: readonly pulumi.Input<string>[];
}

/** The RuntimeConfig without its `service` section, which the component owns (see `service`). */
export type RuntimeConfigSource = Omit<RuntimeConfigInput, "service">;
export type ServiceSettingsInput = z.input<typeof serviceSettingsSchema>;

export interface WorkloadArgs {
  /** Account of the image repository; scopes its key policy and names the registry. @default none (required) */
  readonly accountId: string;
  /** Region of the repository, the cluster and the secrets. @default none (required) */
  readonly region: string;
  /** Provider of the cluster the workload runs on. @default none (required) */
  readonly kubernetesProvider: k8s.Provider;
  /** Namespace the component creates and owns. @default "crest" */
  readonly namespace?: string;
  /** Where the app image is built from. @default none (required) */
  readonly image: WorkloadImageArgs;
  /** The app's RuntimeConfig (data-tier endpoints, topics, buckets, secret ARNs). @default none (required) */
  readonly runtimeConfig: pulumi.Input<RuntimeConfigSource>;
  /**
   * The RuntimeConfig's `service` section. Plain values: ports, probes and grace periods follow
   * from it. @default {} (the app's defaults: port appHttpPort, 25 s shutdown grace, 5 s drain delay)
   */
  readonly service?: ServiceSettingsInput;
  /** The secrets the pods mount as files; must be the ARNs the RuntimeConfig names. @default none (required) */
  readonly secrets: WorkloadSecretArns;
  /**
   * Returns the ARN of the IAM role one service account assumes (IRSA); called once per mode.
   * @default none (required)
   */
  readonly serviceAccountRoleArn: (identity: WorkloadIdentity) => pulumi.Input<string>;
  /** The API Deployment's size and autoscaling. @default none (required) */
  readonly api: DeploymentSizeArgs;
  /** The order worker Deployment's size and autoscaling. @default none (required) */
  readonly worker: WorkerSizeArgs;
  /** AZs the cluster's nodes span; the API spreads over all of them. @default none (required) */
  readonly availabilityZones: readonly string[];
  /** VPC CIDR: the ALB and kubelet probes come from it, and the data stores live in it. @default none (required) */
  readonly vpcCidr: string;
  /** TCP ports of the data stores the pods may connect to (MySQL, Redis, Kafka). @default none (required) */
  readonly dataStorePorts: readonly number[];
  /** ARN of the ALB target group (target type `ip`) that receives the API pods. @default none (required) */
  readonly targetGroupArn: pulumi.Input<string>;
  /** Public HTTPS URL of the CDN in front of the API; the smoke test runs against it too. @default none (required) */
  readonly cdnUrl: pulumi.Input<string>;
  /**
   * Cluster add-ons the workload needs running first: the load balancer controller (which serves the
   * TargetGroupBinding kind and injects readiness gates) and the Secrets Store CSI driver and its AWS
   * provider (SecretProviderClass, secret volumes). The namespace, and so every object in it, waits
   * for them. @default []
   */
  readonly clusterAddons?: readonly pulumi.Resource[];
  /** Resources the smoke test must wait for besides the workload, e.g. the CDN distribution. @default [] */
  readonly smokeDependsOn?: readonly pulumi.Resource[];
  /** Deadline of the smoke Job, in seconds; past it the Job fails, and so does `pulumi up`. @default 600 */
  readonly smokeTimeoutSeconds?: number;
  /**
   * Seconds an API pod keeps serving after it is told to stop, while the ALB deregisters it; at least
   * the target group's deregistration delay. @default 30 (the load balancer's default delay)
   */
  readonly preStopSleepSeconds?: number;
  /** Images the repository keeps (older ones expire), enough to roll back. @default 50 */
  readonly keepImages?: number;
  /** Pulumi `protect` on the image repository, and no force-delete of its images. @default true */
  readonly protect?: boolean;
}

/** A plain string must match; an Output is checked by the service that receives it. */
function patternProblem(
  path: string,
  value: pulumi.Input<string>,
  pattern: RegExp,
  allowed: string,
): Problem[] {
  return typeof value === "string" && !pattern.test(value) ? [{ path, value, allowed }] : [];
}

/** `limit ≥ request`, when both parse; a bad quantity is reported by the schema. */
function limitProblems(
  path: string,
  pair: { readonly request: string; readonly limit: string },
  parse: (quantity: string) => number | undefined,
): Problem[] {
  const request = parse(pair.request) ?? 0;
  const limit = parse(pair.limit) ?? 0;
  return request > 0 && limit > 0 && limit < request
    ? [{ path: `${path}.limit`, value: pair.limit, allowed: `at least the request (${pair.request})` }]
    : [];
}

/** What one Deployment's fields demand of each other; each field's own limits are the schema's. */
function deploymentSizeProblems(path: string, size: DeploymentSizeArgs): Problem[] {
  const { minReplicas, maxReplicas } = size;
  return [
    ...(Number.isInteger(minReplicas) && Number.isInteger(maxReplicas) && maxReplicas < minReplicas
      ? [
          {
            path: `${path}.maxReplicas`,
            value: maxReplicas,
            allowed: `at least minReplicas (${minReplicas})`,
          },
        ]
      : []),
    ...limitProblems(`${path}.cpu`, size.cpu, millicores),
    ...limitProblems(`${path}.memory`, size.memory, memoryBytes),
  ];
}

/**
 * What the Deployments' sizes demand across fields (max ≥ min replicas, limit ≥ request, no more
 * workers than partitions), on the values as given: a field the schema rejects is skipped here.
 */
export function workloadSizingProblems(sizing: {
  readonly api: DeploymentSizeArgs;
  readonly worker: WorkerSizeArgs;
}): Problem[] {
  const { worker } = sizing;
  const partitions = worker.ordersPartitions;
  return [
    ...deploymentSizeProblems("api", sizing.api),
    ...deploymentSizeProblems("worker", worker),
    ...(partitions !== undefined && Number.isInteger(partitions) && worker.maxReplicas > partitions
      ? [
          {
            path: "worker.maxReplicas",
            value: worker.maxReplicas,
            allowed: `at most ordersPartitions (${partitions}): a consumer beyond the partitions idles`,
          },
        ]
      : []),
  ];
}

function imageProblems(image: WorkloadImageArgs): Problem[] {
  if (!existsSync(image.context) || !statSync(image.context).isDirectory()) {
    return [{ path: "image.context", value: image.context, allowed: "an existing directory" }];
  }
  const problems: Problem[] = [];
  const dockerfile = join(image.context, image.dockerfile);
  if (!existsSync(dockerfile) || !statSync(dockerfile).isFile()) {
    problems.push({
      path: "image.dockerfile",
      value: image.dockerfile,
      allowed: "a file under image.context",
    });
  }
  if (image.sources.length === 0) {
    problems.push({
      path: "image.sources",
      value: [],
      allowed: "at least one file or folder the Dockerfile copies",
    });
  }
  image.sources.forEach((source, i) => {
    if (
      source.startsWith("/") ||
      source.split("/").includes("..") ||
      !existsSync(join(image.context, source))
    ) {
      problems.push({
        path: `image.sources[${i}]`,
        value: source,
        allowed: "an existing path inside image.context",
      });
    }
  });
  return problems;
}

/** The app's own schema decides (ports, grace periods, the drain inside the grace). */
function serviceProblems(service: ServiceSettingsInput | undefined): Problem[] {
  const parsed = serviceSettingsSchema.safeParse(service ?? {});
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    const path = issue.path.map(String);
    let value: unknown = service;
    for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
    return { path: ["service", ...path].join("."), value, allowed: issue.message };
  });
}

function secretProblems(secrets: WorkloadSecretArns): Problem[] {
  const allowed = "a Secrets Manager secret ARN";
  const problems: Problem[] = [];
  if (secrets.mysqlShards.length < 1) {
    // The shard limit is the MySQL component's; here one ARN per shard it declared.
    problems.push({
      path: "secrets.mysqlShards",
      value: "0 ARNs",
      allowed: "one ARN per shard, at least one",
    });
  }
  secrets.mysqlShards.forEach((arn, i) => {
    problems.push(...patternProblem(`secrets.mysqlShards[${i}]`, arn, secretArn, allowed));
  });
  for (const field of ["redisAuth", "kafkaScram", "wechatAppSecret", "sessionSigningKey"] as const) {
    problems.push(...patternProblem(`secrets.${field}`, secrets[field], secretArn, allowed));
  }
  return problems;
}

function placementProblems(args: CheckedArgs): Problem[] {
  const problems: Problem[] = [];
  const zones = args.availabilityZones;
  if (zones.length < 1 || zones.length > 6 || new Set(zones).size !== zones.length) {
    problems.push({ path: "availabilityZones", value: zones, allowed: "1 to 6 distinct AZ names" });
  }
  if (!ipaddr.isValidCIDR(args.vpcCidr) || !ipaddr.IPv4.isValidCIDR(args.vpcCidr)) {
    problems.push({ path: "vpcCidr", value: args.vpcCidr, allowed: 'an IPv4 CIDR, e.g. "10.20.0.0/16"' });
  }
  if (args.dataStorePorts.length === 0 || new Set(args.dataStorePorts).size !== args.dataStorePorts.length) {
    problems.push({
      path: "dataStorePorts",
      value: args.dataStorePorts,
      allowed: "one or more distinct ports",
    });
  }
  args.dataStorePorts.forEach((port, i) => {
    problems.push(...integerProblems(`dataStorePorts[${i}]`, port, 1, 65_535));
  });
  return problems;
}

/** The arguments a check can see: the provider is a live object, not a value. */
type CheckedArgs = Omit<WorkloadArgs, "kubernetesProvider">;

/** Every argument checked against what Kubernetes, ECR and the app accept; empty when all are valid. */
export function workloadArgsProblems(args: CheckedArgs): Problem[] {
  const namespace = args.namespace ?? "crest";
  return [
    ...accountIdProblems(args.accountId),
    ...(dnsLabel.test(namespace) && !namespace.startsWith("kube-")
      ? []
      : [
          {
            path: "namespace",
            value: namespace,
            allowed: "a DNS label (a-z, 0-9, -; ≤ 63) not starting with kube-",
          },
        ]),
    ...imageProblems(args.image),
    ...serviceProblems(args.service),
    ...secretProblems(args.secrets),
    ...parseSettings(workloadSizingSchema, { api: args.api, worker: args.worker }).problems,
    ...workloadSizingProblems(args),
    ...placementProblems(args),
    ...patternProblem("targetGroupArn", args.targetGroupArn, targetGroupArn, "an ELBv2 target group ARN"),
    ...patternProblem("cdnUrl", args.cdnUrl, /^https:\/\/[a-z0-9.-]+(:\d+)?\/?$/, "an https:// origin URL"),
    ...(args.smokeTimeoutSeconds === undefined
      ? []
      : integerProblems("smokeTimeoutSeconds", args.smokeTimeoutSeconds, 60, 3_600)),
    ...(args.preStopSleepSeconds === undefined
      ? []
      : integerProblems("preStopSleepSeconds", args.preStopSleepSeconds, 0, 120)),
    ...(args.keepImages === undefined ? [] : integerProblems("keepImages", args.keepImages, 1, 10_000)),
  ];
}
