/**
 * What a month of traffic and data looks like for a tier: the usage the cost estimate prices
 * usage-billed items from (tools/plan/cost). Resources say what is provisioned (instance classes,
 * broker counts, volumes); these figures say how much flows through what is provisioned. They are
 * assumptions to be replaced by measured figures (CloudWatch, Cost Explorer) once a stack runs.
 */
export interface UsageAssumption {
  /** Viewer requests a month that reach CloudFront; every one is also inspected by the WAF. */
  readonly edgeRequestsPerMonth: number;
  /** GB a month CloudFront serves to viewers. */
  readonly edgeGbPerMonth: number;
  /** Load balancer capacity units the ALB averages over the month (its busiest dimension). */
  readonly loadBalancerCapacityUnits: number;
  /** GB a month through the NAT gateways, all of them together (S3 takes the free gateway endpoint). */
  readonly natGbPerMonth: number;
  /** GB ingested a month by each CloudWatch log group; stored GB follows from its retention. */
  readonly logGbPerGroupPerMonth: number;
  /** GB a month of access logs CloudFront delivers to S3 (vended log delivery). */
  readonly edgeLogGbPerMonth: number;
  /** GB each Aurora cluster (one per shard) stores. */
  readonly auroraGbPerCluster: number;
  /** GB of AWS Backup recovery points each Aurora cluster keeps per vault (its retention's worth). */
  readonly backupGbPerCluster: number;
  /** Millions of storage I/O requests a month per Aurora cluster (Aurora Standard bills them). */
  readonly auroraIoMillionsPerCluster: number;
  /** GB each bucket without lifecycle transitions (logs, static assets) holds in S3 Standard. */
  readonly bucketGb: number;
  /** GB a bucket with lifecycle transitions (the archive) holds in each storage class it uses. */
  readonly tieredBucketGb: Readonly<
    Record<"STANDARD" | "STANDARD_IA" | "GLACIER_IR" | "DEEP_ARCHIVE", number>
  >;
  /** GB a month replicated to the DR region (billed as inter-region data transfer). */
  readonly replicatedGbPerMonth: number;
  /** GB of container images each ECR repository keeps (its lifecycle policy bounds it). */
  readonly imageGb: number;
}

/**
 * Per tier (the tiers of schema.ts; a test holds the two lists equal). Prod: a mini-program backend
 * at about 300 M API calls a month (a flash sale is a few hours of that); dev: a team's testing, a
 * hundredth of it. The policy pack reads this file too, so it imports nothing from the config
 * schema (the pack's TypeScript compiler resolves zod differently).
 */
export const usageByTier = {
  prod: {
    edgeRequestsPerMonth: 300_000_000,
    edgeGbPerMonth: 3_000,
    loadBalancerCapacityUnits: 20,
    natGbPerMonth: 2_000,
    logGbPerGroupPerMonth: 50,
    edgeLogGbPerMonth: 60,
    auroraGbPerCluster: 200,
    backupGbPerCluster: 400,
    auroraIoMillionsPerCluster: 500,
    bucketGb: 100,
    tieredBucketGb: { STANDARD: 100, STANDARD_IA: 200, GLACIER_IR: 900, DEEP_ARCHIVE: 3_000 },
    replicatedGbPerMonth: 100,
    imageGb: 20,
  },
  dev: {
    edgeRequestsPerMonth: 3_000_000,
    edgeGbPerMonth: 30,
    loadBalancerCapacityUnits: 1,
    natGbPerMonth: 50,
    logGbPerGroupPerMonth: 2,
    edgeLogGbPerMonth: 1,
    auroraGbPerCluster: 10,
    backupGbPerCluster: 15,
    auroraIoMillionsPerCluster: 10,
    bucketGb: 5,
    tieredBucketGb: { STANDARD: 5, STANDARD_IA: 5, GLACIER_IR: 10, DEEP_ARCHIVE: 10 },
    replicatedGbPerMonth: 0,
    imageGb: 5,
  },
} as const satisfies Readonly<Record<string, UsageAssumption>>;

export type UsageTier = keyof typeof usageByTier;
