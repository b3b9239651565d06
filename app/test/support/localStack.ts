import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { createPool, type Pool } from "mysql2/promise";
import { type LocalServices, startLocalServices } from "../../../tools/services";
import type { RuntimeConfigInput } from "../../src/contract/runtimeConfig";
import { mysqlSecretName, secretEnvName, secretNames } from "../../src/contract/secretNames";

export const topics = { orders: "crest.orders", deadLetter: "crest.orders.dead-letter" } as const;
const arn = (name: string) =>
  `arn:aws:secretsmanager:us-east-1:123456789012:secret:crest-test/${name}-AbCdEf`;

/** Real Redis, two MariaDB shards and Kafka (SCRAM) on loopback, with the app's topics created. */
export interface LocalStack {
  readonly services: LocalServices;
  readonly redis: Redis;
  /** One pool per shard, indexed by shard id. */
  readonly shards: Pool[];
  readonly signingKey: string;
  config(service?: RuntimeConfigInput["service"], wechatBaseUrl?: string): RuntimeConfigInput;
  /** The environment a child process needs: secrets as CREST_SECRET_* variables. */
  secretEnv(): Record<string, string>;
  stop(): Promise<void>;
}

export async function startLocalStack(log: (line: string) => void): Promise<LocalStack> {
  const services = await startLocalServices({ redis: true, mysqlShards: 2, kafka: true, onProgress: log });
  const { redis: redisService, kafka } = services;
  if (!redisService || !kafka) throw new Error("the local stack needs Redis and Kafka");
  if (!kafka.sasl) {
    throw new Error(
      "KAFKA_BROKERS names a Kafka without SCRAM: set KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (the app always authenticates with SCRAM-SHA-512)",
    );
  }
  await kafka.createTopics([
    { name: topics.orders, partitions: 4 },
    { name: topics.deadLetter, partitions: 1 },
  ]);
  const redis = new Redis(redisService.port, redisService.host, {
    maxRetriesPerRequest: 1,
    lazyConnect: false,
  });
  redis.on("error", () => undefined);
  const shards = services.mysqlShards.map((s) =>
    createPool({
      host: s.host,
      port: s.port,
      user: s.user,
      password: s.password,
      database: s.database,
      connectionLimit: 4,
    }),
  );
  const signingKey = randomBytes(32).toString("base64url");
  const sasl = kafka.sasl;

  return {
    services,
    redis,
    shards,
    signingKey,
    config(service = {}, wechatBaseUrl = "http://127.0.0.1:9") {
      return {
        mysql: {
          shards: services.mysqlShards.map((s, id) => ({
            id,
            writerEndpoint: s.host,
            readerEndpoint: s.host,
            port: s.port,
            database: s.database,
            secretArn: arn(mysqlSecretName(id)),
          })),
          tls: false,
        },
        redis: {
          configurationEndpoint: redisService.host,
          port: redisService.port,
          clusterMode: false,
          tls: false,
          authSecretArn: arn("redis-auth"),
        },
        kafka: {
          bootstrapBrokers: kafka.brokers.join(","),
          tls: false,
          saslMechanism: "scram-sha-512",
          credentialSecretArn: arn("kafka-scram"),
          topics,
        },
        buckets: { archive: "crest-test-archive", staticAssets: "crest-test-static" },
        wechat: { apiBaseUrl: wechatBaseUrl, appId: "wx-test-app", appSecretArn: arn("wechat-app-secret") },
        sessionSigningSecretArn: arn("session-signing-key"),
        service,
      };
    },
    secretEnv() {
      const env: Record<string, string> = {
        // The local Redis has no AUTH; ioredis only warns when a password is sent to such a server.
        [secretEnvName(secretNames.redisAuth)]: JSON.stringify({ password: "unused-on-loopback" }),
        [secretEnvName(secretNames.kafkaScram)]: JSON.stringify({
          username: sasl.username,
          password: sasl.password,
        }),
        [secretEnvName(secretNames.wechatAppSecret)]: JSON.stringify({
          password: "wechat-app-secret-for-tests",
        }),
        [secretEnvName(secretNames.sessionSigningKey)]: JSON.stringify({ password: signingKey }),
      };
      services.mysqlShards.forEach((s, id) => {
        env[secretEnvName(mysqlSecretName(id))] = JSON.stringify({ username: s.user, password: s.password });
      });
      return env;
    },
    async stop() {
      redis.disconnect();
      await Promise.allSettled(shards.map((pool) => pool.end()));
      await services.stopAll();
    },
  };
}
