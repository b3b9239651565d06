import { type Rule, resourceRule, stackRule } from "../../lib/rule";
import { t } from "../../lib/types";
import { at, isObject, items, type PlainObject, show, unknown } from "../../lib/values";

/** Where each store keeps its at-rest switch (absent: always encrypted) and its customer-managed key. */
const atRest: Readonly<Record<string, { readonly flag?: string; readonly key: string }>> = {
  [t.rdsCluster]: { flag: "storageEncrypted", key: "kmsKeyId" },
  [t.rdsInstance]: { flag: "storageEncrypted", key: "kmsKeyId" },
  [t.redisGroup]: { flag: "atRestEncryptionEnabled", key: "kmsKeyId" },
  [t.ebsVolume]: { flag: "encrypted", key: "kmsKeyId" },
  [t.efsFileSystem]: { flag: "encrypted", key: "kmsKeyId" },
  [t.mskCluster]: { key: "encryptionInfo.encryptionAtRestKmsKeyArn" },
  [t.dynamoTable]: { key: "serverSideEncryption.kmsKeyArn" },
  [t.secret]: { key: "kmsKeyId" },
  [t.logGroup]: { key: "kmsKeyId" },
};

export const encryptionAtRest = resourceRule<{ requireCustomerManagedKey: boolean }>({
  id: "security-encryption-at-rest",
  family: "data stores",
  controls: ["FSBP RDS.3", "FSBP ElastiCache.4", "CKV_AWS_149", "CKV_AWS_158"],
  concern: "security",
  description:
    "Every data store, volume, secret and log group is encrypted at rest with a customer-managed KMS key. " +
    "Fix: turn the store's encryption flag on (storageEncrypted, atRestEncryptionEnabled, encrypted) and " +
    "pass the stack's key as its kmsKeyId (an EncryptionKey component gives one with rotation on).",
  types: Object.keys(atRest),
  config: {
    schema: {
      requireCustomerManagedKey: {
        type: "boolean",
        description:
          "Require a customer-managed key, not the AWS-managed default, so access and rotation are ours.",
      },
    },
    defaults: () => ({ requireCustomerManagedKey: true }),
  },
  check: ({ type, props }, config, report) => {
    const spec = atRest[type];
    if (!spec) return;
    const flag = spec.flag && at(props, spec.flag);
    if (spec.flag && flag !== true && flag !== unknown) report(`${spec.flag} is ${show(flag)}`);
    const key = at(props, spec.key);
    if (config.requireCustomerManagedKey && (key === undefined || key === null || key === "")) {
      report(`${spec.key} is not set: the store would use an AWS-managed key`);
    }
  },
});

export const redisTls = resourceRule({
  id: "security-redis-tls",
  family: "data stores",
  controls: ["FSBP ElastiCache.5"],
  concern: "security",
  description:
    "Redis/Valkey accepts TLS connections only. Fix: set transitEncryptionEnabled: true and " +
    'transitEncryptionMode: "required" (or leave the mode unset), and connect with rediss:// / ioredis tls.',
  types: [t.redisGroup],
  check: ({ props }, _config, report) => {
    const enabled = props.transitEncryptionEnabled;
    if (enabled !== true && enabled !== unknown) report(`transitEncryptionEnabled is ${show(enabled)}`);
    if (props.transitEncryptionMode === "preferred") {
      report('transitEncryptionMode is "preferred": clients may still connect without TLS');
    }
  },
});

export const redisAuth = resourceRule({
  id: "security-redis-auth",
  family: "data stores",
  controls: ["FSBP ElastiCache.6"],
  concern: "security",
  description:
    "Redis/Valkey requires clients to authenticate. Fix: set authToken from a generated secret " +
    "(GeneratedSecret) or attach an RBAC user group (userGroupIds).",
  types: [t.redisGroup],
  check: ({ props }, _config, report) => {
    const token = props.authToken;
    const groups = items(props.userGroupIds);
    const hasToken = token !== undefined && token !== null && token !== "";
    if (!hasToken && groups !== unknown && groups.length === 0) {
      report("neither authToken nor userGroupIds is set: anyone who reaches the port can read and write");
    }
  },
});

export const kafkaTls = resourceRule({
  id: "security-kafka-tls",
  family: "data stores",
  controls: ["FSBP MSK.1"],
  concern: "security",
  description:
    "Kafka (MSK) encrypts client and broker traffic and authenticates clients. Fix: leave " +
    'encryptionInfo.encryptionInTransit at clientBroker: "TLS" and inCluster: true, and enable SASL/SCRAM or ' +
    "IAM (clientAuthentication.sasl) with unauthenticated: false.",
  types: [t.mskCluster],
  check: ({ props }, _config, report) => {
    const clientBroker = at(props, "encryptionInfo.encryptionInTransit.clientBroker");
    if (clientBroker !== undefined && clientBroker !== "TLS" && clientBroker !== unknown) {
      report(`encryptionInTransit.clientBroker is ${show(clientBroker)}: clients may use plaintext`);
    }
    if (at(props, "encryptionInfo.encryptionInTransit.inCluster") === false) {
      report("encryptionInTransit.inCluster is false: brokers replicate in plaintext");
    }
    const auth = at(props, "clientAuthentication");
    if (auth === unknown) return;
    if (at(auth, "unauthenticated") === true) report("clientAuthentication.unauthenticated is true");
    const sasl = [at(auth, "sasl.scram"), at(auth, "sasl.iam")];
    const tls = at(auth, "tls");
    if (!sasl.some((v) => v === true || v === unknown) && !isObject(tls) && tls !== unknown) {
      report("no client authentication (sasl.scram, sasl.iam or tls) is configured");
    }
  },
});

