import { iamList, statements } from "../../lib/iam";
import { type Rule, resourceRule } from "../../lib/rule";
import { t } from "../../lib/types";
import {
  anyUnknown,
  at,
  isObject,
  items,
  knownStrings,
  type Plain,
  type PlainObject,
  show,
  unknown,
} from "../../lib/values";
import { containersOf, podSpec, workloadTypes } from "../../lib/workloads";

/** Where each IAM resource keeps its permission documents. */
function permissionDocuments(type: string, props: PlainObject): Plain[] {
  if (type === t.iamRole) {
    const inline = items(props.inlinePolicies);
    return inline === unknown ? [] : inline.map((p) => at(p, "policy") ?? null);
  }
  return [props.policy ?? null];
}

const adminPolicies = ["arn:aws:iam::aws:policy/AdministratorAccess"];

export const iamNoAdminWildcard = resourceRule({
  id: "security-iam-no-admin-wildcard",
  concern: "security",
  description:
    'No IAM policy allows every action ("*" or "*:*") and no role gets AdministratorAccess. Fix: list the ' +
    "actions the principal needs, on the resources it needs them for (see storage/policies.ts for the pattern).",
  types: [
    t.iamPolicy,
    t.iamRolePolicy,
    t.iamUserPolicy,
    t.iamGroupPolicy,
    t.iamRole,
    t.iamRolePolicyAttachment,
  ],
  check: ({ type, props }, _config, report) => {
    if (type === t.iamRolePolicyAttachment) {
      if (typeof props.policyArn === "string" && adminPolicies.includes(props.policyArn)) {
        report(`attaches ${props.policyArn}`);
      }
      return;
    }
    for (const document of permissionDocuments(type, props)) {
      const list = statements(document);
      if (list === unknown) continue;
      for (const statement of list) {
        const actions = iamList(statement.Action);
        if (statement.Effect === "Allow" && actions.some((a) => a === "*" || a === "*:*")) {
          report(
            `allows ${actions.filter((a) => a.startsWith("*")).join(", ")} on ${show(statement.Resource)}`,
          );
        }
        if (statement.Effect === "Allow" && statement.NotAction !== undefined) {
          report(`allows everything except ${show(statement.NotAction)} (NotAction with Allow)`);
        }
      }
    }
  },
});

/** Values that are credentials whatever field holds them. */
const credentialPatterns: readonly [string, RegExp][] = [
  ["a private key", /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/],
  ["an AWS access key id", /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/],
  ["a URL with a password", /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i],
];

/** Fields made to hold a secret; they are judged by how the secret got there, not by its shape. */
const secretFields: Readonly<Record<string, readonly string[]>> = {
  "aws:secretsmanager/secretVersion:SecretVersion": ["secretString", "secretBinary"],
  "kubernetes:core/v1:Secret": ["data", "stringData"],
  [t.ssmParameter]: ["value", "insecureValue"],
};

/** Provider inputs that are credentials; they belong in the environment (OIDC role, AWS profile). */
const providerCredentialKeys = ["accessKey", "secretKey", "token", "password", "clientSecret"];

function* strings(value: Plain | undefined, path: string): Generator<[string, string]> {
  if (typeof value === "string") yield [path, value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, `${path}[${i}]`);
  else if (isObject(value))
    for (const [k, v] of Object.entries(value)) yield* strings(v, path ? `${path}.${k}` : k);
}

