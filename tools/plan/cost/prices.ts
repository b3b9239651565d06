/**
 * The checked-in on-demand price table the cost estimate reads: offline and deterministic, like
 * every other external value Crest pins. Each price is in USD and records where it was read and
 * when. Prices are read for US East (N. Virginia), the region every published table covers; a few
 * were also read for a region Crest deploys to (`regional`). A price the source states is the same
 * in every region is `uniform`. Any other region gets the us-east-1 price times that region's
 * factor (`regionFactors`), and the estimate marks the price `estimated` with the factor.
 *
 * A price AWS changes is fixed here, with its new source and date, never in the estimate. Regions
 * are the names of stacks/config/regions.ts (a test holds the lists equal); this file does not
 * import it, because the policy pack reads this file and its TypeScript compiler targets an older
 * library than regions.ts uses.
 */

/** When the prices below were read (the search of published pages and price-list excerpts). */
export const pricesRead = "2026-12-01";

export type PriceUnit = "hour" | "GB" | "GB-month" | "month" | "1M requests" | "10k requests" | "LCU-hour";

export interface PublishedPrice {
  readonly usd: number;
  /** The page or price-list file the price was read from. */
  readonly source: string;
}

export interface Price extends PublishedPrice {
  readonly unit: PriceUnit;
  /** The source says the price is the same in every region. @default false */
  readonly uniform?: boolean;
  /** Prices read for other regions than us-east-1. */
  readonly regional?: Readonly<Record<string, PublishedPrice>>;
  /**
   * No page gave this price; it is derived from another published price (`from`) times `factor`,
   * e.g. the next size of an instance family at twice the price. Always reported as estimated.
   */
  readonly derived?: { readonly from: string; readonly factor: number; readonly why: string };
}

const source = {
  nat: "https://basavytix.com/blog/aws-nat-gateway-pricing",
  natSingaporeBill:
    "https://github.com/rahmat-ullah/DocParser/blob/main/backend/sample_full_document.md (an AWS bill, May 2025, Asia Pacific (Singapore): $0.059 per NAT Gateway Hour, $0.059 per GB processed)",
  publicIpv4: "https://cloudburn.io/blog/aws-nat-gateway-pricing",
  eks: "https://github.com/Saikiran121/AWS-EKS/blob/main/01-Creating-Cluster/03-EKS-Pricing.md",
  ec2M7g: "https://www.factualminds.com/blog/amazon-ec2-on-demand-pricing-instance-families-2026/",
  ec2T4g:
    "public repository cost tables (t4g.large $0.0672/h on demand, us-east-1), code search index ids 58148180645 and 13716274960",
  aurora: "https://gist.github.com/thom-vend/c710e4fb173b4bea91bc12204c25ee86",
  auroraStorage: "https://store-v2-khaki.vercel.app/rds-vs-aurora-cost-calculator.html",
  valkey:
    "AWS Price List API (AmazonElastiCache, cacheEngine Valkey, NodeUsage, us-east-1, read 2026-10-02) as tabled in a public pricing service, code search index id 70712899090",
  msk: "public repository MSK price tables (kafka.m7g.large $0.204/h on demand, us-east-1), code search index ids 10392360047 and 53367393016",
  mskStorage: "https://github.com/Gilgamech/OfferingOverview/blob/main/notes/MSK.md",
  auroraBackup:
    "AWS Price List API (AmazonRDS, OnDemand, us-west-2, read 2026-08-18) as tabled in a public repository's cost model: Aurora backup storage $0.021/GB-month, code search index ids 57842659841 and 35907684305",
  alb: "https://cloud-horizons.com/blog/alb-the-line-item-nobody-watches/",
  cloudFront: "https://aws.amazon.com/cloudfront/pricing/",
  cloudFrontRequests: "https://github.com/srdjanrist/get-infra-done/blob/main/references/cost-rules.md",
  waf: "https://c3x.dev/blog/aws-waf-cost-explained/ (uniform: https://aws.amazon.com/blogs/networking-and-content-delivery/cost-effective-ways-for-securing-your-web-applications-using-aws-waf/)",
  kms: "https://aws.amazon.com/kms/pricing/",
  secrets: "https://hivebook.wiki/wiki/aws-secrets-manager-rotated-secrets-dynamic-db-credentials-kms",
  logs: "https://c3x.dev/blog/cloudwatch-logs-cost-optimization",
  logsTokyo: "https://awsi.click/en/articles/cloudwatch-logs-cost-structure-surprise/",
  s3: "https://github.com/SaimShaikh/Cloud_Computing/blob/main/AWS/AWS_S3/AWS_S3_Pricing.md",
  interRegion: "https://kindatechnical.com/aws-eks/lesson-31-understanding-eks-pricing.html",
  ecr: "https://github.com/Gilgamech/OfferingOverview/blob/main/notes/ECR.md",
} as const;

