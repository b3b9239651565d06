import { bucketsWith } from "../lib/buckets";
import { publicNatGateways } from "../lib/nat";
import { type Rule, resourceRule, stackRule } from "../lib/rule";
import { t } from "../lib/types";
import { at, items, knownStrings, type Plain, show, unknown } from "../lib/values";

interface InstanceClasses {
  databaseInstanceClasses: string[];
  cacheNodeTypes: string[];
  kafkaBrokerTypes: string[];
  computeInstanceTypes: string[];
}

/** Where each resource names its size, and which allow-list applies. */
const sizedBy: Readonly<Record<string, readonly [path: string, list: keyof InstanceClasses]>> = {
  [t.rdsClusterInstance]: ["instanceClass", "databaseInstanceClasses"],
  [t.rdsInstance]: ["instanceClass", "databaseInstanceClasses"],
  [t.redisGroup]: ["nodeType", "cacheNodeTypes"],
  [t.cacheCluster]: ["nodeType", "cacheNodeTypes"],
  [t.mskCluster]: ["brokerNodeGroupInfo.instanceType", "kafkaBrokerTypes"],
  [t.eksNodeGroup]: ["instanceTypes", "computeInstanceTypes"],
  [t.launchTemplate]: ["instanceType", "computeInstanceTypes"],
  [t.ec2Instance]: ["instanceType", "computeInstanceTypes"],
};

/** `db.r7g.*` matches every size of the family. */
const allows = (patterns: readonly string[], value: string) =>
  patterns.some((p) => (p.endsWith("*") ? value.startsWith(p.slice(0, -1)) : p === value));

const sizes = (prefix: string, families: string[], sizeList: string[]) =>
  families.flatMap((family) => sizeList.map((size) => `${prefix}${family}.${size}`));

const classList = (description: string) => ({
  type: "array" as const,
  items: { type: "string" as const, minLength: 1 },
  description: `${description}; a trailing * matches every size of a family.`,
});

export const instanceClassAllowList = resourceRule<InstanceClasses>({
  id: "cost-instance-class-allow-list",
  family: "cost",
  concern: "cost",
  description:
    "Database, cache, broker and node sizes come from the tier's allow-list, so a typo or a copy of prod " +
    "settings into dev does not multiply the bill. Fix: pick a size from the list in the finding, or add the " +
    "size to the stack's policy config (policies/config/<stack>.json) with a reason.",
  types: Object.keys(sizedBy),
  config: {
    schema: {
      databaseInstanceClasses: classList("RDS/Aurora instance classes"),
      cacheNodeTypes: classList("ElastiCache node types"),
      kafkaBrokerTypes: classList("MSK broker instance types"),
      computeInstanceTypes: classList("EC2 instance types of nodes and instances"),
    },
    defaults: ({ tier }) =>
      tier === "prod"
        ? {
            databaseInstanceClasses: sizes("db.", ["r7g", "r8g"], ["large", "xlarge", "2xlarge", "4xlarge"]),
            cacheNodeTypes: sizes("cache.", ["r7g", "m7g"], ["large", "xlarge", "2xlarge"]),
            kafkaBrokerTypes: sizes("kafka.", ["m7g"], ["large", "xlarge", "2xlarge"]),
            computeInstanceTypes: sizes(
              "",
              ["m7g", "c7g", "r7g", "m7i", "c7i"],
              ["large", "xlarge", "2xlarge"],
            ),
          }
        : {
            databaseInstanceClasses: ["db.t4g.medium", "db.t4g.large"],
            cacheNodeTypes: ["cache.t4g.micro", "cache.t4g.small", "cache.t4g.medium"],
            // T3 brokers are not documented for KRaft on Kafka 3.9 (infra/lib/pins.ts): dev uses the smallest M7g.
            kafkaBrokerTypes: ["kafka.m7g.large"],
            computeInstanceTypes: ["t4g.medium", "t4g.large", "m7g.large", "t3.medium", "t3.large"],
          },
  },
  check: ({ type, props }, config, report) => {
    const [path, list] = sizedBy[type] ?? [];
    if (!path || !list) return;
    const value: Plain | undefined = at(props, path);
    const chosen = Array.isArray(value) ? knownStrings(value) : typeof value === "string" ? [value] : [];
    for (const size of chosen.filter((s) => !allows(config[list], s))) {
      report(`${path} ${size} is not in ${list}: ${config[list].join(", ")}`);
    }
  },
});

export const natGatewayCount = stackRule<{ maxNatGateways: number }>({
  id: "cost-nat-gateway-count",
  family: "cost",
  concern: "cost",
  description:
    "A dev stack shares one NAT gateway: each one costs an hourly fee plus data processing, and dev needs no " +
    'AZ-independent egress. Fix: set crest:network.natGateways to "single".',
  levels: { dev: "advisory", prod: "disabled" },
  config: {
    schema: {
      maxNatGateways: { type: "integer", minimum: 0, description: "Most NAT gateways in the stack." },
    },
    defaults: () => ({ maxNatGateways: 1 }),
  },
  check: (stack, config, report) => {
    const nats = publicNatGateways(stack);
    if (nats.length > config.maxNatGateways) {
      for (const nat of nats.slice(config.maxNatGateways)) {
        report(`${nats.length} NAT gateways, more than ${config.maxNatGateways}`, nat.urn);
      }
    }
  },
});

