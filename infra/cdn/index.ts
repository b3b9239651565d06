import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { aliasRecords, dnsValidatedCertificate } from "../lib/dns";
import { tls } from "../lib/pins";
import { assertValidArgs } from "../lib/problems";
import { cdnAccessLogs } from "./accessLogs";
import { type CdnArgs, cdnArgsProblems, cdnCachingSchema, cdnSettingsSchema, staticAssetsPath } from "./args";
import { edgePolicies } from "./policies";
import { cdnWebAcl, webAclLogging } from "./webAcl";

export {
  type CdnArgs,
  type CdnCaching,
  type CdnSettings,
  cdnArgsProblems,
  cdnCachingProblems,
  cdnCachingSchema,
  cdnSettingsSchema,
  type PriceClass,
  priceClasses,
} from "./args";

const token = "crest:edge:Cdn";

const originIds = { api: "api", staticAssets: "static-assets", apiOrSnapshot: "api-or-snapshot" } as const;
/**
 * Answers from the ALB that send a cacheable GET to the snapshot instead. 500/502/503/504 are the
 * ALB or the API failing; a 4xx is the API's answer and passes through. Connection failures and
 * timeouts fail over as well.
 */
const failoverStatusCodes = [500, 502, 503, 504];

/**
 * The public edge of the API: a CloudFront distribution in front of the load balancer and the
 * static-assets bucket, behind a WAF web ACL. The API is uncached except the GET paths marked
 * cacheable, which fail over to a snapshot in the bucket when the API errs; static assets are
 * cached long. Viewers get TLS 1.2+ (CloudFront's 2021 policy) over HTTP/2 or HTTP/3, origins HTTPS with
 * TLS 1.2; the bucket is read through origin access control (SigV4 on every request).
 */
export class Cdn extends pulumi.ComponentResource {
  public readonly distributionArn: pulumi.Output<string>;
  public readonly distributionId: pulumi.Output<string>;
  public readonly distributionDomainName: pulumi.Output<string>;
  public readonly webAclArn: pulumi.Output<string>;
  public readonly accessLogBucketName: pulumi.Output<string>;
  /** `https://<domainName>`: what the mini-program and the smoke test call. */
  public readonly url: string;

