import type { RuntimeConfig } from "./runtimeConfig";

/**
 * A secret the workload reads: the Secrets Manager ARN the stack created, and the name the pod
 * sees it under — a file `<CREST_SECRETS_DIR>/<name>` (e.g. a Secrets Store CSI volume with
 * `objectAlias: <name>`) or an environment variable CREST_SECRET_<NAME_IN_UPPER_SNAKE_CASE>.
 * The content is the secret's JSON string as stored in Secrets Manager.
 */
export interface SecretReference {
  readonly name: string;
  readonly arn: string;
}

/** Every secret the app needs for a config: what the compute component must mount. */
export function secretReferences(config: RuntimeConfig): SecretReference[] {
  return [
    ...config.mysql.shards.map((shard) => ({ name: mysqlSecretName(shard.id), arn: shard.secretArn })),
    { name: "redis-auth", arn: config.redis.authSecretArn },
    { name: "kafka-scram", arn: config.kafka.credentialSecretArn },
    { name: "wechat-app-secret", arn: config.wechat.appSecretArn },
    { name: "session-signing-key", arn: config.sessionSigningSecretArn },
  ];
}

export function mysqlSecretName(shardId: number): string {
  return `mysql-shard-${shardId}`;
}

export function secretEnvName(name: string): string {
  return `CREST_SECRET_${name.toUpperCase().replaceAll("-", "_")}`;
}
