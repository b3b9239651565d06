import type { KafkaCredentials } from "../adapters/kafka/connection";
import type { ShardCredentials } from "../adapters/mysql/shardPools";
import { credentialsSecret, passwordSecret, type SecretSource } from "../adapters/secrets";
import type { RuntimeConfig } from "../contract/runtimeConfig";
import { mysqlSecretName, secretNames } from "../contract/secretNames";

/** The data stores' logins, which both modes use. */
export interface StoreCredentials {
  readonly redisPassword: string;
  /** SASL/SCRAM: the producer and, in the worker, the consumer log in with it. */
  readonly kafka: KafkaCredentials;
  readonly shards: ReadonlyMap<number, ShardCredentials>;
}

/** What only the API holds: WeChat's AppSecret and the key that signs session tokens. */
export interface ApiCredentials {
  readonly wechatAppSecret: string;
  readonly sessionSigningKey: string;
}

/** A `{ password }` secret's password. */
async function readPassword(secrets: SecretSource, name: string, arn: string): Promise<string> {
  return (await secrets.read({ name, arn }, passwordSecret)).password;
}

/** Each data store's secret, read once at boot; a missing or malformed one fails the boot, naming it. */
export async function readStoreCredentials(
  config: RuntimeConfig,
  secrets: SecretSource,
): Promise<StoreCredentials> {
  const redisPassword = await readPassword(secrets, secretNames.redisAuth, config.redis.authSecretArn);
  const kafka = await secrets.read(
    { name: secretNames.kafkaScram, arn: config.kafka.credentialSecretArn },
    credentialsSecret,
  );
  const shards = new Map<number, ShardCredentials>();
  for (const shard of config.mysql.shards) {
    shards.set(
      shard.id,
      await secrets.read({ name: mysqlSecretName(shard.id), arn: shard.secretArn }, credentialsSecret),
    );
  }
  return { redisPassword, kafka, shards };
}

/** The session signing key: the API signs and verifies with it, the smoke command signs its probe's token. */
export async function readSessionSigningKey(config: RuntimeConfig, secrets: SecretSource): Promise<string> {
  return readPassword(secrets, secretNames.sessionSigningKey, config.sessionSigningSecretArn);
}

export async function readApiCredentials(
  config: RuntimeConfig,
  secrets: SecretSource,
): Promise<ApiCredentials> {
  return {
    wechatAppSecret: await readPassword(secrets, secretNames.wechatAppSecret, config.wechat.appSecretArn),
    sessionSigningKey: await readSessionSigningKey(config, secrets),
  };
}
