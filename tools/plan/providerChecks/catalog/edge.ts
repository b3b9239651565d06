import { cloudFrontProtocols } from "../../../../policies/rules/security/edge";
import type { RecordedResource } from "../../recorder";
import { awsPage, type Finding, knownString, notIn, type ProviderRule } from "../types";

const tls13 = ["1-0", "1-1", "1-2", "1-2-Res", "1-2-Ext1", "1-2-Ext2", "1-3"];
const fips = ["1-0", "1-1", "1-2", "1-2-Res", "1-2-Ext0", "1-2-Ext1", "1-2-Ext2", "1-3"];

/** Security policies of Application Load Balancer HTTPS listeners. */
export const albSslPolicies = [
  ...tls13.map((v) => `ELBSecurityPolicy-TLS13-${v}-2021-06`),
  ...["1-2", "1-2-Res", "1-2-Ext1", "1-2-Ext2", "1-3"].map((v) => `ELBSecurityPolicy-TLS13-${v}-PQ-2025-09`),
  ...fips.map((v) => `ELBSecurityPolicy-TLS13-${v}-FIPS-2023-04`),
  ...["1-2", "1-2-Res", "1-2-Ext0", "1-2-Ext1", "1-2-Ext2", "1-3"].map(
    (v) => `ELBSecurityPolicy-TLS13-${v}-FIPS-PQ-2025-09`,
  ),
  "ELBSecurityPolicy-FS-1-2-Res-2020-10",
  "ELBSecurityPolicy-FS-1-2-Res-2019-08",
  "ELBSecurityPolicy-FS-1-2-2019-08",
  "ELBSecurityPolicy-FS-1-1-2019-08",
  "ELBSecurityPolicy-FS-2018-06",
  "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
  "ELBSecurityPolicy-TLS-1-2-2017-01",
  "ELBSecurityPolicy-TLS-1-1-2017-01",
  "ELBSecurityPolicy-2016-08",
  "ELBSecurityPolicy-2015-05",
];

export const albSslPolicy: ProviderRule = {
  id: "alb-ssl-policy",
  source: awsPage(
    "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html",
  ),
  types: ["aws:lb/listener:Listener"],
  check(resource: RecordedResource): Finding[] {
    const policy = knownString(resource.inputs, "sslPolicy");
    return policy && !albSslPolicies.includes(policy) ? [notIn("sslPolicy", policy, albSslPolicies)] : [];
  },
};

/**
 * CloudFront viewer security policies (`minimumProtocolVersion`): the policy pack's list, which names
 * every policy of the page below, oldest first.
 */
export const cloudFrontSecurityPolicies: readonly string[] = cloudFrontProtocols;

export const cloudFrontSecurityPolicy: ProviderRule = {
  id: "cloudfront-security-policy",
  source: awsPage(
    "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html",
  ),
  types: ["aws:cloudfront/distribution:Distribution"],
  check(resource: RecordedResource): Finding[] {
    const path = "viewerCertificate.minimumProtocolVersion";
    const policy = knownString(resource.inputs, path);
    return policy && !cloudFrontSecurityPolicies.includes(policy)
      ? [notIn(path, policy, cloudFrontSecurityPolicies)]
      : [];
  },
};

/** AWS Managed Rules rule groups (vendor `AWS`) a web ACL can reference by name. */
export const awsManagedRuleGroups = [
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesAdminProtectionRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
  "AWSManagedRulesSQLiRuleSet",
  "AWSManagedRulesLinuxRuleSet",
  "AWSManagedRulesUnixRuleSet",
  "AWSManagedRulesWindowsRuleSet",
  "AWSManagedRulesPHPRuleSet",
  "AWSManagedRulesWordPressRuleSet",
  "AWSManagedRulesAmazonIpReputationList",
  "AWSManagedRulesAnonymousIpList",
  "AWSManagedRulesBotControlRuleSet",
  "AWSManagedRulesATPRuleSet",
  "AWSManagedRulesACFPRuleSet",
  "AWSManagedRulesAntiDDoSRuleSet",
];

/** Every `managedRuleGroupStatement` in a web ACL's rules, however deeply nested, with its input path. */
function managedStatements(value: unknown, path: string): [string, Record<string, unknown>][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => managedStatements(v, `${path}[${i}]`));
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const at = `${path}.${key}`;
    return key === "managedRuleGroupStatement" && v && typeof v === "object"
      ? [[at, v as Record<string, unknown>] as [string, Record<string, unknown>], ...managedStatements(v, at)]
      : managedStatements(v, at);
  });
}

export const wafManagedRuleGroup: ProviderRule = {
  id: "waf-managed-rule-group",
  source: awsPage("https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html"),
  types: ["aws:wafv2/webAcl:WebAcl"],
  check(resource: RecordedResource): Finding[] {
    return managedStatements(resource.inputs.rules, "rules").flatMap(([path, statement]) =>
      statement.vendorName === "AWS" &&
      typeof statement.name === "string" &&
      !awsManagedRuleGroups.includes(statement.name)
        ? [notIn(`${path}.name`, statement.name, awsManagedRuleGroups)]
        : [],
    );
  },
};
