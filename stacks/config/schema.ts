import { z } from "zod";
import { declaredSaleSchema } from "../../infra/capacity/args";
import { cdnSettingsSchema } from "../../infra/cdn/args";
import { eksClusterSettingsSchema } from "../../infra/cluster/args";
import { kafkaClusterSettingsSchema, kafkaTopicSchema } from "../../infra/kafka/args";
import { accountId } from "../../infra/lib/schema";
import { loadBalancerSettingsSchema } from "../../infra/loadbalancer/args";
import { shardedMysqlSettingsSchema } from "../../infra/mysql/args";
import { networkSettingsSchema } from "../../infra/network/args";
import { redisClusterSettingsSchema } from "../../infra/redis/args";
import { storageSettingsSchema } from "../../infra/storage/args";
import { deploymentSizeSchema, wechatSettingsSchema, workloadSizingSchema } from "../../infra/workload/args";

/**
 * The shape of every `crest:*` key a stack file may set. Every field is described: the README's
 * config reference is generated from these descriptions and the tier defaults (`npm run docs`).
 * Fields without a tier default are required. Error text for a bad value is built from the
 * `allowed` phrases below, so a message always says what would have been accepted.
 */
const allowed = (phrase: string) => ({ error: phrase });

export const tiers = ["dev", "prod"] as const;
export type Tier = (typeof tiers)[number];

const tagValue = (what: string) =>
  z
    .string(allowed(`a ${what}: 1–64 of a-z 0-9 - _ . (lower case, used in tags and names)`))
    .regex(
      /^[a-z0-9][a-z0-9._-]{0,63}$/,
      allowed(`a ${what}: 1–64 of a-z 0-9 - _ . starting with a letter or digit`),
    );

const text = (what: string, description: string) => z.string(allowed(what)).optional().describe(description);

/**
 * The config-settable fields of a component's settings schema, as they are: same type, limits and
 * description. Optional, with the component's baseline default dropped: the tier supplies defaults,
 * and a nested map may set some of its keys (the tier's others stay).
 */
function settable<Shape extends z.ZodRawShape, Key extends keyof Shape & string>(
  shape: Shape,
  keys: readonly Key[],
  what: string,
) {
  const fields = Object.fromEntries(keys.map((key) => [key, settableField(shape[key] as z.ZodType)]));
  // The runtime shape is exactly this type: each picked field, unwrapped from its default, optional.
  return z.strictObject(
    fields as unknown as { [K in Key]: z.ZodOptional<Unwrapped<Shape[K]>> },
    allowed(`a map of ${what}`),
  );
}

function settableField(field: z.ZodType): z.ZodType {
  const inner = field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : field;
  if (!(inner instanceof z.ZodObject)) return inner.optional();
  const keys = Object.keys(inner.shape);
  const map = z.strictObject(
    Object.fromEntries(keys.map((key) => [key, settableField(inner.shape[key] as z.ZodType)])),
    allowed(`a map with ${keys.join(", ")}`),
  );
  return (inner.description ? map.describe(inner.description) : map).optional();
}

type Unwrapped<T> = T extends z.ZodDefault<infer Inner> ? Inner : T;

/**
 * A required field as the config parses it: the component field's type, message and description,
 * without its rule. A bad required value must not hide the checks that need a usable config, so
 * its rule runs on the resolved config, with the same component schema (`crossFieldProblems`).
 */
function ruleCheckedLater(field: z.ZodString): z.ZodString {
  return field.clone({ ...field._zod.def, checks: [] }).describe(field.description ?? "");
}

const networkSettings = settable(
  networkSettingsSchema.shape,
  ["natGateways", "flowLogRetentionDays"],
  "network settings",
).shape;

export const networkSchema = z.strictObject(
  {
    availabilityZones: z
      .array(z.string(allowed("an AZ name string")), allowed("a list of AZ names of the stack's region"))
      .optional()
      .describe(
        "AZ names the stack spans, in subnet-carving order. Default: the first N AZs of the region in stacks/config/regions.ts (N = 2 for dev, 3 for prod).",
      ),
    // Required: no tier can choose a CIDR that must not overlap another stack's.
    vpcCidr: ruleCheckedLater(networkSettingsSchema.shape.vpcCidr),
    ...networkSettings,
  },
  allowed("a map with at least vpcCidr"),
);