const price = (usd: number, unit: PriceUnit, from: string, more: Partial<Price> = {}): Price => ({
  usd,
  unit,
  source: from,
  ...more,
});
const perHour = (usd: number, from: string, more: Partial<Price> = {}) => price(usd, "hour", from, more);
const twiceOf = (from: string): Price["derived"] => ({
  from,
  factor: 2,
  why: "the next size of a family has twice the vCPUs and memory and is listed at twice the price",
});

/** EC2 instance types of the node groups (Linux, shared tenancy). */
export const ec2Hourly: Readonly<Record<string, Price>> = {
  "t4g.large": perHour(0.0672, source.ec2T4g),
  "m7g.large": perHour(0.0816, source.ec2M7g),
  "m7g.xlarge": perHour(0.1632, source.ec2M7g, { derived: twiceOf("m7g.large") }),
};

/** Aurora MySQL instance classes, Aurora Standard storage configuration. */
export const auroraHourly: Readonly<Record<string, Price>> = {
  "db.t4g.medium": perHour(0.073, source.aurora),
  "db.t4g.large": perHour(0.146, source.aurora),
  "db.r7g.large": perHour(0.276, source.aurora),
  "db.r7g.xlarge": perHour(0.552, source.aurora, { derived: twiceOf("db.r7g.large") }),
};

/** ElastiCache node types, Valkey engine (priced 20% under Redis OSS). */
export const valkeyHourly: Readonly<Record<string, Price>> = {
  "cache.t4g.micro": perHour(0.0128, source.valkey),
  "cache.t4g.small": perHour(0.0256, source.valkey),
  "cache.t4g.medium": perHour(0.052, source.valkey),
  "cache.m7g.large": perHour(0.1264, source.valkey),
  "cache.m7g.xlarge": perHour(0.252, source.valkey),
  "cache.r7g.large": perHour(0.1752, source.valkey),
  "cache.r7g.xlarge": perHour(0.3496, source.valkey),
  "cache.r7g.2xlarge": perHour(0.6984, source.valkey),
};

/** MSK standard broker sizes. */
export const mskHourly: Readonly<Record<string, Price>> = {
  "kafka.m7g.large": perHour(0.204, source.msk),
  "kafka.m7g.xlarge": perHour(0.408, source.msk, { derived: twiceOf("kafka.m7g.large") }),
};

