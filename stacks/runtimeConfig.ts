import * as pulumi from "@pulumi/pulumi";
import type { KafkaCluster } from "../infra/kafka";
import type { ShardedMysql } from "../infra/mysql";
import type { RedisCluster } from "../infra/redis";
import type { AppSecrets } from "../infra/security";
import type { TieredStorage } from "../infra/storage";
import type { RuntimeConfigSource } from "../infra/workload";
import { topicNames } from "./components";
import type { WechatSettings } from "./config/types";

export interface RuntimeConfigSources {
  readonly mysql: ShardedMysql;
  readonly redis: RedisCluster;
  readonly kafka: KafkaCluster;
  readonly storage: TieredStorage;
  readonly appSecrets: AppSecrets;
  readonly wechat: WechatSettings;
}

/**
 * The workload's RuntimeConfig, assembled from the components' outputs and type-checked against the
 * schema the app validates at boot (the workload adds its `service` section). Only secret ARNs
 * travel in it, never secret values.
 */
export function runtimeConfig(sources: RuntimeConfigSources): pulumi.Output<RuntimeConfigSource> {
  const { mysql, redis, kafka, storage, appSecrets, wechat } = sources;
  return pulumi
    .output({
      shards: mysql.shardMap,
      redisEndpoint: redis.configurationEndpoint,
      redisSecret: redis.authSecretArn,
      brokers: kafka.bootstrapBrokersSaslScram,
      kafkaSecret: kafka.credentialSecretArn,
      archive: storage.archiveBucketName,
      staticAssets: storage.staticAssetsBucketName,
      wechatSecret: appSecrets.wechatAppSecretArn,
      signingSecret: appSecrets.sessionSigningSecretArn,
    })
    .apply(
      (v): RuntimeConfigSource => ({
        // Aurora MySQL 3 requires TLS for these users; the app verifies with the RDS CA bundle.
        mysql: { shards: v.shards, tls: true },
        redis: {
          configurationEndpoint: v.redisEndpoint,
          port: redis.port,
          clusterMode: true,
          tls: redis.tls,
          authSecretArn: v.redisSecret,
        },
        kafka: {
          bootstrapBrokers: v.brokers,
          tls: true,
          saslMechanism: "scram-sha-512",
          credentialSecretArn: v.kafkaSecret,
          topics: { ...topicNames },
        },
        buckets: { archive: v.archive, staticAssets: v.staticAssets },
        wechat: { apiBaseUrl: wechat.apiBaseUrl, appId: wechat.appId, appSecretArn: v.wechatSecret },
        sessionSigningSecretArn: v.signingSecret,
      }),
    );
}
