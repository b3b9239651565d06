import type { UsageAssumption } from "../../../stacks/config/usage";
import type { CostInput } from "./estimate";
import { auroraHourly, ec2Hourly, mskHourly, type Price, prices, valkeyHourly } from "./prices";

/** A resource the table cannot price: the reason names what is missing. */
export class Unpriced extends Error {
  override readonly name = "Unpriced";
}

export interface PricerContext {
  readonly usage: UsageAssumption;
  /** How many resources of a type the stack has (usage shared among them). */
  count(type: string): number;
  /** Resources of `type` whose `property` was computed from `target` (e.g. a bucket's lifecycle). */
  referencing(target: CostInput, type: string, property: string): CostInput[];
}

interface PricedQuantity {
  readonly what: string;
  readonly quantity: number;
  readonly price: Price;
}

type Pricer = (resource: CostInput, context: PricerContext) => PricedQuantity[];

const hours = 730;

function known<T extends string | number>(path: string, value: unknown, kind: T): T {
  if (typeof value !== typeof kind)
    throw new Unpriced(
      `${path} is ${value === undefined ? "unknown or unset" : JSON.stringify(value)}; the estimate needs it`,
    );
  return value as T;
}
const text = (path: string, value: unknown): string => known<string>(path, value, "");
const count = (path: string, value: unknown): number => known<number>(path, value, 0);

function sized(table: Readonly<Record<string, Price>>, size: string, what: string): Price {
  const price = table[size];
  if (!price) throw new Unpriced(`no price for ${what} ${size} in tools/plan/cost/prices.ts`);
  return price;
}

const objectAt = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};

const storageClassPrice: Readonly<Record<keyof UsageAssumption["tieredBucketGb"], Price>> = {
  STANDARD: prices.s3StandardGbMonth,
  STANDARD_IA: prices.s3StandardIaGbMonth,
  GLACIER_IR: prices.s3GlacierIrGbMonth,
  DEEP_ARCHIVE: prices.s3DeepArchiveGbMonth,
};

/** A bucket holds `bucketGb` in Standard, or, when its lifecycle moves objects down, the tiered mix. */
const bucketStorage: Pricer = (bucket, { usage, referencing }) => {
  const lifecycles = referencing(
    bucket,
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "bucket",
  );
  const classes = new Set(
    lifecycles.flatMap((l) =>
      (Array.isArray(l.inputs.rules) ? l.inputs.rules : []).flatMap((rule) =>
        (Array.isArray(objectAt(rule).transitions) ? (objectAt(rule).transitions as unknown[]) : []).map(
          (t) => objectAt(t).storageClass,
        ),
      ),
    ),
  );
  if (classes.size === 0)
    return [{ what: "S3 Standard GB-month", quantity: usage.bucketGb, price: prices.s3StandardGbMonth }];
  const tiered = ["STANDARD", ...classes] as string[];
  return tiered.map((storageClass) => {
    const price = storageClassPrice[storageClass as keyof typeof storageClassPrice];
    if (!price)
      throw new Unpriced(`lifecycle storage class ${storageClass} has no price in tools/plan/cost/prices.ts`);
    const gb = usage.tieredBucketGb[storageClass as keyof typeof storageClassPrice];
    return { what: `S3 ${storageClass} GB-month`, quantity: gb, price };
  });
};

