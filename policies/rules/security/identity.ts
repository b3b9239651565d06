import { type Rule, resourceRule } from "../../lib/rule";
import { t } from "../../lib/types";
import { anyUnknown, at, isObject, items, knownStrings, type Plain, show, unknown } from "../../lib/values";
import { containersOf, podSpec, workloadTypes } from "../../lib/workloads";

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
  family: "supply chain",
  controls: ["CKV_AWS_41", "CKV_SECRET_2"],
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
  family: "Kubernetes",
  controls: ["FSBP EKS.3"],
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
  family: "Kubernetes",
  controls: ["FSBP EKS.1"],
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
  family: "Kubernetes",
  controls: ["FSBP EKS.8"],
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
  noPlaintextSecrets,
  eksSecretsEncryption,
  eksPrivateEndpoint,
  eksAuditLogs,
];
