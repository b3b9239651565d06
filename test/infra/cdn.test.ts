import assert from "node:assert/strict";
import { test } from "node:test";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { appHttpPort } from "../../app/src/contract/runtimeConfig";
import { Cdn, type CdnArgs, cdnArgsProblems } from "../../infra/cdn";
import { LoadBalancer } from "../../infra/loadbalancer";
import { TieredStorage } from "../../infra/storage";
import type { ComputedOutputs, RecordedResource, Recording } from "../../tools/plan/recorder";
import { recordProgram } from "../../tools/plan/run";
import { ofType, one } from "../support/recording";

const canary = "canary-origin-secret-123";
const accountId = "123456789012";

/** Arguments for a program to record: its own us-east-1 provider, the origin secret as LoadBalancer gives it. */
const programArgs = (): CdnArgs => ({
  accountId,
  domainName: "api.example.com",
  hostedZoneId: "Z0123456789ABCDEFGHIJ",
  usEast1Provider: new aws.Provider("us-east-1", { region: "us-east-1" }),
  apiOrigin: {
    domainName: "origin.api.example.com",
    verifyHeaderName: "X-Crest-Origin-Verify",
    verifyHeaderValue: pulumi.secret(canary),
  },
  staticAssetsBucketRegionalDomainName: "assets.s3.eu-west-1.amazonaws.com",
});

const known: ComputedOutputs = ({ type, name, inputs }) => {
  switch (type) {
    case "random:index/randomPassword:RandomPassword":
      return { result: canary };
    case "aws:s3/bucket:Bucket":
      return {
        bucket: name,
        arn: `arn:aws:s3:::${name}`,
        bucketRegionalDomainName: `${name}.s3.eu-west-1.amazonaws.com`,
      };
    case "aws:cloudfront/distribution:Distribution":
      return {
        arn: `arn:aws:cloudfront::${accountId}:distribution/E2QWRUHEXAMPLE`,
        domainName: "d111111abcdef8.cloudfront.net",
        hostedZoneId: "Z2FDTNDATAQYW2",
      };
    case "aws:wafv2/webAcl:WebAcl":
      return { arn: `arn:aws:wafv2:us-east-1:${accountId}:global/webacl/${name}` };
    case "aws:acm/certificate:Certificate":
      return { arn: `arn:aws:acm:us-east-1:${accountId}:certificate/${name}` };
    case "aws:cloudwatch/logDeliverySource:LogDeliverySource":
      return { name: `${name}-source` };
    case "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination":
      return { arn: `arn:delivery-destination/${name}` };
    case "aws:kms/key:Key":
      return { arn: `arn:aws:kms:eu-west-1:${accountId}:key/${name}` };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { arn: `arn:aws:logs:us-east-1:${accountId}:log-group:${inputs.name}` };
    case "aws:lb/loadBalancer:LoadBalancer":
      return { dnsName: `${name}.elb.example`, zoneId: "ZALB" };
    case "aws:route53/record:Record":
      return { fqdn: String(inputs.name) };
    default:
      return {};
  }
};