/**
 * The edge's settings, of the two components behind it: the load balancer's name rule is the
 * stricter one (origin.<domainName> must fit a certificate too), and its access-log retention is
 * the CDN's as well.
 */
export const edgeSettingsSchema = z.object({
  ...cdnSettingsSchema.shape,
  // The target port is the app's (app/src/contract), never config.
  ...loadBalancerSettingsSchema.omit({ targetPort: true }).shape,
});

/** The component settings schemas the config sections pick their keys from. */
export const componentSettingsSchemas = {
  network: networkSettingsSchema,
  mysql: shardedMysqlSettingsSchema,
  redis: redisClusterSettingsSchema,
  cluster: eksClusterSettingsSchema,
  kafka: kafkaClusterSettingsSchema,
  storage: storageSettingsSchema,
  edge: edgeSettingsSchema,
  capacity: declaredSaleSchema,
  workload: workloadSizingSchema,
  wechat: wechatSettingsSchema,
} as const;

export const mysqlSchema = settable(
  shardedMysqlSettingsSchema.shape,
  ["shards", "readersPerShard", "instanceClass", "backupRetentionDays"],
  "Aurora MySQL settings",
);

export const redisSchema = settable(
  redisClusterSettingsSchema.shape,
  ["shards", "replicasPerShard", "nodeType", "snapshotRetentionDays", "logRetentionDays"],
  "Redis (Valkey) settings",
);

export const kafkaSchema = settable(
  kafkaClusterSettingsSchema.shape,
  [
    "brokers",
    "instanceType",
    "volumeSizeGiB",
    "maxVolumeSizeGiB",
    "replicationFactor",
    "minInsyncReplicas",
    "logRetentionDays",
  ],
  "Kafka (MSK) settings",
).extend({
  // The partitions of the two topics the platform creates (their names are fixed), as the
  // component's topic schema declares them.
  ordersPartitions: kafkaTopicSchema.shape.partitions
    .optional()
    .describe("Partitions of the orders topic: the worker's parallelism ceiling."),
  deadLetterPartitions: kafkaTopicSchema.shape.partitions
    .optional()
    .describe("Partitions of the orders dead-letter topic."),
});

export const storageSchema = z.strictObject(
  {
    ...settable(storageSettingsSchema.shape, ["archive", "accessLogRetentionDays"], "object storage settings")
      .shape,
    drRegion: text(
      "an AWS region name string",
      "Disaster-recovery region the archive bucket replicates to; required in prod, must differ from crest:region.",
    ),
  },
  allowed("a map of object storage settings"),
);

export const clusterSchema = settable(
  eksClusterSettingsSchema.shape,
  [
    "kubernetesVersion",
    "nodeInstanceTypes",
    "nodesPerAz",
    "endpointPublicAccess",
    "publicAccessCidrs",
    "logRetentionDays",
  ],
  "EKS cluster settings",
);

/** One Deployment's replica bounds and pod resources; its HPA targets stay the component's defaults. */
const deploymentSettings = (what: string) =>
  settable(
    deploymentSizeSchema.shape,
    ["minReplicas", "maxReplicas", "cpu", "memory"],
    `${what} deployment settings`,
  ).optional();

export const workloadSchema = z.strictObject(
  {
    api: deploymentSettings("API").describe(workloadSizingSchema.shape.api.description ?? ""),
    worker: deploymentSettings("order worker").describe(workloadSizingSchema.shape.worker.description ?? ""),
  },
  allowed("a map with api and worker"),
);

const edgeSettings = settable(
  edgeSettingsSchema.shape,
  ["rateLimitPerIp", "priceClass", "accessLogRetentionDays"],
  "edge settings",
).shape;

