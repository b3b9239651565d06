import { admitsAnyone, iamList, publicGrants, statementLabel, statements } from "../../lib/iam";
import { type Rule, resourceRule, type StackResourceView, type StackView, stackRule } from "../../lib/rule";
import { t } from "../../lib/types";
import { at, isObject, type Plain, show, unknown } from "../../lib/values";

export const kmsKeyPolicyNotPublic = resourceRule({
  id: "security-kms-key-policy-not-public",
  concern: "security",
  family: "KMS",
  controls: ["FSBP KMS.5", "CKV_AWS_33"],
  description:
    'A key policy grants nothing to everyone: no Allow to Principal "*" or {"AWS": "*"} unless a condition on ' +
    "kms:CallerAccount, kms:ViaService, aws:SourceAccount, aws:SourceArn, aws:PrincipalAccount or " +
    "aws:PrincipalOrgID (fixed values) ties it to this account or a service acting for it; no Allow with " +
    "NotPrincipal. Fix: name the account root (arn:aws:iam::<account>:root) or the service principal, with " +
    "a source condition (infra/kms/encryptionKey.ts keyPolicy).",
  types: [t.kmsKey, "aws:kms/keyPolicy:KeyPolicy", "aws:kms/replicaKey:ReplicaKey"],
  check: ({ props }, _config, report) => {
    const list = statements(props.policy);
    if (list === unknown) return;
    for (const s of publicGrants(list)) {
      report(
        `${statementLabel(s, list.indexOf(s))} grants ${show(s.Action)} to ${show(s.Principal ?? s.NotPrincipal)}`,
      );
    }
  },
});

/** Where each data store names its key; an absent key is security-encryption-at-rest's finding. */
const storeKeys: Readonly<Record<string, string>> = {
  [t.rdsCluster]: "kmsKeyId",
  [t.rdsInstance]: "kmsKeyId",
  [t.redisGroup]: "kmsKeyId",
  [t.mskCluster]: "encryptionInfo.encryptionAtRestKmsKeyArn",
  [t.dynamoTable]: "serverSideEncryption.kmsKeyArn",
  [t.efsFileSystem]: "kmsKeyId",
  [t.bucketEncryption[0]]: "rules.0.applyServerSideEncryptionByDefault.kmsMasterKeyId",
  [t.bucketEncryption[1]]: "rules.0.applyServerSideEncryptionByDefault.kmsMasterKeyId",
};

/** The component directly under the stack that declared a resource: one data store, however many shards. */
function storeOf(stack: StackView, resource: StackResourceView): string {
  let current = resource;
  for (;;) {
    const parent = current.parent ? stack.get(current.parent) : undefined;
    if (!parent || parent.type === "pulumi:pulumi:Stack") return current.urn;
    current = parent;
  }
}

/**
 * The key a store uses: its ARN once known, else the KMS key resources the value was computed from
 * (a preview knows which key even before it knows its ARN).
 */
function keysOf(stack: StackView, store: StackResourceView, path: string): string[] {
  const value = at(store.props, path);
  if (typeof value === "string" && value !== "") return [value];
  const property = path.split(".")[0] ?? path;
  return stack
    .referencedBy(store, property)
    .filter((r) => r.type === t.kmsKey)
    .map((r) => r.urn);
}

export const kmsKeyPerDataStore = stackRule({
  id: "security-kms-key-per-data-store",
  concern: "security",
  family: "KMS",
  controls: ["AWS KMS best practices: separate keys per data store (blast radius)"],
  description:
    "Every data store (Aurora, Redis, Kafka, buckets of one storage tier, DynamoDB, EFS) encrypts with its own " +
    "customer-managed key, so a key policy or grant opens one store only and a compromised key is rotated or " +
    "disabled for one store. Fix: give the component its own EncryptionKey instead of passing another's key ARN.",
  check: (stack, _config, report) => {
    const users = new Map<string, Map<string, StackResourceView>>();
    for (const [type, path] of Object.entries(storeKeys)) {
      for (const store of stack.ofType(type)) {
        for (const key of keysOf(stack, store, path)) {
          const stores = users.get(key) ?? new Map<string, StackResourceView>();
          if (!stores.has(storeOf(stack, store))) stores.set(storeOf(stack, store), store);
          users.set(key, stores);
        }
      }
    }
    for (const [key, stores] of users) {
      if (stores.size < 2) continue;
      const names = [...stores.values()].map((s) => s.name).sort();
      for (const store of stores.values()) {
        report(
          `${store.name} shares key ${key.split("::").pop()} with ${names.filter((n) => n !== store.name).join(", ")}`,
          store.urn,
        );
      }
    }
  },
});

/** Whether a principal names who it admits: a service, an account or role ARN without wildcards. */
function named(principal: Plain | undefined): boolean {
  if (!isObject(principal) || admitsAnyone(principal)) return false;
  return Object.values(principal).every((v) => iamList(v).every((p) => p !== "" && !p.includes("*")));
}

export const secretPolicyNamedPrincipals = resourceRule({
  id: "security-secret-policy-named-principals",
  concern: "security",
  family: "data stores",
  controls: ["KICS Secrets Manager With Vulnerable Policy", "Secrets Manager BlockPublicPolicy"],
  description:
    "A secret's resource policy admits only named principals (a service such as kafka.amazonaws.com, or an " +
    'account or role ARN without wildcards): no "*", no {"AWS": "*"}, no NotPrincipal, even with a condition, ' +
    "and blockPublicPolicy is not turned off. Fix: name the principal that reads the secret; give workloads " +
    "access through their IRSA role's identity policy instead.",
  types: ["aws:secretsmanager/secretPolicy:SecretPolicy"],
  check: ({ props }, _config, report) => {
    if (props.blockPublicPolicy === false) report("blockPublicPolicy is false");
    const list = statements(props.policy);
    if (list === unknown) return;
    list.forEach((s, i) => {
      if (s.Effect !== "Allow") return;
      if (s.NotPrincipal !== undefined || !named(s.Principal))
        report(
          `${statementLabel(s, i)} admits ${show(s.Principal ?? s.NotPrincipal)}, not a named principal`,
        );
    });
  },
});

export const resourcePolicyRules: Rule[] = [
  kmsKeyPolicyNotPublic,
  kmsKeyPerDataStore,
  secretPolicyNamedPrincipals,
];