const prod = recordProgram(
  "crest",
  "test",
  () => {
    const cdn = new Cdn("cdn", programArgs());
    return { url: cdn.url, distributionArn: cdn.distributionArn, webAclArn: cdn.webAclArn };
  },
  { computedOutputs: known },
);
const dev = prod.then(() =>
  recordProgram(
    "crest",
    "test",
    () =>
      new Cdn("cdn", {
        ...programArgs(),
        cacheableApiPaths: ["/v1/catalog/*", "/v1/prices/*"],
        apiCacheTtl: { defaultSeconds: 5, maxSeconds: 30 },
        staticAssetsTtl: { minSeconds: 60 },
        rateLimitPerIp: 500,
        priceClass: "PriceClass_100",
        accessLogRetentionDays: 30,
        protect: false,
      }),
    { computedOutputs: known },
  ),
);
// The stack's wiring: the bucket's policy names a distribution that needs the bucket's domain name.
const wired = dev.then(() =>
  recordProgram(
    "crest",
    "test",
    () => {
      const [distributionArn, resolveDistributionArn] = pulumi.deferredOutput<string>();
      const storage = new TieredStorage("store", {
        accountId,
        region: "eu-west-1",
        cdnDistributionArns: [distributionArn],
      });
      const lb = new LoadBalancer("lb", {
        accountId,
        region: "eu-west-1",
        vpcId: "vpc-1",
        vpcCidr: "10.20.0.0/16",
        publicSubnetIds: ["subnet-a", "subnet-b"],
        availabilityZones: ["eu-west-1a", "eu-west-1b"],
        domainName: "api.example.com",
        hostedZoneId: "Z0123456789ABCDEFGHIJ",
        targetPort: appHttpPort,
      });
      const cdn = new Cdn("cdn", {
        ...programArgs(),
        apiOrigin: lb.apiOrigin,
        staticAssetsBucketRegionalDomainName: storage.staticAssetsBucketRegionalDomainName,
      });
      resolveDistributionArn(cdn.distributionArn);
    },
    { computedOutputs: known },
  ),
);

const distributionOf = (rec: Recording) => one(rec, "aws:cloudfront/distribution:Distribution");
const inputsOf = (rec: Recording) => distributionOf(rec).inputs as Record<string, unknown>;
type Behaviour = Record<string, unknown>;

function cachePolicy(rec: Recording, name: string): RecordedResource {
  return one(rec, "aws:cloudfront/cachePolicy:CachePolicy", name);
}

function statementsOf(policy: RecordedResource): Record<string, unknown>[] {
  return (JSON.parse(policy.inputs.policy as string) as { Statement: Record<string, unknown>[] }).Statement;
}

test("two origins: the ALB over HTTPS/TLS 1.2 with the secret header, the bucket through OAC", async () => {
  const rec = await prod;
  const [api, assets, ...others] = inputsOf(rec).origins as Record<string, unknown>[];
  assert.equal(others.length, 0);
  assert.deepEqual(api, {
    originId: "api",
    domainName: "origin.api.example.com",
    customOriginConfig: {
      httpPort: 80,
      httpsPort: 443,
      originProtocolPolicy: "https-only",
      originSslProtocols: ["TLSv1.2"],
    },
    customHeaders: [{ name: "X-Crest-Origin-Verify", value: "[secret]" }],
    connectionAttempts: 3,
    connectionTimeout: 5,
  });
  const oac = one(rec, "aws:cloudfront/originAccessControl:OriginAccessControl");
  assert.deepEqual(
    {
      type: oac.inputs.originAccessControlOriginType,
      signing: oac.inputs.signingBehavior,
      protocol: oac.inputs.signingProtocol,
    },
    { type: "s3", signing: "always", protocol: "sigv4" },
  );
  // A new OAC's id is unknown in a preview: the origin holds it, and the distribution waits for it.
  assert.deepEqual(assets, {
    originId: "static-assets",
    domainName: "assets.s3.eu-west-1.amazonaws.com",
    originAccessControlId: "<computed>",
  });
  assert.ok(distributionOf(rec).dependencies.includes(oac.urn));
});

test("the secret origin header value appears only as [secret]", async () => {
  for (const rec of [await prod, await wired]) {
    const rendered = JSON.stringify({ resources: rec.resources, outputs: rec.outputs });
    assert.ok(!rendered.includes(canary), "the origin secret leaked into the plan");
  }
  const [api] = inputsOf(await wired).origins as Record<string, unknown>[];
  assert.deepEqual(api?.customHeaders, [{ name: "X-Crest-Origin-Verify", value: "[secret]" }]);
});

test("the origin group fails cacheable GETs over from the ALB to the bucket on 5xx", async () => {
  assert.deepEqual(inputsOf(await prod).originGroups, [
    {
      originId: "api-or-snapshot",
      failoverCriteria: { statusCodes: [500, 502, 503, 504] },
      members: [{ originId: "api" }, { originId: "static-assets" }],
    },
  ]);
});

