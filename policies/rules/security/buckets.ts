import { bucketsWith } from "../../lib/buckets";
import { iamList, statements } from "../../lib/iam";
import { type Rule, stackRule } from "../../lib/rule";
import { t } from "../../lib/types";
import { at, items, type PlainObject, show, unknown } from "../../lib/values";

export const s3Encryption = stackRule<{ allowedAlgorithms: string[] }>({
  id: "security-s3-encryption",
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

/** A statement denying every principal any S3 action over plain HTTP. */
function deniesInsecureTransport(statement: PlainObject): boolean {
  const secureTransport = at(statement, "Condition.Bool.aws:SecureTransport");
  const principal = statement.Principal;
  const everyone = principal === "*" || iamList(at(principal ?? null, "AWS")).includes("*");
  const actions = iamList(statement.Action);
  return (
    statement.Effect === "Deny" &&
    everyone &&
    (actions.includes("s3:*") || actions.includes("*")) &&
    (secureTransport === false || secureTransport === "false")
  );
}

export const s3DenyInsecureTransport = stackRule({
  id: "security-s3-deny-insecure-transport",
  concern: "security",
  description:
    "Every bucket's policy denies requests that do not use TLS. Fix: add an aws.s3.BucketPolicy with a " +
    'statement { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucket, bucket/*], Condition: ' +
    '{ Bool: { "aws:SecureTransport": "false" } } } (storage/policies.ts tlsOnlyStatements).',
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
        // A policy naming resources not created yet is unknown in a preview; it is checked once known.
        if (list !== unknown && !list.some(deniesInsecureTransport)) {
          report(`bucket ${bucket.name}: the policy has no Deny on aws:SecureTransport false`, bucket.urn);
        }
      }
    }
  },
});

export const bucketSecurityRules: Rule[] = [s3Encryption, s3PublicAccessBlocked, s3DenyInsecureTransport];
