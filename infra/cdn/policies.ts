import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** How long CloudFront keeps a response: origin `Cache-Control` within [min, max], else default. */
export interface CacheTtl {
  readonly minSeconds: number;
  readonly defaultSeconds: number;
  readonly maxSeconds: number;
}

/** The cache, origin-request and response-header policies the distribution's behaviours use. */
export interface EdgePolicies {
  /** The API's default: nothing cached, nothing in the cache key (CachingDisabled, declared). */
  readonly apiUncached: aws.cloudfront.CachePolicy;
  /** GET paths marked cacheable: a short TTL keyed on the query string only, never on identity. */
  readonly apiCacheable: aws.cloudfront.CachePolicy;
  /** Static assets: long TTL, no query strings (asset names carry their version). */
  readonly staticAssets: aws.cloudfront.CachePolicy;
  /** Every viewer header but Host, every cookie and query string (AllViewerExceptHostHeader, declared). */
  readonly allViewerExceptHost: aws.cloudfront.OriginRequestPolicy;
  readonly securityHeaders: aws.cloudfront.ResponseHeadersPolicy;
}

const uncached: CacheTtl = { minSeconds: 0, defaultSeconds: 0, maxSeconds: 0 };
/** Two years, the HSTS max-age hstspreload.org recommends. */
const hstsMaxAgeSeconds = 63_072_000;

function cachePolicy(
  name: string,
  comment: string,
  ttl: CacheTtl,
  queryStringBehavior: "none" | "all",
  parent: pulumi.Resource,
): aws.cloudfront.CachePolicy {
  // CloudFront compresses only what it may cache; a policy that caches nothing must not ask to.
  const compress = ttl.maxSeconds > 0;
  return new aws.cloudfront.CachePolicy(
    name,
    {
      comment,
      minTtl: ttl.minSeconds,
      defaultTtl: ttl.defaultSeconds,
      maxTtl: ttl.maxSeconds,
      parametersInCacheKeyAndForwardedToOrigin: {
        cookiesConfig: { cookieBehavior: "none" },
        headersConfig: { headerBehavior: "none" },
        queryStringsConfig: { queryStringBehavior },
        enableAcceptEncodingGzip: compress,
        enableAcceptEncodingBrotli: compress,
      },
    },
    { parent },
  );
}

/**
 * Declared rather than AWS's managed policies so that every setting is in the plan for review.
 * CloudFront allows 20 cache policies per account (not adjustable): this set takes 3.
 */
export function edgePolicies(
  name: string,
  ttl: { readonly api: CacheTtl; readonly staticAssets: CacheTtl },
  parent: pulumi.Resource,
): EdgePolicies {
  return {
    apiUncached: cachePolicy(`${name}-api-uncached`, "API: never cached", uncached, "none", parent),
    apiCacheable: cachePolicy(
      `${name}-api-cacheable`,
      "API GETs marked cacheable: short TTL, keyed on the query string",
      ttl.api,
      "all",
      parent,
    ),
    staticAssets: cachePolicy(
      `${name}-static-assets`,
      "Static assets: long TTL",
      ttl.staticAssets,
      "none",
      parent,
    ),
    allViewerExceptHost: new aws.cloudfront.OriginRequestPolicy(
      `${name}-all-viewer-except-host`,
      {
        // Host stays the origin's name, so the ALB's certificate and host routing match.
        comment: "API: every viewer header except Host, every cookie and query string",
        headersConfig: { headerBehavior: "allExcept", headers: { items: ["Host"] } },
        cookiesConfig: { cookieBehavior: "all" },
        queryStringsConfig: { queryStringBehavior: "all" },
      },
      { parent },
    ),
    securityHeaders: new aws.cloudfront.ResponseHeadersPolicy(
      `${name}-security-headers`,
      {
        comment: "HSTS with preload, nosniff, no framing, strict referrer",
        securityHeadersConfig: {
          strictTransportSecurity: {
            accessControlMaxAgeSec: hstsMaxAgeSeconds,
            includeSubdomains: true,
            // On the browsers' built-in HTTPS-only list once submitted to hstspreload.org, which
            // requires max-age of a year or more, includeSubDomains and preload.
            preload: true,
            override: true,
          },
          contentTypeOptions: { override: true },
          frameOptions: { frameOption: "DENY", override: true },
          referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
        },
      },
      { parent },
    ),
  };
}