test("the API is uncached by default; marked GET paths and static assets are cached, on HTTPS", async () => {
  const rec = await prod;
  const inputs = inputsOf(rec);
  const def = inputs.defaultCacheBehavior as Behaviour;
  assert.equal(def.targetOriginId, "api");
  assert.deepEqual(def.allowedMethods, ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]);
  assert.equal(def.viewerProtocolPolicy, "redirect-to-https");
  const behaviours = inputs.orderedCacheBehaviors as Behaviour[];
  assert.deepEqual(
    behaviours.map((b) => [
      b.pathPattern,
      b.targetOriginId,
      b.allowedMethods,
      b.viewerProtocolPolicy,
      b.compress,
    ]),
    [
      ["/static/*", "static-assets", ["GET", "HEAD"], "redirect-to-https", true],
      ["/v1/catalog/*", "api-or-snapshot", ["GET", "HEAD"], "redirect-to-https", true],
    ],
  );
  // Policy ids are unknown until CloudFront creates them; the distribution depends on each.
  const distribution = distributionOf(rec);
  for (const policy of [
    ...ofType(rec, "aws:cloudfront/cachePolicy:CachePolicy"),
    ...ofType(rec, "aws:cloudfront/originRequestPolicy:OriginRequestPolicy"),
    ...ofType(rec, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy"),
  ]) {
    assert.ok(distribution.dependencies.includes(policy.urn), `${policy.name} is not used`);
  }
});

test("the cache policies: nothing cached by default, a short TTL on the query string, a long one for assets", async () => {
  const rec = await prod;
  const expected: [string, number[], string, boolean][] = [
    ["cdn-api-uncached", [0, 0, 0], "none", false],
    ["cdn-api-cacheable", [0, 10, 60], "all", true],
    ["cdn-static-assets", [0, 86400, 31536000], "none", true],
  ];
  for (const [name, ttl, queryStringBehavior, compress] of expected) {
    const policy = cachePolicy(rec, name);
    assert.deepEqual([policy.inputs.minTtl, policy.inputs.defaultTtl, policy.inputs.maxTtl], ttl, name);
    // Identity (cookies, Authorization) is never part of a cache key, so no one is served another's answer.
    assert.deepEqual(
      policy.inputs.parametersInCacheKeyAndForwardedToOrigin,
      {
        cookiesConfig: { cookieBehavior: "none" },
        headersConfig: { headerBehavior: "none" },
        queryStringsConfig: { queryStringBehavior },
        enableAcceptEncodingGzip: compress,
        enableAcceptEncodingBrotli: compress,
      },
      name,
    );
  }
  const origin = one(rec, "aws:cloudfront/originRequestPolicy:OriginRequestPolicy");
  assert.deepEqual(origin.inputs.headersConfig, {
    headerBehavior: "allExcept",
    headers: { items: ["Host"] },
  });
  assert.deepEqual(origin.inputs.cookiesConfig, { cookieBehavior: "all" });
  assert.deepEqual(origin.inputs.queryStringsConfig, { queryStringBehavior: "all" });
});