/** Everything else the stacks create that is billed, one price per billing dimension. */
export const prices = {
  natGatewayHour: perHour(0.045, source.nat, {
    regional: { "ap-southeast-1": { usd: 0.059, source: source.nat } },
  }),
  natGatewayGb: price(0.045, "GB", source.nat, {
    regional: { "ap-southeast-1": { usd: 0.059, source: source.nat } },
  }),
  publicIpv4Hour: perHour(0.005, source.publicIpv4),
  eksClusterHour: perHour(0.1, source.eks, { uniform: true }),
  auroraStorageGbMonth: price(0.1, "GB-month", source.auroraStorage),
  auroraIoMillion: price(0.2, "1M requests", source.auroraStorage),
  // Read for us-west-2, whose RDS storage prices match us-east-1's; AWS Backup bills an Aurora
  // recovery point as Aurora backup storage.
  auroraBackupGbMonth: price(0.021, "GB-month", source.auroraBackup),
  mskStorageGbMonth: price(0.1, "GB-month", source.mskStorage),
  albHour: perHour(0.0225, source.alb),
  albLcuHour: price(0.008, "LCU-hour", source.alb),
  // CloudFront bills by where viewers are, not by the stack's region: mini-program viewers are in
  // the "Hong Kong, Indonesia, Philippines, Singapore, South Korea, Taiwan, Thailand, Malaysia,
  // Vietnam" group, first 10 TB a month.
  cloudFrontGb: price(0.12, "GB", source.cloudFront, { uniform: true }),
  // The request price read is the United States one (HTTPS, upper end of the range given); no page
  // read gave the Asia request price, so it is derived with factor 1.
  cloudFrontHttps10k: price(0.01, "10k requests", source.cloudFrontRequests, {
    uniform: true,
    derived: { from: "United States HTTPS requests", factor: 1, why: "the Asia request price was not found" },
  }),
  wafAclMonth: price(5, "month", source.waf, { uniform: true }),
  wafRuleMonth: price(1, "month", source.waf, { uniform: true }),
  wafRequestsMillion: price(0.6, "1M requests", source.waf, { uniform: true }),
  kmsKeyMonth: price(1, "month", source.kms, { uniform: true }),
  secretMonth: price(0.4, "month", source.secrets),
  logsIngestGb: price(0.5, "GB", source.logs, {
    regional: { "ap-northeast-1": { usd: 0.76, source: source.logsTokyo } },
  }),
  logsStorageGbMonth: price(0.03, "GB-month", source.logs, {
    regional: { "ap-northeast-1": { usd: 0.033, source: source.logsTokyo } },
  }),
  vendedLogsToS3Gb: price(0.25, "GB", source.logs),
  interRegionTransferGb: price(0.02, "GB", source.interRegion),
  ecrStorageGbMonth: price(0.1, "GB-month", source.ecr),
  s3StandardGbMonth: price(0.023, "GB-month", source.s3),
  s3StandardIaGbMonth: price(0.0125, "GB-month", source.s3),
  s3GlacierIrGbMonth: price(0.004, "GB-month", source.s3),
  s3DeepArchiveGbMonth: price(0.00099, "GB-month", source.s3),
} as const satisfies Record<string, Price>;

export type PriceName = keyof typeof prices;

/**
 * How much dearer a region is than us-east-1, for the prices not read for that region: the ratio
 * of its EMR Serverless vCPU-hour price to us-east-1's, from a price list generated from AWS's
 * (GoogleCloudPlatform/PerfKitBenchmarker perfkitbenchmarker/providers/aws/
 * aws_dpb_emr_serverless_prices.py, commit 441d2f9). A compute price, so it tracks instance
 * prices best and storage prices more loosely. Cross-check: the Singapore bill above lists t3.small
 * at $0.0264/h and t3.medium at $0.0528/h, 1.269 × their us-east-1 $0.0208 and $0.0416; the
 * factor below is 1.249. That list has no ap-east-1: Hong Kong takes
 * Singapore's, the nearest region it has, and says so.
 */
const vcpuHourUsd: Readonly<Record<string, number>> = {
  "us-east-1": 0.052624,
  "us-east-2": 0.052624,
  "us-west-1": 0.060528,
  "us-west-2": 0.052624,
  "ca-central-1": 0.057928,
  "sa-east-1": 0.09048,
  "eu-west-1": 0.052624,
  "eu-west-2": 0.060528,
  "eu-west-3": 0.06318,
  "eu-central-1": 0.060528,
  "eu-north-1": 0.05785,
  "ap-south-1": 0.055328,
  "ap-southeast-1": 0.065728,
  "ap-southeast-2": 0.063128,
  "ap-northeast-1": 0.065728,
  "ap-northeast-2": 0.060528,
};

export interface RegionFactor {
  readonly factor: number;
  readonly basis: string;
}

/** Regions the vCPU list lacks, and the region whose factor stands in for each. */
const nearest: Readonly<Record<string, string>> = { "ap-east-1": "ap-southeast-1" };

const usEast1VcpuHour = vcpuHourUsd["us-east-1"] ?? Number.NaN;

export const regionFactors: Readonly<Record<string, RegionFactor>> = Object.fromEntries(
  [...Object.keys(vcpuHourUsd), ...Object.keys(nearest)].map((region) => {
    const proxy = nearest[region] ?? region;
    const factor = Math.round(((vcpuHourUsd[proxy] ?? Number.NaN) / usEast1VcpuHour) * 1000) / 1000;
    const basis =
      proxy === region
        ? `EMR Serverless vCPU-hour ${region} / us-east-1`
        : `EMR Serverless vCPU-hour ${proxy} / us-east-1 (no ${region} figure found; ${proxy} is the nearest)`;
    return [region, { factor, basis }];
  }),
);