export const edgeSchema = z.strictObject(
  {
    // Required: a stack's public name and zone have no tier default.
    domainName: ruleCheckedLater(edgeSettingsSchema.shape.domainName),
    hostedZoneId: ruleCheckedLater(edgeSettingsSchema.shape.hostedZoneId),
    ...edgeSettings,
  },
  allowed("a map with at least domainName and hostedZoneId"),
);

export const capacitySchema = settable(
  declaredSaleSchema.shape,
  [
    "peakReadsPerSecond",
    "peakOrderAttemptsPerSecond",
    "expectedOrdersPerSecond",
    "baselineReadsPerSecond",
    "baselineOrderAttemptsPerSecond",
    "orderAttemptsPerBuyerPerSecond",
    "rampSeconds",
    "durationSeconds",
    "saleWindow",
  ],
  "declared flash-sale load settings",
);

export const wechatSchema = z.strictObject(
  {
    // Required: a stack's mini-program has no tier default.
    appId: wechatSettingsSchema.shape.appId,
    ...settable(wechatSettingsSchema.shape, ["apiBaseUrl"], "WeChat settings").shape,
  },
  allowed("a map with at least appId"),
);

export const stackConfigSchema = z.strictObject({
  tier: z
    .enum(tiers, allowed(`one of ${tiers.map((t) => `"${t}"`).join(", ")}`))
    .describe("Environment tier: selects the defaults below. dev is small and cheap, prod highly available."),
  region: z
    .string(allowed("an AWS region name string"))
    .describe("AWS region of the stack; one of the regions in stacks/config/regions.ts."),
  accountId: accountId("a 12-digit AWS account id, quoted").describe(
    "AWS account the stack deploys into; the provider refuses any other account's credentials.",
  ),
  owner: tagValue("team name").describe("Team that owns the stack; the `owner` tag on every resource."),
  costCenter: tagValue("cost center").describe(
    "Cost center billed; the `cost-center` tag on every resource.",
  ),
  network: networkSchema.describe("The VPC and its subnets."),
  mysql: mysqlSchema.optional().describe("Sharded Aurora MySQL."),
  redis: redisSchema.optional().describe("The Redis-compatible (Valkey) cluster."),
  kafka: kafkaSchema.optional().describe("The MSK Kafka cluster and its topics."),
  storage: storageSchema.optional().describe("Tiered object storage on S3."),
  cluster: clusterSchema.optional().describe("The EKS cluster, its node groups and add-ons."),
  workload: workloadSchema.optional().describe("The app's API and order worker on the cluster."),
  edge: edgeSchema.describe("The public edge: CloudFront, WAF and the load balancer behind it."),
  wechat: wechatSchema.describe("The WeChat mini-program the API signs users in for."),
  capacity: capacitySchema
    .optional()
    .describe(
      "The flash sale the stack must survive: the plan checks the sizes against its peak (exit 2 when a maximum is too small) and simulates its ramp.",
    ),
});

/** What a stack file holds, before tier defaults are applied. */
export type StackConfigInput = z.infer<typeof stackConfigSchema>;

/** The keys of the map at `path` (e.g. `["network"]`); empty where there is no map. */
export function keysAt(path: readonly PropertyKey[], schema: z.ZodType = stackConfigSchema): string[] {
  const [head, ...rest] = path;
  const shape = shapeOf(schema);
  if (head === undefined) return Object.keys(shape);
  const child = shape[String(head)];
  return child ? keysAt(rest, child) : [];
}

/** Dotted paths of every key and nested key the schema accepts, e.g. `network.vpcCidr`. */
export function configKeyPaths(schema: z.ZodType = stackConfigSchema, prefix = ""): string[] {
  return Object.entries(shapeOf(schema)).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...configKeyPaths(child, path)];
  });
}

function shapeOf(schema: z.ZodType): Record<string, z.ZodType> {
  const inner = schema instanceof z.ZodOptional ? schema.unwrap() : schema;
  return inner instanceof z.ZodObject ? (inner.shape as Record<string, z.ZodType>) : {};
}