test("responses carry HSTS with preload, nosniff and DENY framing", async () => {
  const headers = one(await prod, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy");
  assert.deepEqual(headers.inputs.securityHeadersConfig, {
    strictTransportSecurity: {
      accessControlMaxAgeSec: 63072000,
      includeSubdomains: true,
      preload: true,
      override: true,
    },
    contentTypeOptions: { override: true },
    frameOptions: { frameOption: "DENY", override: true },
    referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
  });
});

test("viewers get TLS 1.2 (2021 policy) with a us-east-1 certificate, HTTP/2 and 3, IPv6, every edge", async () => {
  const rec = await prod;
  const inputs = inputsOf(rec);
  assert.deepEqual(inputs.viewerCertificate, {
    acmCertificateArn: `arn:aws:acm:us-east-1:${accountId}:certificate/cdn-viewer`,
    sslSupportMethod: "sni-only",
    minimumProtocolVersion: "TLSv1.2_2021",
  });
  assert.deepEqual(inputs.aliases, ["api.example.com"]);
  assert.equal(inputs.httpVersion, "http2and3");
  assert.equal(inputs.isIpv6Enabled, true);
  assert.equal(inputs.priceClass, "PriceClass_All");
  const provider = one(rec, "pulumi:providers:aws", "us-east-1");
  const certificate = one(rec, "aws:acm/certificate:Certificate");
  assert.equal(certificate.inputs.domainName, "api.example.com");
  assert.equal(certificate.provider, provider.urn);
  assert.equal(one(rec, "aws:acm/certificateValidation:CertificateValidation").provider, provider.urn);
  // Route 53 and CloudFront are global: they stay on the stack's provider.
  assert.equal(distributionOf(rec).provider, "");
  for (const record of ofType(rec, "aws:route53/record:Record")) assert.equal(record.provider, "");
});

test("a us-east-1 WAF web ACL with the managed groups and a per-IP rate limit answering 429 is attached", async () => {
  const rec = await prod;
  const acl = one(rec, "aws:wafv2/webAcl:WebAcl");
  assert.equal(acl.provider, one(rec, "pulumi:providers:aws", "us-east-1").urn);
  assert.equal(acl.inputs.scope, "CLOUDFRONT");
  assert.deepEqual(acl.inputs.defaultAction, { allow: {} });
  assert.equal(inputsOf(rec).webAclId, `arn:aws:wafv2:us-east-1:${accountId}:global/webacl/cdn`);
  const rules = acl.inputs.rules as Record<string, unknown>[];
  assert.deepEqual(rules[0], {
    name: "rate-limit-per-ip",
    priority: 0,
    action: { block: { customResponse: { responseCode: 429 } } },
    statement: { rateBasedStatement: { limit: 2000, aggregateKeyType: "IP", evaluationWindowSec: 300 } },
    visibilityConfig: {
      cloudwatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: "rate-limit-per-ip",
    },
  });
  assert.deepEqual(
    rules.slice(1).map((r) => [r.priority, r.statement, r.overrideAction]),
    [
      "AWSManagedRulesAmazonIpReputationList",
      "AWSManagedRulesCommonRuleSet",
      "AWSManagedRulesKnownBadInputsRuleSet",
    ].map((name, i) => [i + 1, { managedRuleGroupStatement: { vendorName: "AWS", name } }, { none: {} }]),
  );
  assert.equal((await prod).outputs.webAclArn, `arn:aws:wafv2:us-east-1:${accountId}:global/webacl/cdn`);
});

test("WAF logs every request to an aws-waf-logs- log group in us-east-1 with a key of its own, credentials redacted", async () => {
  const rec = await prod;
  const usEast1 = one(rec, "pulumi:providers:aws", "us-east-1").urn;
  const group = one(rec, "aws:cloudwatch/logGroup:LogGroup");
  assert.equal(group.inputs.name, "aws-waf-logs-cdn");
  assert.equal(group.provider, usEast1);
  // The CDN keeps access logs 365 days, which CloudWatch offers as is.
  assert.equal(group.inputs.retentionInDays, 365);
  const key = one(rec, "aws:kms/key:Key", "cdn-waf-logs");
  assert.equal(group.inputs.kmsKeyId, `arn:aws:kms:eu-west-1:${accountId}:key/cdn-waf-logs`);
  assert.match(String(key.inputs.policy), /log-group:aws-waf-logs-cdn/);
  const logging = one(rec, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration");
  assert.equal(logging.provider, usEast1);
  assert.equal(logging.inputs.resourceArn, `arn:aws:wafv2:us-east-1:${accountId}:global/webacl/cdn`);
  assert.deepEqual(logging.inputs.logDestinationConfigs, [
    `arn:aws:logs:us-east-1:${accountId}:log-group:aws-waf-logs-cdn`,
  ]);
  assert.deepEqual(logging.inputs.redactedFields, [
    { singleHeader: { name: "authorization" } },
    { singleHeader: { name: "cookie" } },
  ]);
});

test("access logs: standard logging v2 from us-east-1 to an ACL-free bucket only log delivery may write", async () => {
  const rec = await prod;
  const provider = one(rec, "pulumi:providers:aws", "us-east-1").urn;
  const source = one(rec, "aws:cloudwatch/logDeliverySource:LogDeliverySource");
  assert.deepEqual(source.inputs, {
    logType: "ACCESS_LOGS",
    resourceArn: `arn:aws:cloudfront::${accountId}:distribution/E2QWRUHEXAMPLE`,
  });
  const destination = one(rec, "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination");
  assert.deepEqual(destination.inputs, {
    outputFormat: "json",
    deliveryDestinationConfiguration: { destinationResourceArn: "arn:aws:s3:::cdn-access-logs" },
  });
  const delivery = one(rec, "aws:cloudwatch/logDelivery:LogDelivery");
  assert.equal(delivery.inputs.deliverySourceName, "cdn-access-logs-source");
  assert.equal(delivery.inputs.deliveryDestinationArn, "arn:delivery-destination/cdn-access-logs");
  for (const r of [source, destination, delivery]) assert.equal(r.provider, provider, r.type);

  const policy = one(rec, "aws:s3/bucketPolicy:BucketPolicy");
  assert.ok(delivery.dependencies.includes(policy.urn), "delivery must wait for the bucket policy");
  const fromThisAccount = {
    StringEquals: { "aws:SourceAccount": accountId },
    ArnLike: { "aws:SourceArn": `arn:aws:logs:us-east-1:${accountId}:*` },
  };
  assert.deepEqual(
    statementsOf(policy).filter((s) => s.Effect === "Allow"),
    [
      {
        Sid: "VendedLogDeliveryWrite",
        Effect: "Allow",
        Principal: { Service: "delivery.logs.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `arn:aws:s3:::cdn-access-logs/AWSLogs/${accountId}/*`,
        Condition: {
          ...fromThisAccount,
          StringEquals: { "aws:SourceAccount": accountId, "s3:x-amz-acl": "bucket-owner-full-control" },
        },
      },
      {
        Sid: "VendedLogDeliveryAclCheck",
        Effect: "Allow",
        Principal: { Service: "delivery.logs.amazonaws.com" },
        Action: ["s3:GetBucketAcl", "s3:ListBucket"],
        Resource: "arn:aws:s3:::cdn-access-logs",
        Condition: fromThisAccount,
      },
    ],
  );
  assert.deepEqual(one(rec, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule, {
    objectOwnership: "BucketOwnerEnforced",
  });
  const bucket = one(rec, "aws:s3/bucket:Bucket");
  assert.equal(bucket.provider, "");
  assert.equal(bucket.protect, true);
  const [rule] = one(rec, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs
    .rules as Record<string, unknown>[];
  assert.deepEqual(rule?.expiration, { days: 365 });
});

test("the public name is an IPv4 and IPv6 alias of the distribution; outputs give the URL", async () => {
  const rec = await prod;
  const records = ofType(rec, "aws:route53/record:Record").filter((r) => r.inputs.aliases !== undefined);
  assert.deepEqual(
    records.map((r) => [r.inputs.type, r.inputs.name, r.inputs.zoneId, r.inputs.aliases]),
    ["A", "AAAA"].map((type) => [
      type,
      "api.example.com",
      "Z0123456789ABCDEFGHIJ",
      [{ name: "d111111abcdef8.cloudfront.net", zoneId: "Z2FDTNDATAQYW2", evaluateTargetHealth: false }],
    ]),
  );
  assert.deepEqual((await prod).outputs.url, "https://api.example.com");
  assert.deepEqual(
    (await prod).outputs.distributionArn,
    `arn:aws:cloudfront::${accountId}:distribution/E2QWRUHEXAMPLE`,
  );
});

test("the dev tier takes its own paths, TTLs, rate limit, price class and retention and can be destroyed", async () => {
  const rec = await dev;
  const inputs = inputsOf(rec);
  assert.equal(inputs.priceClass, "PriceClass_100");
  assert.deepEqual(
    (inputs.orderedCacheBehaviors as Behaviour[]).map((b) => [b.pathPattern, b.targetOriginId]),
    [
      ["/static/*", "static-assets"],
      ["/v1/catalog/*", "api-or-snapshot"],
      ["/v1/prices/*", "api-or-snapshot"],
    ],
  );
  const ttl = (name: string) => {
    const p = cachePolicy(rec, name);
    return [p.inputs.minTtl, p.inputs.defaultTtl, p.inputs.maxTtl];
  };
  assert.deepEqual(ttl("cdn-api-cacheable"), [0, 5, 30]);
  assert.deepEqual(ttl("cdn-static-assets"), [60, 86400, 31536000]);
  const [rateRule] = one(rec, "aws:wafv2/webAcl:WebAcl").inputs.rules as Record<
    string,
    Record<string, unknown>
  >[];
  assert.deepEqual(rateRule?.statement, {
    rateBasedStatement: { limit: 500, aggregateKeyType: "IP", evaluationWindowSec: 300 },
  });
  const bucket = one(rec, "aws:s3/bucket:Bucket");
  assert.equal(bucket.protect, false);
  assert.equal(bucket.inputs.forceDestroy, true);
});

test("wired to TieredStorage through a deferred output, the bucket admits exactly this distribution", async () => {
  const rec = await wired;
  const policy = ofType(rec, "aws:s3/bucketPolicy:BucketPolicy").find(
    (p) => p.name === "store-static-assets",
  );
  assert.ok(policy, "no static-assets bucket policy");
  assert.ok(
    policy.dependencies.includes(distributionOf(rec).urn),
    "the policy must wait for the distribution",
  );
  assert.deepEqual(
    statementsOf(policy).find((s) => s.Sid === "CloudFrontReadsThroughOriginAccessControl")?.Condition,
    { StringEquals: { "AWS:SourceArn": [`arn:aws:cloudfront::${accountId}:distribution/E2QWRUHEXAMPLE`] } },
  );
  const [, assets] = inputsOf(rec).origins as Record<string, unknown>[];
  assert.equal(assets?.domainName, "store-static-assets.s3.eu-west-1.amazonaws.com");
  const [api] = inputsOf(rec).origins as Record<string, unknown>[];
  assert.equal(api?.domainName, "origin.api.example.com");
});

test("argument checks name the field, the value and what is allowed", () => {
  const args: CdnArgs = {
    accountId,
    domainName: "api.example.com",
    hostedZoneId: "Z0123456789ABCDEFGHIJ",
    usEast1Provider: {} as pulumi.ProviderResource,
    apiOrigin: {
      domainName: "origin.api.example.com",
      verifyHeaderName: "X-Crest-Origin-Verify",
      verifyHeaderValue: "",
    },
    staticAssetsBucketRegionalDomainName: "assets.s3.eu-west-1.amazonaws.com",
  };
  const problems = (overrides: Partial<CdnArgs>) => cdnArgsProblems({ ...args, ...overrides });
  assert.deepEqual(cdnArgsProblems(args), []);
  assert.deepEqual(problems({ accountId: "abc" }), [
    { path: "accountId", value: "abc", allowed: "a 12-digit AWS account id" },
  ]);
  const longName = `${"a".repeat(60)}.example.com`;
  for (const domainName of ["Api.Example.com", "*.example.com", "example", longName]) {
    assert.deepEqual(problems({ domainName }), [
      {
        path: "domainName",
        value: domainName,
        allowed:
          "a lower-case DNS name of two or more labels (letters, digits and inner hyphens, 1–63 characters each), " +
          "at most 64 characters (ACM allows 64 characters in a certificate's first name)",
      },
    ]);
  }
  assert.deepEqual(problems({ hostedZoneId: "hostedzone-1" }), [
    {
      path: "hostedZoneId",
      value: "hostedzone-1",
      allowed:
        'a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ" (Z and up to 31 upper-case letters or digits, no "/hostedzone/" prefix)',
    },
  ]);
  for (const rateLimitPerIp of [9, 2_000_000_001, 100.5]) {
    assert.deepEqual(problems({ rateLimitPerIp }), [
      {
        path: "rateLimitPerIp",
        value: rateLimitPerIp,
        allowed:
          "an integer from 10 to 2000000000 (AWS WAF's range for a rate-based rule's requests per 5 minutes)",
      },
    ]);
  }
  assert.deepEqual(problems({ rateLimitPerIp: 10 }), []);
  assert.deepEqual(problems({ priceClass: "PriceClass_50" as never }), [
    {
      path: "priceClass",
      value: "PriceClass_50",
      allowed: '"PriceClass_100", "PriceClass_200", "PriceClass_All"',
    },
  ]);
  assert.deepEqual(problems({ apiCacheTtl: { defaultSeconds: 120 } }), [
    {
      path: "apiCacheTtl.defaultSeconds",
      value: 120,
      allowed:
        "an integer from apiCacheTtl.minSeconds (0) to apiCacheTtl.maxSeconds (60): CloudFront requires min ≤ default ≤ max",
    },
  ]);
  assert.deepEqual(problems({ staticAssetsTtl: { minSeconds: 100, maxSeconds: 50 } }), [
    {
      path: "staticAssetsTtl.maxSeconds",
      value: 50,
      allowed:
        "an integer of at least staticAssetsTtl.minSeconds (100): CloudFront requires min ≤ default ≤ max",
    },
  ]);
  assert.deepEqual(problems({ apiCacheTtl: { minSeconds: -1, maxSeconds: 0 } }), [
    { path: "apiCacheTtl.minSeconds", value: -1, allowed: "a non-negative integer" },
    {
      path: "apiCacheTtl.maxSeconds",
      value: 0,
      allowed: "a positive integer (a policy that caches nothing may not have a cache key)",
    },
  ]);
  const badPath = {
    allowed:
      "a CloudFront path pattern of 2–255 characters starting with / (A-Z a-z 0-9 _ - . * $ / ~ \" ' @ : + &), " +
      "neither /* (the uncached default) nor under /static/ (the assets)",
  };
  for (const p of ["v1/catalog/*", "/*", "/static/prices/*", "/v1/catalog/{id}"]) {
    assert.deepEqual(problems({ cacheableApiPaths: [p] }), [
      { path: "cacheableApiPaths[0]", value: p, ...badPath },
    ]);
  }
  assert.deepEqual(problems({ cacheableApiPaths: ["/v1/a/*", "/v1/a/*"] }), [
    { path: "cacheableApiPaths[1]", value: "/v1/a/*", allowed: "each path pattern at most once" },
  ]);
  assert.deepEqual(problems({ cacheableApiPaths: [] }), [
    {
      path: "cacheableApiPaths",
      value: [],
      allowed:
        "1 to 74 path patterns (the failover origin group serves them; CloudFront allows 75 cache behaviours, /static/* takes one)",
    },
  ]);
  assert.deepEqual(problems({ apiOrigin: { ...args.apiOrigin, verifyHeaderName: "X-Amz-Origin" } }), [
    {
      path: "apiOrigin.verifyHeaderName",
      value: "X-Amz-Origin",
      allowed:
        "1–40 letters, digits or hyphens (an ALB header condition's limit), not starting with X-Amz- or X-Edge- (reserved by CloudFront)",
    },
  ]);
  assert.deepEqual(problems({ accessLogRetentionDays: -3 }), [
    {
      path: "accessLogRetentionDays",
      value: -3,
      allowed: "a positive integer (S3 expires objects after 1 day at the earliest)",
    },
  ]);
});

test("bad arguments stop the component before any child is declared", async () => {
  await wired;
  const registered: string[] = [];
  await assert.rejects(
    recordProgram("crest", "bad", () => new Cdn("bad", { ...programArgs(), rateLimitPerIp: 5 }), {
      onRegister: (r) => registered.push(r.type),
    }),
    (error: Error) =>
      pulumi.InputPropertiesError.isInstance(error) &&
      error.message.startsWith('invalid arguments for crest:edge:Cdn "bad":\nrateLimitPerIp: got 5'),
  );
  // The provider is the caller's; the component itself declared nothing.
  assert.deepEqual(registered.sort(), ["crest:edge:Cdn", "pulumi:providers:aws", "pulumi:pulumi:Stack"]);
});
