import { type Rule, resourceRule } from "../../lib/rule";
import { t } from "../../lib/types";
import { at, isObject, items, knownStrings, type Plain, show, unknown } from "../../lib/values";

/**
 * ELB policies whose floor is TLS 1.2 and that still serve TLS 1.2 clients (mini-program clients are
 * often old phones; TLS 1.3-only policies would turn them away).
 */
const tls12SslPolicies = [
  "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
  "ELBSecurityPolicy-TLS-1-2-2017-01",
  "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
  "ELBSecurityPolicy-FS-1-2-2019-08",
  "ELBSecurityPolicy-FS-1-2-Res-2019-08",
  "ELBSecurityPolicy-FS-1-2-Res-2020-10",
];

const redirectsToHttps = (action: Plain) =>
  at(action, "type") === "redirect" && at(action, "redirect.protocol") === "HTTPS";

export const albTls = resourceRule<{ allowedSslPolicies: string[] }>({
  id: "security-alb-tls",
  family: "edge",
  concern: "security",
  description:
    "Load balancer listeners serve TLS 1.2+ only: HTTPS listeners use an allowed TLS policy, HTTP listeners " +
    'only redirect to HTTPS. Fix: set sslPolicy to "ELBSecurityPolicy-TLS13-1-2-2021-06" (or another allowed ' +
    'policy), and give port 80 a single default action { type: "redirect", redirect: { protocol: "HTTPS", ' +
    'port: "443", statusCode: "HTTP_301" } }.',
  types: t.listeners,
  config: {
    schema: {
      allowedSslPolicies: {
        type: "array",
        items: { type: "string" },
        minItems: 1,
        description: "ELB security policies an HTTPS/TLS listener may use.",
      },
    },
    defaults: () => ({ allowedSslPolicies: tls12SslPolicies }),
  },
  check: ({ props }, config, report) => {
    const protocol = props.protocol ?? "HTTP";
    if (protocol === unknown) return;
    if (protocol === "HTTPS" || protocol === "TLS") {
      const policy = props.sslPolicy;
      if (policy !== unknown && !config.allowedSslPolicies.includes(String(policy))) {
        report(
          `sslPolicy is ${show(policy)} (not set means ELBSecurityPolicy-2016-08, which accepts TLS 1.0)`,
        );
      }
      return;
    }
    const actions = items(props.defaultActions);
    if (actions === unknown) return;
    if (protocol === "HTTP" && actions.length > 0 && actions.every(redirectsToHttps)) return;
    report(`a ${String(protocol)} listener that does not redirect every request to HTTPS`);
  },
});

export const albDropInvalidHeaders = resourceRule({
  id: "security-alb-drop-invalid-headers",
  family: "edge",
  controls: ["FSBP ELB.4"],
  concern: "security",
  description:
    "Application load balancers drop HTTP headers with invalid names instead of passing them to the " +
    "workload (request smuggling). Fix: set dropInvalidHeaderFields: true.",
  types: t.loadBalancers,
  check: ({ props }, _config, report) => {
    if (props.loadBalancerType !== undefined && props.loadBalancerType !== "application") return;
    const drop = props.dropInvalidHeaderFields;
    if (drop !== true && drop !== unknown) report(`dropInvalidHeaderFields is ${show(drop)}`);
  },
});

/** CloudFront's viewer TLS policies, oldest first: every one CloudFront accepts (the plan's provider checks read it too). */
export const cloudFrontProtocols = [
  "SSLv3",
  "TLSv1",
  "TLSv1_2016",
  "TLSv1.1_2016",
  "TLSv1.2_2018",
  "TLSv1.2_2019",
  "TLSv1.2_2021",
  "TLSv1.2_2025",
  "TLSv1.3_2025",
];
const httpsViewerPolicies = ["redirect-to-https", "https-only"];