export const hpaMaxReplicas = resourceRule<{ maxReplicas: number }>({
  id: "cost-hpa-max-replicas",
  family: "cost",
  concern: "cost",
  description:
    "An autoscaler's ceiling stays under the tier's limit, so a traffic spike or a scaling bug cannot buy " +
    "unbounded capacity. Fix: lower spec.maxReplicas, or raise the stack's limit with a reason after a load test.",
  types: [t.hpa],
  config: {
    schema: {
      maxReplicas: { type: "integer", minimum: 1, description: "Highest maxReplicas an HPA may set." },
    },
    defaults: ({ tier }) => ({ maxReplicas: tier === "prod" ? 60 : 6 }),
  },
  check: ({ props }, config, report) => {
    const max = at(props, "spec.maxReplicas");
    if (typeof max === "number" && max > config.maxReplicas)
      report(`maxReplicas ${max} is above ${config.maxReplicas}`);
  },
});

export const nodeGroupMaxSize = resourceRule<{ maxSize: number }>({
  id: "cost-node-group-max-size",
  family: "cost",
  concern: "cost",
  description:
    "Node groups cannot grow past the tier's ceiling. Fix: lower scalingConfig.maxSize (EKS) or maxSize (Auto " +
    "Scaling group), or raise the stack's limit with a reason.",
  types: [t.eksNodeGroup, t.autoscalingGroup],
  config: {
    schema: {
      maxSize: { type: "integer", minimum: 1, description: "Largest node count a group may scale to." },
    },
    defaults: ({ tier }) => ({ maxSize: tier === "prod" ? 30 : 4 }),
  },
  check: ({ type, props }, config, report) => {
    const path = type === t.eksNodeGroup ? "scalingConfig.maxSize" : "maxSize";
    const max = at(props, path);
    if (typeof max === "number" && max > config.maxSize) report(`${path} ${max} is above ${config.maxSize}`);
  },
});

export const logRetention = resourceRule<{ maxRetentionDays: number }>({
  id: "cost-log-retention",
  family: "cost",
  concern: "cost",
  description:
    "Log groups expire their logs: CloudWatch keeps them forever by default and bills every GB-month. Fix: " +
    "set retentionInDays (one of CloudWatch's periods), at most the tier's maximum.",
  types: [t.logGroup],
  config: {
    schema: { maxRetentionDays: { type: "integer", minimum: 1, description: "Longest retention allowed." } },
    defaults: ({ tier }) => ({ maxRetentionDays: tier === "prod" ? 1827 : 90 }),
  },
  check: ({ props }, config, report) => {
    const days = props.retentionInDays;
    if (days === unknown) return;
    if (typeof days !== "number" || days <= 0)
      report(`retentionInDays is ${show(days)}: logs are kept forever`);
    else if (days > config.maxRetentionDays)
      report(`retentionInDays ${days} is above ${config.maxRetentionDays}`);
  },
});

/** Rules that are, or may be once known, enabled. */
const enabledRules = (lifecycle: Plain[]) =>
  lifecycle.filter((rule) => at(rule, "status") === "Enabled" || at(rule, "status") === unknown);

export const s3Lifecycle = stackRule({
  id: "cost-s3-lifecycle",
  family: "cost",
  concern: "cost",
  description:
    "Every bucket has lifecycle rules that abort abandoned multipart uploads and, when versioned, expire old " +
    "versions, so storage does not grow unseen. Fix: add an aws.s3.BucketLifecycleConfiguration with an " +
    "Enabled rule with abortIncompleteMultipartUpload and noncurrentVersionExpiration.",
  check: (stack, _config, report) => {
    const versioned = new Set(
      bucketsWith(stack, t.bucketVersioning)
        .filter(({ settings }) =>
          settings.some((s) => at(s.props, "versioningConfiguration.status") === "Enabled"),
        )
        .map(({ bucket }) => bucket.urn),
    );
    for (const { bucket, settings } of bucketsWith(stack, t.bucketLifecycle)) {
      const lists = settings.map((s) => items(s.props.rules));
      if (lists.includes(unknown)) continue;
      const rules = enabledRules(lists.flat() as Plain[]);
      if (!rules.some((rule) => at(rule, "abortIncompleteMultipartUpload") !== undefined)) {
        report(`bucket ${bucket.name} has no enabled rule aborting incomplete multipart uploads`, bucket.urn);
      }
      if (
        versioned.has(bucket.urn) &&
        !rules.some((rule) => at(rule, "noncurrentVersionExpiration") !== undefined)
      ) {
        report(`versioned bucket ${bucket.name} keeps noncurrent versions forever`, bucket.urn);
      }
    }
  },
});

export const costRules: Rule[] = [
  instanceClassAllowList,
  natGatewayCount,
  hpaMaxReplicas,
  nodeGroupMaxSize,
  logRetention,
  s3Lifecycle,
];