/** Per billed type: what it is billed for, from its inputs and the tier's usage. */
export const pricers: Readonly<Record<string, Pricer>> = {
  "aws:ec2/natGateway:NatGateway": (_, { usage, count: nats }) => [
    { what: "NAT gateway hours", quantity: hours, price: prices.natGatewayHour },
    {
      what: "GB processed (its share)",
      quantity: usage.natGbPerMonth / nats("aws:ec2/natGateway:NatGateway"),
      price: prices.natGatewayGb,
    },
  ],
  "aws:ec2/eip:Eip": () => [
    { what: "public IPv4 address hours", quantity: hours, price: prices.publicIpv4Hour },
  ],
  "aws:ec2/vpcEndpoint:VpcEndpoint": (r) => {
    // Gateway endpoints (S3, DynamoDB) are free; an interface endpoint is billed per AZ-hour.
    if (text("vpcEndpointType", r.inputs.vpcEndpointType) === "Gateway") return [];
    throw new Unpriced(
      `a ${String(r.inputs.vpcEndpointType)} endpoint has no price in tools/plan/cost/prices.ts`,
    );
  },
  "aws:eks/cluster:Cluster": () => [
    { what: "EKS control plane hours", quantity: hours, price: prices.eksClusterHour },
  ],
  "aws:eks/nodeGroup:NodeGroup": (r) => {
    const types = Array.isArray(r.inputs.instanceTypes) ? r.inputs.instanceTypes : [];
    const type = text("instanceTypes[0]", types[0]);
    const desired = count("scalingConfig.desiredSize", objectAt(r.inputs.scalingConfig).desiredSize);
    return [
      {
        what: `${desired} × ${type} node hours`,
        quantity: desired * hours,
        price: sized(ec2Hourly, type, "EC2 instance type"),
      },
    ];
  },
  "aws:rds/clusterInstance:ClusterInstance": (r) => {
    const size = text("instanceClass", r.inputs.instanceClass);
    return [
      {
        what: `${size} instance hours`,
        quantity: hours,
        price: sized(auroraHourly, size, "Aurora instance class"),
      },
    ];
  },
  // A vault holds a recovery point chain per shard cluster (the primary one and, in prod, its copy
  // in the DR region); the copy's inter-region transfer is not modelled.
  "aws:backup/vault:Vault": (_, { usage, count: ofType }) => [
    {
      what: "Aurora recovery points GB-month",
      quantity: usage.backupGbPerCluster * ofType("aws:rds/cluster:Cluster"),
      price: prices.auroraBackupGbMonth,
    },
  ],
  "aws:rds/cluster:Cluster": (r, { usage }) => {
    if (r.inputs.storageType === "aurora-iopt1")
      throw new Unpriced("Aurora I/O-Optimized storage has no price in tools/plan/cost/prices.ts");
    return [
      {
        what: "Aurora storage GB-month",
        quantity: usage.auroraGbPerCluster,
        price: prices.auroraStorageGbMonth,
      },
      {
        what: "Aurora I/O (millions)",
        quantity: usage.auroraIoMillionsPerCluster,
        price: prices.auroraIoMillion,
      },
    ];
  },
  "aws:elasticache/replicationGroup:ReplicationGroup": (r) => {
    const engine = text("engine", r.inputs.engine);
    if (engine !== "valkey")
      throw new Unpriced(`engine ${engine} has no price; the table holds Valkey nodes`);
    const size = text("nodeType", r.inputs.nodeType);
    const nodes =
      r.inputs.numNodeGroups === undefined
        ? count("numCacheClusters", r.inputs.numCacheClusters)
        : count("numNodeGroups", r.inputs.numNodeGroups) *
          (1 + count("replicasPerNodeGroup", r.inputs.replicasPerNodeGroup ?? 0));
    return [
      {
        what: `${nodes} × ${size} node hours`,
        quantity: nodes * hours,
        price: sized(valkeyHourly, size, "Valkey node type"),
      },
    ];
  },
  "aws:msk/cluster:Cluster": (r) => {
    const brokers = count("numberOfBrokerNodes", r.inputs.numberOfBrokerNodes);
    const group = objectAt(r.inputs.brokerNodeGroupInfo);
    const size = text("brokerNodeGroupInfo.instanceType", group.instanceType);
    const volume = count(
      "brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize",
      objectAt(objectAt(group.storageInfo).ebsStorageInfo).volumeSize,
    );
    return [
      {
        what: `${brokers} × ${size} broker hours`,
        quantity: brokers * hours,
        price: sized(mskHourly, size, "MSK broker type"),
      },
      {
        what: `${brokers} × ${volume} GB broker storage`,
        quantity: brokers * volume,
        price: prices.mskStorageGbMonth,
      },
    ];
  },
  "aws:lb/loadBalancer:LoadBalancer": (r, { usage }) => {
    const kind = r.inputs.loadBalancerType ?? "application";
    if (kind !== "application")
      throw new Unpriced(`a ${String(kind)} load balancer has no price in tools/plan/cost/prices.ts`);
    return [
      { what: "ALB hours", quantity: hours, price: prices.albHour },
      {
        what: `${usage.loadBalancerCapacityUnits} LCU average`,
        quantity: usage.loadBalancerCapacityUnits * hours,
        price: prices.albLcuHour,
      },
    ];
  },
  "aws:cloudfront/distribution:Distribution": (_, { usage }) => [
    {
      what: "HTTPS requests (10k)",
      quantity: usage.edgeRequestsPerMonth / 10_000,
      price: prices.cloudFrontHttps10k,
    },
    { what: "GB to viewers", quantity: usage.edgeGbPerMonth, price: prices.cloudFrontGb },
  ],
  "aws:wafv2/webAcl:WebAcl": (r, { usage }) => {
    if (!Array.isArray(r.inputs.rules))
      throw new Unpriced("rules is unknown; the estimate needs the rule count");
    return [
      { what: "web ACL", quantity: 1, price: prices.wafAclMonth },
      { what: `${r.inputs.rules.length} rules`, quantity: r.inputs.rules.length, price: prices.wafRuleMonth },
      {
        what: "requests inspected (millions)",
        quantity: usage.edgeRequestsPerMonth / 1e6,
        price: prices.wafRequestsMillion,
      },
    ];
  },
  "aws:kms/key:Key": () => [{ what: "customer-managed key", quantity: 1, price: prices.kmsKeyMonth }],
  "aws:secretsmanager/secret:Secret": () => [{ what: "secret", quantity: 1, price: prices.secretMonth }],
  "aws:cloudwatch/logGroup:LogGroup": (r, { usage }) => {
    // Kept-forever logs are counted as a year's worth; the cost-log-retention rule flags them.
    const days =
      typeof r.inputs.retentionInDays === "number" && r.inputs.retentionInDays > 0
        ? r.inputs.retentionInDays
        : 365;
    const ingested = usage.logGbPerGroupPerMonth;
    return [
      { what: "GB ingested", quantity: ingested, price: prices.logsIngestGb },
      {
        what: `GB stored (${days} days kept)`,
        quantity: Math.round(((ingested * days) / 30) * 100) / 100,
        price: prices.logsStorageGbMonth,
      },
    ];
  },
  "aws:cloudwatch/logDelivery:LogDelivery": (_, { usage }) => [
    {
      what: "GB of access logs delivered",
      quantity: usage.edgeLogGbPerMonth,
      price: prices.vendedLogsToS3Gb,
    },
  ],
  "aws:s3/bucket:Bucket": bucketStorage,
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig": (_, { usage }) => [
    {
      what: "GB replicated to the DR region",
      quantity: usage.replicatedGbPerMonth,
      price: prices.interRegionTransferGb,
    },
  ],
  "aws:ecr/repository:Repository": (_, { usage }) => [
    { what: "image GB-month", quantity: usage.imageGb, price: prices.ecrStorageGbMonth },
  ],
};