export const cloudFrontTls = resourceRule<{ minimumProtocolVersion: string }>({
  id: "security-cloudfront-tls",
  family: "edge",
  controls: ["FSBP CloudFront.3", "FSBP CloudFront.10"],
  concern: "security",
  description:
    "CloudFront serves viewers over HTTPS with a TLS 1.2+ policy and reaches origins over TLS 1.2. Fix: use an " +
    "ACM certificate with minimumProtocolVersion at least the allowed one (not the default *.cloudfront.net " +
    'certificate, which allows TLSv1), viewerProtocolPolicy "redirect-to-https" on every cache behavior, ' +
    'and custom origins with originProtocolPolicy "https-only" and originSslProtocols ["TLSv1.2"].',
  types: [t.distribution],
  config: {
    schema: {
      minimumProtocolVersion: {
        type: "string",
        enum: cloudFrontProtocols,
        description: "Oldest viewer security policy allowed.",
      },
    },
    defaults: () => ({ minimumProtocolVersion: "TLSv1.2_2021" }),
  },
  check: ({ props }, config, report) => {
    const certificate = props.viewerCertificate;
    if (isObject(certificate)) {
      if (certificate.cloudfrontDefaultCertificate === true) {
        report("uses the default CloudFront certificate, whose security policy allows TLSv1");
      } else {
        const version = certificate.minimumProtocolVersion;
        const rank = cloudFrontProtocols.indexOf(String(version));
        if (version !== unknown && rank < cloudFrontProtocols.indexOf(config.minimumProtocolVersion)) {
          report(
            `viewerCertificate.minimumProtocolVersion is ${show(version)}, below ${config.minimumProtocolVersion}`,
          );
        }
      }
    }
    const ordered = items(props.orderedCacheBehaviors);
    const behaviors: (Plain | undefined)[] = [
      props.defaultCacheBehavior,
      ...(ordered === unknown ? [] : ordered),
    ];
    behaviors.forEach((behavior, i) => {
      const policy = at(behavior, "viewerProtocolPolicy");
      if (policy !== unknown && !httpsViewerPolicies.includes(String(policy))) {
        report(
          `${i === 0 ? "defaultCacheBehavior" : `orderedCacheBehaviors[${i - 1}]`} allows ${show(policy)}`,
        );
      }
    });
    const origins = items(props.origins);
    for (const origin of origins === unknown ? [] : origins) {
      const custom = at(origin, "customOriginConfig");
      if (!isObject(custom)) continue;
      const id = show(at(origin, "originId"));
      if (custom.originProtocolPolicy !== "https-only" && custom.originProtocolPolicy !== unknown) {
        report(`origin ${id} is reached with originProtocolPolicy ${show(custom.originProtocolPolicy)}`);
      }
      const old = knownStrings(custom.originSslProtocols).filter((p) => p !== "TLSv1.2");
      if (old.length > 0) report(`origin ${id} allows ${old.join(", ")}`);
    }
  },
});

export const cloudFrontWaf = resourceRule({
  id: "security-cloudfront-waf",
  family: "edge",
  controls: ["FSBP CloudFront.6"],
  concern: "security",
  description:
    "Every CloudFront distribution is protected by a WAF web ACL. Fix: create an aws.wafv2.WebAcl with scope " +
    "CLOUDFRONT (in us-east-1) with AWS managed rule groups and a rate limit, and set webAclId to its ARN.",
  types: [t.distribution],
  check: ({ props }, _config, report) => {
    const acl = props.webAclId;
    if (acl === undefined || acl === null || acl === "") report("webAclId is not set");
  },
});

/** One year: the shortest max-age hstspreload.org accepts for the browsers' preload list. */
const preloadMaxAgeSeconds = 31_536_000;

export const cloudFrontHstsPreload = resourceRule({
  id: "security-cloudfront-hsts-preload",
  family: "edge",
  controls: ["CKV_AWS_259"],
  concern: "security",
  description:
    "CloudFront response headers policies send Strict-Transport-Security with max-age of a year or more, " +
    "includeSubDomains and preload, overriding the origin's, so browsers never try plain HTTP (and can ship " +
    "the name on their preload list). Fix: set securityHeadersConfig.strictTransportSecurity " +
    "{ accessControlMaxAgeSec: 63072000, includeSubdomains: true, preload: true, override: true }.",
  types: [t.responseHeadersPolicy],
  check: ({ props }, _config, report) => {
    const hsts = at(props, "securityHeadersConfig.strictTransportSecurity");
    if (hsts === unknown) return;
    if (!isObject(hsts)) {
      report("sends no Strict-Transport-Security header");
      return;
    }
    const maxAge = hsts.accessControlMaxAgeSec;
    if (typeof maxAge === "number" && maxAge < preloadMaxAgeSeconds) {
      report(`HSTS max-age is ${maxAge} s, under a year`);
    }
    for (const flag of ["includeSubdomains", "preload", "override"]) {
      if (hsts[flag] !== true && hsts[flag] !== unknown) report(`HSTS ${flag} is ${show(hsts[flag])}`);
    }
  },
});

export const edgeSecurityRules: Rule[] = [
  albTls,
  albDropInvalidHeaders,
  cloudFrontTls,
  cloudFrontWaf,
  cloudFrontHstsPreload,
];
