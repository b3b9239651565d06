import { z } from "zod";

/**
 * RuntimeConfig: the contract between the infrastructure and the workload. The stack produces it
 * (type-checked against this schema) and the app validates it at boot. Secrets travel by
 * reference — a Secrets Manager ARN — never by value.
 */
const secretArn = z.string().regex(/^arn:aws[a-z-]*:secretsmanager:/, "a Secrets Manager secret ARN");
const host = z.string().min(1, "a host name");
const port = z.number().int().min(1).max(65535);

export const mysqlShardSchema = z.strictObject({
  /** Position in the shard map; consistent hashing maps users onto these ids. */
  id: z.number().int().nonnegative(),
  writerEndpoint: host,
  readerEndpoint: host,
  port,
  database: z.string().min(1),
  /** AWS-managed master credentials ({ username, password }). */
  secretArn,
});

export const runtimeConfigSchema = z.strictObject({
  mysql: z.strictObject({
    shards: z.array(mysqlShardSchema).min(1),
  }),
  redis: z.strictObject({
    /** Cluster-mode configuration endpoint; the client discovers the shards from it. */
    configurationEndpoint: host,
    port,
    tls: z.boolean(),
    /** AUTH token ({ password }). */
    authSecretArn: secretArn,
  }),
  kafka: z.strictObject({
    /** Comma-separated SASL/SCRAM-over-TLS bootstrap brokers. */
    bootstrapBrokers: z.string().min(1),
    tls: z.boolean(),
    saslMechanism: z.literal("scram-sha-512"),
    /** SCRAM credentials ({ username, password }). */
    credentialSecretArn: secretArn,
    topics: z.strictObject({ orders: z.string().min(1), deadLetter: z.string().min(1) }),
  }),
  buckets: z.strictObject({ archive: z.string().min(1), staticAssets: z.string().min(1) }),
});

export type RuntimeConfig = z.infer<typeof runtimeConfigSchema>;
export type MysqlShard = z.infer<typeof mysqlShardSchema>;