/** The parameter that makes an engine refuse plaintext connections, and the value that turns it on. */
function tlsParameter(engine: string): { name: string; on: readonly string[] } | undefined {
  if (/mysql/.test(engine)) return { name: "require_secure_transport", on: ["ON", "1"] };
  if (/postgres/.test(engine)) return { name: "rds.force_ssl", on: ["1"] };
  return undefined;
}

export const databaseTls = stackRule({
  id: "security-database-tls",
  family: "data stores",
  concern: "security",
  description:
    "Aurora clusters refuse connections without TLS 1.2+. Fix: give the cluster a cluster parameter group " +
    "declared in this stack with require_secure_transport=ON (MySQL) or rds.force_ssl=1 (PostgreSQL), and " +
    "tls_version without TLSv1 or TLSv1.1.",
  check: (stack, _config, report) => {
    for (const cluster of stack.ofType(t.rdsCluster)) {
      const engine = cluster.props.engine;
      const wanted = typeof engine === "string" ? tlsParameter(engine) : undefined;
      if (!wanted) continue;
      const groups = stack.referencedBy(cluster, "dbClusterParameterGroupName");
      if (groups.length === 0) {
        if (cluster.props.dbClusterParameterGroupName === unknown) continue;
        report(
          `uses ${show(cluster.props.dbClusterParameterGroupName)} as its parameter group, not one declared here: ` +
            `the default group leaves ${wanted.name} off`,
          cluster.urn,
        );
        continue;
      }
      for (const group of groups) {
        const parameters = items(group.props.parameters);
        if (parameters === unknown) continue;
        const value = (name: string) =>
          parameters.filter(isObject).find((p: PlainObject) => p.name === name)?.value ?? undefined;
        const required = value(wanted.name);
        if (required !== unknown && !wanted.on.includes(String(required))) {
          report(`parameter group ${group.name} sets ${wanted.name} to ${show(required)}`, cluster.urn);
        }
        const versions = value("tls_version");
        if (typeof versions === "string" && /TLSv1(\.1)?(,|$)/.test(versions)) {
          report(`parameter group ${group.name} allows ${versions}`, cluster.urn);
        }
      }
    }
  },
});

export const dataStorePrivate = resourceRule({
  id: "security-data-store-private",
  family: "data stores",
  controls: ["FSBP RDS.2"],
  concern: "security",
  description:
    "Databases and brokers are reachable from inside the VPC only. Fix: set publiclyAccessible: false on " +
    'database instances and leave MSK connectivityInfo.publicAccess.type at "DISABLED".',
  types: [t.rdsClusterInstance, t.rdsInstance, t.mskCluster],
  check: ({ type, props }, _config, report) => {
    if (type === t.mskCluster) {
      const access = at(props, "brokerNodeGroupInfo.connectivityInfo.publicAccess.type");
      if (typeof access === "string" && access !== "DISABLED") report(`publicAccess.type is ${show(access)}`);
    } else if (props.publiclyAccessible === true) {
      report("publiclyAccessible is true: the instance gets a public DNS name and address");
    }
  },
});

export const kmsKeyRotation = resourceRule<{ maxRotationPeriodDays: number }>({
  id: "security-kms-key-rotation",
  family: "KMS",
  controls: ["FSBP KMS.4", "CKV_AWS_7"],
  concern: "security",
  description:
    "Symmetric customer-managed KMS keys rotate automatically. Fix: set enableKeyRotation: true " +
    "(and rotationPeriodInDays no longer than the stack allows).",
  types: [t.kmsKey],
  config: {
    schema: {
      maxRotationPeriodDays: {
        type: "integer",
        minimum: 90,
        maximum: 2560,
        description: "Longest rotation period.",
      },
    },
    defaults: () => ({ maxRotationPeriodDays: 365 }),
  },
  check: ({ props }, config, report) => {
    // Only symmetric encryption keys rotate automatically; a spec not known yet is not judged.
    const spec = props.customerMasterKeySpec ?? props.keySpec ?? "SYMMETRIC_DEFAULT";
    const usage = props.keyUsage ?? "ENCRYPT_DECRYPT";
    if (spec !== "SYMMETRIC_DEFAULT" || usage !== "ENCRYPT_DECRYPT") return;
    if (props.enableKeyRotation !== true && props.enableKeyRotation !== unknown) {
      report(`enableKeyRotation is ${show(props.enableKeyRotation)}`);
    }
    const period = props.rotationPeriodInDays;
    if (typeof period === "number" && period > config.maxRotationPeriodDays) {
      report(`rotationPeriodInDays is ${period}, above ${config.maxRotationPeriodDays}`);
    }
  },
});

export const dataStoreRules: Rule[] = [
  encryptionAtRest,
  redisTls,
  redisAuth,
  kafkaTls,
  databaseTls,
  dataStorePrivate,
  kmsKeyRotation,
];