export const noPlaintextSecrets = resourceRule<{ credentialNamePattern: string }>({
  id: "security-no-plaintext-secrets",
  concern: "security",
  description:
    "No credential is written in plain text into a resource input. Fix: generate it (random.RandomPassword) and " +
    "keep it in Secrets Manager; pass workloads a reference (env valueFrom.secretKeyRef, a Secrets Manager " +
    "ARN) and let RDS manage master passwords (manageMasterUserPassword: true); use SSM SecureString parameters; " +
    "give providers credentials through the environment (an OIDC role in CI), never as arguments.",
  types: (type) => /^(aws:|kubernetes:|pulumi:providers:)/.test(type),
  config: {
    schema: {
      credentialNamePattern: {
        type: "string",
        minLength: 1,
        description:
          "Case-insensitive pattern of names (env vars, ConfigMap keys, SSM parameters) that hold credentials.",
      },
    },
    defaults: () => ({
      credentialNamePattern: "password|passwd|secret|token|api[_-]?key|private[_-]?key|credential",
    }),
  },
  check: ({ type, props }, config, report) => {
    const skipped = secretFields[type] ?? [];
    for (const [path, value] of strings(props, "")) {
      if (skipped.some((field) => path === field || path.startsWith(`${field}.`))) continue;
      for (const [what, pattern] of credentialPatterns)
        if (pattern.test(value)) report(`${path} holds ${what}`);
    }
    const credentialName = new RegExp(config.credentialNamePattern, "i");
    // A name ending in _ARN, _NAME, _ID, … is a reference to a secret, which is what we want.
    const isCredential = (name: Plain | undefined) =>
      typeof name === "string" &&
      credentialName.test(name) &&
      !/(arn|name|id|ref|path|file|url)$/i.test(name);
    if (type.startsWith("pulumi:providers:")) {
      const keys = providerCredentialKeys.filter(
        (key) => typeof props[key] === "string" && props[key] !== "",
      );
      if (keys.length > 0) report(`provider credentials (${keys.join(", ")}) are set in the program`);
    }
    if ((type === t.rdsCluster || type === t.rdsInstance) && typeof props.masterPassword === "string") {
      report("masterPassword is set in the program");
    }
    if (type === t.ssmParameter && props.type === "String" && isCredential(props.name)) {
      report(`parameter ${show(props.name)} is a plain String`);
    }
    if (type === t.configMap && isObject(props.data)) {
      for (const key of Object.keys(props.data).filter(isCredential))
        report(`ConfigMap key ${key} holds a credential`);
    }
    const pod = workloadTypes.includes(type) ? podSpec(type, props) : undefined;
    for (const container of pod ? containersOf(pod) : []) {
      const env = items(container.spec.env);
      for (const variable of env === unknown ? [] : env) {
        if (isCredential(at(variable, "name")) && typeof at(variable, "value") === "string") {
          report(`${container.label} env ${show(at(variable, "name"))} is a literal value`);
        }
      }
    }
  },
});

export const eksSecretsEncryption = resourceRule({
  id: "security-eks-secrets-encryption",
  concern: "security",
  description:
    "EKS encrypts Kubernetes Secrets with a customer-managed KMS key (envelope encryption). Fix: set " +
    'encryptionConfig { resources: ["secrets"], provider: { keyArn: <EncryptionKey arn> } }.',
  types: [t.eksCluster],
  check: ({ props }, _config, report) => {
    const config = props.encryptionConfig;
    if (config === unknown) return;
    const resources = at(config, "resources");
    if (!anyUnknown(resources) && !knownStrings(resources).includes("secrets")) {
      report("encryptionConfig does not cover secrets");
    }
    const key = at(config, "provider.keyArn");
    if (key === undefined || key === null || key === "")
      report("encryptionConfig.provider.keyArn is not set");
  },
});

export const eksPrivateEndpoint = resourceRule({
  id: "security-eks-private-endpoint",
  concern: "security",
  description:
    "The EKS API endpoint is reachable from the VPC only. Fix: set vpcConfig.endpointPublicAccess: false and " +
    "endpointPrivateAccess: true; reach the cluster through the VPC (VPN, SSM port forwarding, CI runners inside).",
  types: [t.eksCluster],
  check: ({ props }, _config, report) => {
    const publicAccess = at(props, "vpcConfig.endpointPublicAccess");
    if (publicAccess !== false && publicAccess !== unknown) {
      report(`vpcConfig.endpointPublicAccess is ${show(publicAccess)} (EKS defaults it to true)`);
    }
    const privateAccess = at(props, "vpcConfig.endpointPrivateAccess");
    if (privateAccess !== true && privateAccess !== unknown) {
      report(`vpcConfig.endpointPrivateAccess is ${show(privateAccess)}`);
    }
  },
});

export const eksAuditLogs = resourceRule<{ requiredLogTypes: string[] }>({
  id: "security-eks-audit-logs",
  concern: "security",
  description:
    'EKS ships its control-plane logs. Fix: set enabledClusterLogTypes to include "api", "audit" and ' +
    '"authenticator", into a log group with a retention and a KMS key.',
  types: [t.eksCluster],
  config: {
    schema: {
      requiredLogTypes: {
        type: "array",
        items: { type: "string", enum: ["api", "audit", "authenticator", "controllerManager", "scheduler"] },
        description: "Control-plane log types that must be enabled.",
      },
    },
    defaults: () => ({ requiredLogTypes: ["api", "audit", "authenticator"] }),
  },
  check: ({ props }, config, report) => {
    if (anyUnknown(props.enabledClusterLogTypes)) return;
    const enabled = knownStrings(props.enabledClusterLogTypes);
    const missing = config.requiredLogTypes.filter((type) => !enabled.includes(type));
    if (missing.length > 0) report(`enabledClusterLogTypes lacks ${missing.join(", ")}`);
  },
});

export const identitySecurityRules: Rule[] = [
  iamNoAdminWildcard,
  noPlaintextSecrets,
  eksSecretsEncryption,
  eksPrivateEndpoint,
  eksAuditLogs,
];
