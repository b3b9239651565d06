import type * as pulumi from "@pulumi/pulumi";
import { runtimeConfigSchema, type ServiceSettings } from "../../app/src/contract/runtimeConfig";
import {
  mysqlSecretName,
  type SecretReference,
  secretNames,
  secretReferences,
} from "../../app/src/contract/secretNames";
import type { WorkloadMode, WorkloadSecretArns } from "./args";

export interface SecretMount {
  /** The file name in the pod's secrets directory (the app's secret name). */
  readonly name: string;
  readonly arn: pulumi.Input<string>;
}

/**
 * The secrets each mode's pods mount, least privilege first: the worker never signs sessions or calls
 * WeChat, and the smoke test only signs a token for its probe user.
 */
export function secretMounts(secrets: WorkloadSecretArns): Record<WorkloadMode, SecretMount[]> {
  const stores: SecretMount[] = [
    ...secrets.mysqlShards.map((arn, shardId) => ({ name: mysqlSecretName(shardId), arn })),
    { name: secretNames.redisAuth, arn: secrets.redisAuth },
    { name: secretNames.kafkaScram, arn: secrets.kafkaScram },
  ];
  const signing = { name: secretNames.sessionSigningKey, arn: secrets.sessionSigningKey };
  return {
    api: [...stores, { name: secretNames.wechatAppSecret, arn: secrets.wechatAppSecret }, signing],
    worker: stores,
    smoke: [signing],
  };
}

/**
 * The RuntimeConfig file the pods read: validated with the app's own schema, with the component's
 * `service` section, and checked to name exactly the secrets the API mounts. A mismatch fails the
 * deploy here, with the names, instead of crash-looping pods later.
 */
export function runtimeConfigFile(
  config: object,
  service: ServiceSettings,
  apiSecrets: readonly SecretReference[],
): string {
  const parsed = runtimeConfigSchema.safeParse({ ...config, service });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new Error(`the RuntimeConfig does not match the app's schema:\n${issues.join("\n")}`);
  }
  const key = (s: SecretReference) => `${s.name}=${s.arn}`;
  const mounted = new Set(apiSecrets.map(key));
  const named = secretReferences(parsed.data).map(key);
  const unmounted = named.filter((k) => !mounted.has(k));
  const unused = [...mounted].filter((k) => !named.includes(k));
  if (unmounted.length > 0 || unused.length > 0) {
    throw new Error(
      `the RuntimeConfig and the mounted secrets disagree: named but not mounted [${unmounted.join(", ")}]; ` +
        `mounted but not named [${unused.join(", ")}]`,
    );
  }
  return `${JSON.stringify(parsed.data, null, 2)}\n`;
}
