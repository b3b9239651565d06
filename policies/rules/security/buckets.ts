import { bucketsWith } from "../../lib/buckets";
import { admitsAnyone, globMatches, iamList, publicGrants, statementLabel, statements } from "../../lib/iam";
import { type Rule, resourceRule, stackRule } from "../../lib/rule";
import { t } from "../../lib/types";
import { at, isObject, items, type Plain, type PlainObject, show, unknown } from "../../lib/values";

export const s3Encryption = stackRule<{ allowedAlgorithms: string[] }>({
  id: "security-s3-encryption",
  family: "S3",
  controls: ["FSBP S3.17"],
  concern: "security",
  description:
    "Every bucket declares its default encryption. Fix: add an aws.s3.BucketServerSideEncryptionConfiguration " +
    'for the bucket with sseAlgorithm "aws:kms" and the stack\'s key (SSE-S3 "AES256" only where a service ' +
    "cannot use KMS, such as the server-access-log bucket).",
  config: {
    schema: {
      allowedAlgorithms: {
        type: "array",
        items: { type: "string", enum: ["aws:kms", "aws:kms:dsse", "AES256"] },
        minItems: 1,
        description: "Server-side encryption algorithms a bucket may use.",
      },
    },
    defaults: () => ({ allowedAlgorithms: ["aws:kms", "aws:kms:dsse", "AES256"] }),
  },
  check: (stack, config, report) => {
    for (const { bucket, settings } of bucketsWith(stack, t.bucketEncryption)) {
      if (settings.length === 0) {
        report(`bucket ${bucket.name} has no server-side encryption configuration`, bucket.urn);
      }
      for (const setting of settings) {
        const rules = items(setting.props.rules);
        if (rules === unknown) continue;
        for (const rule of rules) {
          const algorithm = at(rule, "applyServerSideEncryptionByDefault.sseAlgorithm");
          if (algorithm !== unknown && !config.allowedAlgorithms.includes(String(algorithm))) {
            report(`bucket ${bucket.name} encrypts with ${show(algorithm)}`, bucket.urn);
          }
        }
      }
    }
  },
});

const publicAccessFlags = [
  "blockPublicAcls",
  "blockPublicPolicy",
  "ignorePublicAcls",
  "restrictPublicBuckets",
];

