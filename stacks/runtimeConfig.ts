import * as pulumi from "@pulumi/pulumi";
import type { RuntimeConfig } from "../app/src/contract/runtimeConfig";
import type { KafkaCluster } from "../infra/kafka";
import type { ShardedMysql } from "../infra/mysql";
import type { RedisCluster } from "../infra/redis";
import type { TieredStorage } from "../infra/storage";
import { topicNames } from "./components";

export interface RuntimeConfigSources {
  readonly mysql: ShardedMysql;
  readonly redis: RedisCluster;
  readonly kafka: KafkaCluster;
  readonly storage: TieredStorage;
}

/**
 * The workload's RuntimeConfig, assembled from the data tier's outputs and type-checked against the
 * schema the app validates at boot. Only secret ARNs travel in it, never secret values.
 */
export function runtimeConfig(sources: RuntimeConfigSources): pulumi.Output<RuntimeConfig> {
  const { mysql, redis, kafka, storage } = sources;
  return pulumi
    .all([
      mysql.shardMap,
      redis.configurationEndpoint,
      redis.authSecretArn,
      kafka.bootstrapBrokersSaslScram,
      kafka.credentialSecretArn,
      storage.archiveBucketName,
      storage.staticAssetsBucketName,
    ])
    .apply(
      ([shards, redisEndpoint, redisSecret, brokers, kafkaSecret, archive, staticAssets]): RuntimeConfig => ({
        mysql: { shards },
        redis: {
          configurationEndpoint: redisEndpoint,
          port: redis.port,
          tls: redis.tls,
          authSecretArn: redisSecret,
        },
        kafka: {
          bootstrapBrokers: brokers,
          tls: true,
          saslMechanism: "scram-sha-512",
          credentialSecretArn: kafkaSecret,
          topics: { ...topicNames },
        },
        buckets: { archive, staticAssets },
      }),
    );
}