  constructor(name: string, args: CdnArgs, opts?: pulumi.ComponentResourceOptions) {
    super(token, name, {}, opts);
    assertValidArgs(token, name, cdnArgsProblems(args));
    const caching = cdnCachingSchema.parse(args);
    const settings = cdnSettingsSchema.parse(args);
    const usEast1 = { parent: this, provider: args.usEast1Provider };

    const certificateArn = dnsValidatedCertificate(
      `${name}-viewer`,
      { domainName: args.domainName, hostedZoneId: args.hostedZoneId },
      usEast1,
    );
    const webAcl = cdnWebAcl(name, { rateLimitPerIp: settings.rateLimitPerIp }, usEast1);
    webAclLogging(
      name,
      { accountId: args.accountId, webAcl, accessLogRetentionDays: settings.accessLogRetentionDays },
      usEast1,
    );
    const originAccessControl = new aws.cloudfront.OriginAccessControl(
      name,
      {
        description: `${name} reads the static-assets bucket`,
        originAccessControlOriginType: "s3",
        // Sign every request, overriding any Authorization header a viewer sends.
        signingBehavior: "always",
        signingProtocol: "sigv4",
      },
      { parent: this },
    );
    const policies = edgePolicies(
      name,
      {
        api: caching.apiCacheTtl,
        staticAssets: caching.staticAssetsTtl,
      },
      this,
    );
    const viewer = {
      viewerProtocolPolicy: "redirect-to-https",
      responseHeadersPolicyId: policies.securityHeaders.id,
    };
    const readOnly = { allowedMethods: ["GET", "HEAD"], cachedMethods: ["GET", "HEAD"], compress: true };

    const distribution = new aws.cloudfront.Distribution(
      name,
      {
        comment: `${args.domainName}: API and static assets`,
        enabled: true,
        aliases: [args.domainName],
        httpVersion: "http2and3",
        isIpv6Enabled: true,
        priceClass: settings.priceClass,
        webAclId: webAcl.arn,
        viewerCertificate: {
          acmCertificateArn: certificateArn,
          sslSupportMethod: "sni-only",
          minimumProtocolVersion: tls.cloudFrontMinimumProtocolVersion.value,
        },
        restrictions: { geoRestriction: { restrictionType: "none" } },
        origins: [
          {
            originId: originIds.api,
            domainName: args.apiOrigin.domainName,
            customOriginConfig: {
              httpPort: 80,
              httpsPort: 443,
              originProtocolPolicy: "https-only",
              originSslProtocols: [...tls.cloudFrontOriginSslProtocols.value],
            },
            customHeaders: [
              { name: args.apiOrigin.verifyHeaderName, value: args.apiOrigin.verifyHeaderValue },
            ],
            // A dead load balancer is given up on after 3 × 5 s, not 3 × 10 s, before failover.
            connectionAttempts: 3,
            connectionTimeout: 5,
          },
          {
            originId: originIds.staticAssets,
            domainName: args.staticAssetsBucketRegionalDomainName,
            originAccessControlId: originAccessControl.id,
          },
        ],
        originGroups: [
          {
            originId: originIds.apiOrSnapshot,
            failoverCriteria: { statusCodes: failoverStatusCodes },
            members: [{ originId: originIds.api }, { originId: originIds.staticAssets }],
          },
        ],
        defaultCacheBehavior: {
          ...viewer,
          targetOriginId: originIds.api,
          allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
          cachedMethods: ["GET", "HEAD"],
          cachePolicyId: policies.apiUncached.id,
          originRequestPolicyId: policies.allViewerExceptHost.id,
          compress: false,
        },
        orderedCacheBehaviors: [
          {
            ...viewer,
            ...readOnly,
            pathPattern: staticAssetsPath,
            targetOriginId: originIds.staticAssets,
            cachePolicyId: policies.staticAssets.id,
          },
          // Origin groups serve only GET/HEAD behaviours; what the snapshot must not see (cookies,
          // identity headers) stays out of the cache key and therefore out of the origin request.
          ...caching.cacheableApiPaths.map((pathPattern) => ({
            ...viewer,
            ...readOnly,
            pathPattern,
            targetOriginId: originIds.apiOrSnapshot,
            cachePolicyId: policies.apiCacheable.id,
          })),
        ],
        tags: { Name: name },
      },
      { parent: this },
    );

    const accessLogs = cdnAccessLogs(
      `${name}-access-logs`,
      {
        accountId: args.accountId,
        distributionArn: distribution.arn,
        retentionDays: settings.accessLogRetentionDays,
        protect: args.protect ?? true,
        usEast1Provider: args.usEast1Provider,
      },
      this,
    );
    aliasRecords(
      name,
      {
        hostedZoneId: args.hostedZoneId,
        domainName: args.domainName,
        types: ["A", "AAAA"],
        target: {
          dnsName: distribution.domainName,
          zoneId: distribution.hostedZoneId,
          evaluateTargetHealth: false,
        },
      },
      this,
    );

    this.distributionArn = distribution.arn;
    this.distributionId = distribution.id;
    this.distributionDomainName = distribution.domainName;
    this.webAclArn = webAcl.arn;
    this.accessLogBucketName = accessLogs.bucket.bucket;
    this.url = `https://${args.domainName}`;
    this.registerOutputs({
      distributionArn: this.distributionArn,
      distributionId: this.distributionId,
      distributionDomainName: this.distributionDomainName,
      webAclArn: this.webAclArn,
      accessLogBucketName: this.accessLogBucketName,
      url: this.url,
    });
  }
}