export const s3PublicAccessBlocked = stackRule({
  id: "security-s3-public-access-blocked",
  family: "S3",
  controls: ["FSBP S3.8", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"],
  concern: "security",
  description:
    "Every bucket blocks public access. Fix: add an aws.s3.BucketPublicAccessBlock for the bucket with " +
    "blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true; serve public " +
    "content through CloudFront with origin access control instead.",
  check: (stack, _config, report) => {
    for (const { bucket, settings } of bucketsWith(stack, [t.bucketPublicAccessBlock])) {
      if (settings.length === 0) report(`bucket ${bucket.name} has no public access block`, bucket.urn);
      for (const setting of settings) {
        const off = publicAccessFlags.filter(
          (flag) => setting.props[flag] !== true && setting.props[flag] !== unknown,
        );
        if (off.length > 0) report(`bucket ${bucket.name}: ${off.join(", ")} not true`, bucket.urn);
      }
    }
  },
});

/** The values a statement's condition gives `key` under an operator matching `operator`, any case. */
function conditionValues(statement: PlainObject, operator: RegExp, key: string): Plain[] {
  const condition = statement.Condition;
  if (!isObject(condition)) return [];
  return Object.entries(condition)
    .filter(([op]) => operator.test(op))
    .flatMap(([, tests]) =>
      isObject(tests)
        ? Object.entries(tests)
            .filter(([k]) => k.toLowerCase() === key.toLowerCase())
            .flatMap(([, v]) => (Array.isArray(v) ? v : [v]))
        : [],
    );
}

/**
 * A Deny of every S3 action, for everyone, on the bucket and its objects: the shape that makes a
 * condition apply to every request. `name` is the bucket's name when known.
 */
function deniesAllOnBucket(statement: PlainObject, name: string | undefined): boolean {
  const actions = iamList(statement.Action);
  const everything = ["s3:GetObject", "s3:PutObject", "s3:ListBucket"].every((a) =>
    actions.some((p) => globMatches(p, a)),
  );
  const resources = iamList(statement.Resource);
  const covers = (arn: string) => resources.some((p) => globMatches(p, arn));
  const onBucket = !name || (covers(`arn:aws:s3:::${name}`) && covers(`arn:aws:s3:::${name}/any-key`));
  return statement.Effect === "Deny" && admitsAnyone(statement.Principal) && everything && onBucket;
}

/** What a bucket policy's denies leave open: plain HTTP, TLS older than 1.2. */
function transportGaps(list: readonly PlainObject[], name: string | undefined): string[] {
  const denies = list.filter((s) => deniesAllOnBucket(s, name));
  const plainHttp = denies.some((s) =>
    conditionValues(s, /^Bool(IfExists)?$/, "aws:SecureTransport").some((v) => String(v) === "false"),
  );
  const oldTls = denies.some((s) =>
    conditionValues(s, /^NumericLessThan(IfExists)?$/, "s3:TlsVersion").some((v) => Number(v) >= 1.2),
  );
  return [
    ...(plainHttp ? [] : ["requests without TLS (a Deny of s3:* for * on aws:SecureTransport false)"]),
    ...(oldTls ? [] : ["TLS older than 1.2 (a Deny of s3:* for * on NumericLessThan s3:TlsVersion 1.2)"]),
  ];
}

export const s3DenyInsecureTransport = stackRule({
  id: "security-s3-deny-insecure-transport",
  concern: "security",
  family: "S3",
  controls: ["FSBP S3.5", "CIS AWS 2.1.1", "AwsSolutions-S10"],
  description:
    "Every bucket's policy denies requests without TLS and with TLS older than 1.2, for everyone, on the bucket " +
    'and its objects. Fix: add an aws.s3.BucketPolicy with { Effect: "Deny", Principal: "*", Action: "s3:*", ' +
    'Resource: [bucket, bucket/*], Condition: { Bool: { "aws:SecureTransport": "false" } } } and the same Deny ' +
    'with { NumericLessThan: { "s3:TlsVersion": 1.2 } } (storage/policies.ts tlsOnlyStatements).',
  check: (stack, _config, report) => {
    for (const { bucket, settings } of bucketsWith(stack, [t.bucketPolicy])) {
      if (settings.length === 0) {
        report(
          `bucket ${bucket.name} has no bucket policy, so plain-HTTP requests are not denied`,
          bucket.urn,
        );
      }
      for (const setting of settings) {
        const list = statements(setting.props.policy);
        // A policy naming resources not created yet is unknown in a preview; the resolved pass judges it.
        if (list === unknown) continue;
        const name = [setting.props.bucket, bucket.props.bucket].find((n) => typeof n === "string") as
          | string
          | undefined;
        for (const gap of transportGaps(list, name))
          report(`bucket ${bucket.name}: the policy allows ${gap}`, bucket.urn);
      }
    }
  },
});

export const s3NoPublicGrant = resourceRule({
  id: "security-s3-policy-not-public",
  concern: "security",
  family: "S3",
  controls: ["FSBP S3.2", "FSBP S3.3", "FSBP S3.6", "CKV_AWS_70"],
  description:
    'A bucket policy grants nothing to everyone, reading included: no Allow to Principal "*" or {"AWS": "*"} ' +
    "unless a condition on aws:SourceArn, aws:SourceAccount, aws:SourceVpce, aws:PrincipalOrgID or " +
    "aws:PrincipalAccount (fixed values) narrows it, and no Allow with NotPrincipal. Fix: serve public content " +
    "through CloudFront with origin access control; grant a service by its service principal with a source condition.",
  types: [t.bucketPolicy],
  check: ({ props }, _config, report) => {
    const list = statements(props.policy);
    if (list === unknown) return;
    for (const s of publicGrants(list))
      report(
        `${statementLabel(s, list.indexOf(s))} grants ${show(s.Action)} to ${show(s.Principal ?? s.NotPrincipal)}`,
      );
  },
});

/** A CloudFront distribution's ARN, named exactly (no wildcard). */
const distributionArn = /^arn:aws:cloudfront::\d{12}:distribution\/[A-Z0-9]+$/;

export const s3CloudFrontThroughOac = resourceRule({
  id: "security-s3-cloudfront-oac-only",
  concern: "security",
  family: "S3",
  controls: ["FSBP CloudFront.13", "AwsSolutions-CFR7"],
  description:
    "CloudFront reads a bucket only through origin access control: the grant names the service principal " +
    "cloudfront.amazonaws.com with a condition on AWS:SourceArn naming each distribution's ARN (no wildcard), " +
    "and no statement grants a legacy origin access identity. Fix: use cloudFrontReadStatements " +
    "(storage/policies.ts) with the distribution ARNs, and an aws.cloudfront.OriginAccessControl on the origin.",
  types: [t.bucketPolicy],
  check: ({ props }, _config, report) => {
    const list = statements(props.policy);
    if (list === unknown) return;
    list.forEach((s, i) => {
      if (s.Effect !== "Allow") return;
      const label = statementLabel(s, i);
      const principal = s.Principal ?? null;
      if (
        iamList(at(principal, "AWS")).some((p) =>
          p.includes(":cloudfront:user/CloudFront Origin Access Identity"),
        )
      )
        report(`${label} grants a legacy origin access identity; use origin access control`);
      if (!iamList(at(principal, "Service")).includes("cloudfront.amazonaws.com")) return;
      const sources = conditionValues(s, /^(StringEquals|ArnEquals|ArnLike|StringLike)$/, "aws:SourceArn");
      if (sources.length === 0) report(`${label} grants CloudFront without an AWS:SourceArn condition`);
      for (const source of sources.filter((v) => v !== unknown && !distributionArn.test(String(v))))
        report(`${label}: AWS:SourceArn ${show(source)} is not one distribution's ARN`);
    });
  },
});

export const bucketSecurityRules: Rule[] = [
  s3Encryption,
  s3PublicAccessBlocked,
  s3DenyInsecureTransport,
  s3NoPublicGrant,
  s3CloudFrontThroughOac,
];
