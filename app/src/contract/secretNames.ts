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

/** The names of the secrets every stack has; each MySQL shard's is mysqlSecretName(id). */
export const secretNames = {
  redisAuth: "redis-auth",
  kafkaScram: "kafka-scram",
  wechatAppSecret: "wechat-app-secret",
  sessionSigningKey: "session-signing-key",
} as const;

/** Every secret the app needs for a config: what the compute component must mount. */
export function secretReferences(config: RuntimeConfig): SecretReference[] {
  return [
    ...config.mysql.shards.map((shard) => ({ name: mysqlSecretName(shard.id), arn: shard.secretArn })),
    { name: secretNames.redisAuth, arn: config.redis.authSecretArn },
    { name: secretNames.kafkaScram, arn: config.kafka.credentialSecretArn },
    { name: secretNames.wechatAppSecret, arn: config.wechat.appSecretArn },
    { name: secretNames.sessionSigningKey, arn: config.sessionSigningSecretArn },
  ];
}

export function mysqlSecretName(shardId: number): string {
  return `mysql-shard-${shardId}`;
}

export function secretEnvName(name: string): string {
  return `CREST_SECRET_${name.toUpperCase().replaceAll("-", "_")}`;
}
