import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { s3ExpirationDaysSchema } from "../lib/buckets";
import { acmFirstNameMaxLength, domainNameSchema, hostedZoneIdSchema } from "../lib/dns";
import { accountIdProblems } from "../lib/placement";
import type { Problem } from "../lib/problems";
import { allowed, integer, integerAtLeast, parseSettings } from "../lib/schema";
import type { ApiOrigin } from "../loadbalancer";
import type { CacheTtl } from "./policies";
import { rateLimitRange } from "./webAcl";

export const priceClasses = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;
export type PriceClass = (typeof priceClasses)[number];

/** Static assets: `/static/<key>` in URLs is the object `static/<key>` in the bucket. */
export const staticAssetsPath = "/static/*";
const staticAssetsPrefix = staticAssetsPath.slice(0, -1);

/** CloudFront allows 75 cache behaviours per distribution by default; /static/* takes one. */
const maxCacheablePaths = 74;
const pathPattern = /^\/[A-Za-z0-9_\-.*$/~"'@:+&]{1,254}$/;

/** The name, WAF limit, edges and logs of a Cdn: type, limits, description and baseline default of each, once. */
export const cdnSettingsSchema = z.object({
  domainName: domainNameSchema(
    acmFirstNameMaxLength,
    "ACM allows 64 characters in a certificate's first name",
  ).describe("Public name of the API, e.g. api.example.com: the distribution's alias and certificate."),
  hostedZoneId: hostedZoneIdSchema.describe("Public Route 53 hosted zone holding domainName."),
  rateLimitPerIp: integer(
    rateLimitRange.min,
    rateLimitRange.max,
    "AWS WAF's range for a rate-based rule's requests per 5 minutes",
  )
    .describe(
      "Requests one client IP may send in any 5 minutes before WAF answers it 429. Mobile carriers put many users behind one address: set it from real traffic.",
    )
    .default(2000),
  priceClass: z
    .enum(priceClasses, allowed(priceClasses.map((c) => `"${c}"`).join(", ")))
    .describe("CloudFront edge locations used; PriceClass_All includes every Asian edge.")
    .default("PriceClass_All"),
  accessLogRetentionDays: s3ExpirationDaysSchema
    .describe(
      "Days the CDN access logs are kept, and its WAF request logs (rounded up to a CloudWatch Logs period).",
    )
    .default(365),
});

export type CdnSettings = z.output<typeof cdnSettingsSchema>;

/** The settings and caching above (optional where they have a default), the origins and the us-east-1 provider. */
export type CdnArgs = Readonly<z.input<typeof cdnSettingsSchema>> &
  Readonly<z.input<typeof cdnCachingSchema>> & {
    /** Account of the distribution; scopes the log bucket policy. @default none (required) */
    readonly accountId: string;
    /**
     * An `aws.Provider` for us-east-1, where CloudFront requires its certificate, WAF web ACL and log
     * delivery source. The caller builds it: a component never creates providers. @default none (required)
     */
    readonly usEast1Provider: pulumi.ProviderResource;
    /** The API behind its load balancer: `LoadBalancer.apiOrigin`. @default none (required) */
    readonly apiOrigin: ApiOrigin;
    /** `TieredStorage.staticAssetsBucketRegionalDomainName`; read through origin access control. @default none (required) */
    readonly staticAssetsBucketRegionalDomainName: pulumi.Input<string>;
    /** Pulumi `protect` on the access-log bucket, which also keeps its objects on destroy. @default true */
    readonly protect?: boolean;
  };

const pathPatternPhrase = allowed(
  "a CloudFront path pattern of 2–255 characters starting with / (A-Z a-z 0-9 _ - . * $ / ~ \" ' @ : + &), " +
    "neither /* (the uncached default) nor under /static/ (the assets)",
);
const cacheablePathsPhrase = allowed(
  `1 to ${maxCacheablePaths} path patterns (the failover origin group serves them; CloudFront allows 75 cache behaviours, /static/* takes one)`,
);

/** CloudFront keeps a response for the origin's `Cache-Control` max-age, clamped to [min, max]. */
function cacheTtlSchema(defaults: CacheTtl) {
  return z
    .object({
      minSeconds: integerAtLeast(0, "a non-negative integer").describe(
        "Shortest time a response is kept, even if the origin says less.",
      ),
      defaultSeconds: integerAtLeast(0, "a non-negative integer").describe(
        "Time a response without Cache-Control or Expires is kept.",
      ),
      maxSeconds: integerAtLeast(
        1,
        "a positive integer (a policy that caches nothing may not have a cache key)",
      ).describe("Longest time a response is kept, even if the origin says more."),
    })
    .partial()
    .transform((ttl): CacheTtl => ({ ...defaults, ...ttl }));
}

/**
 * What the distribution caches and for how long: type, limits, description and default, once.
 * `min ≤ default ≤ max` and each path once are checked in `cdnCachingProblems`.
 */
export const cdnCachingSchema = z.object({
  cacheableApiPaths: z
    .array(
      z
        .string(pathPatternPhrase)
        .regex(pathPattern, pathPatternPhrase)
        .refine((p) => p !== "/*" && !p.startsWith(staticAssetsPrefix), pathPatternPhrase),
      cacheablePathsPhrase,
    )
    .min(1, cacheablePathsPhrase)
    .max(maxCacheablePaths, cacheablePathsPhrase)
    .describe(
      "API GET paths whose answers may be cached briefly and, when the API fails, served from the static-assets bucket's snapshot at the same key (e.g. v1/catalog/home). Only GET and HEAD reach them.",
    )
    .default(["/v1/catalog/*"]),
  apiCacheTtl: cacheTtlSchema({ minSeconds: 0, defaultSeconds: 10, maxSeconds: 60 })
    .describe("How long cacheable API answers are kept.")
    .prefault({}),
  staticAssetsTtl: cacheTtlSchema({ minSeconds: 0, defaultSeconds: 86_400, maxSeconds: 31_536_000 })
    .describe("How long static assets are kept.")
    .prefault({}),
});

export type CdnCaching = z.output<typeof cdnCachingSchema>;

/** CloudFront requires min ≤ default ≤ max. */
function ttlOrderProblems(path: string, ttl: CacheTtl): Problem[] {
  const { minSeconds: min, defaultSeconds: def, maxSeconds: max } = ttl;
  if (max < min) {
    return [
      {
        path: `${path}.maxSeconds`,
        value: max,
        allowed: `an integer of at least ${path}.minSeconds (${min}): CloudFront requires min ≤ default ≤ max`,
      },
    ];
  }
  return def >= min && def <= max
    ? []
    : [
        {
          path: `${path}.defaultSeconds`,
          value: def,
          allowed: `an integer from ${path}.minSeconds (${min}) to ${path}.maxSeconds (${max}): CloudFront requires min ≤ default ≤ max`,
        },
      ];
}

/** What the caching fields demand across values: TTLs in order, each cacheable path once. */
export function cdnCachingProblems(caching: CdnCaching): Problem[] {
  const paths = caching.cacheableApiPaths;
  return [
    ...paths.flatMap((p, i) =>
      paths.indexOf(p) === i
        ? []
        : [{ path: `cacheableApiPaths[${i}]`, value: p, allowed: "each path pattern at most once" }],
    ),
    ...ttlOrderProblems("apiCacheTtl", caching.apiCacheTtl),
    ...ttlOrderProblems("staticAssetsTtl", caching.staticAssetsTtl),
  ];
}

/** Every argument but the provider (a live object, not a value) checked; empty when all are valid. */
export function cdnArgsProblems(args: Omit<CdnArgs, "usEast1Provider">): Problem[] {
  const caching = parseSettings(cdnCachingSchema, args);
  const problems = [
    ...accountIdProblems(args.accountId),
    ...parseSettings(cdnSettingsSchema, args).problems,
    ...caching.problems,
    ...(caching.settings ? cdnCachingProblems(caching.settings) : []),
  ];
  const header = args.apiOrigin.verifyHeaderName;
  if (!/^[A-Za-z0-9-]{1,40}$/.test(header) || /^x-(amz|edge)-/i.test(header)) {
    problems.push({
      path: "apiOrigin.verifyHeaderName",
      value: header,
      allowed:
        "1–40 letters, digits or hyphens (an ALB header condition's limit), not starting with X-Amz- or X-Edge- (reserved by CloudFront)",
    });
  }
  return problems;
}
