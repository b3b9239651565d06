import { z } from "zod";

/**
 * RuntimeConfig: the contract between the infrastructure and the workload. The stack produces it
 * (type-checked against this schema) and the app validates it at boot. Secrets travel by
 * reference — a Secrets Manager ARN — never by value.
 */
const secretArn = z.string().regex(/^arn:aws[a-z-]*:secretsmanager:/, "a Secrets Manager secret ARN");
const host = z.string().min(1, "a host name");
const port = z.number().int().min(1).max(65535);

/** The port the app listens on unless `service.httpPort` says otherwise: the container port. */
export const appHttpPort = 8080;
const positiveMs = (fallback: number) => z.number().int().min(1).max(600_000).default(fallback);

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

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

/**
 * Workload tuning. Every field has a default, so the stack may leave the whole section out; the
 * compute component should set `shutdownGraceSeconds` below the pod's terminationGracePeriodSeconds.
 */
export const serviceSettingsSchema = z
  .strictObject({
    httpPort: port.default(appHttpPort),
    /** Largest accepted JSON body; larger ones get 413. */
    bodyLimitBytes: z.number().int().min(256).max(1_048_576).default(16_384),
    /** SIGTERM to exit: stop accepting, drain, flush the producer, close pools — all within this. */
    shutdownGraceSeconds: z.number().int().min(1).max(600).default(25),
    /** After SIGTERM, keep serving this long (failing readiness) so load balancers deregister the pod. */
    drainDelaySeconds: z.number().int().min(0).max(60).default(5),
    timeouts: z
      .strictObject({
        redisMs: positiveMs(250),
        mysqlMs: positiveMs(2_000),
        kafkaPublishMs: positiveMs(3_000),
        wechatMs: positiveMs(2_000),
      })
      .prefault({}),
    /** Per-user token bucket on the order path. */
    rateLimit: z
      .strictObject({
        burst: z.number().int().min(1).max(10_000).default(5),
        refillPerSecond: z.number().min(0.01).max(10_000).default(1),
      })
      .prefault({}),
    cache: z
      .strictObject({
        /** In-process L1 freshness. */
        l1Seconds: z.number().int().min(1).max(300).default(3),
        /** How long L1 may serve a stale entry when Redis and the database both fail. */
        l1StaleSeconds: z.number().int().min(0).max(3_600).default(600),
        /** Redis TTL of cached values, before jitter (±10%). */
        redisSeconds: z.number().int().min(1).max(86_400).default(60),
        /** Redis TTL of "not found" markers (negative caching). */
        negativeSeconds: z.number().int().min(1).max(3_600).default(15),
      })
      .prefault({}),
    orders: z
      .strictObject({
        maxQuantity: z.number().int().min(1).max(1_000).default(5),
        /** How long an idempotency key is remembered. */
        idempotencySeconds: z.number().int().min(60).max(604_800).default(86_400),
        pageSize: z.number().int().min(1).max(100).default(20),
        /** Units one user may buy of one flash-sale SKU, unless the catalog row sets its own. */
        perUserLimit: z.number().int().min(1).max(1_000_000).default(5),
        /**
         * A reservation whose publish outcome is unknown (its API process died) is re-published
         * and marked accepted by the worker's sweeper this long after it was made. Keep it well
         * above timeouts.kafkaPublishMs, so a live API always settles its own reservations first.
         */
        reservationLeaseSeconds: z.number().int().min(5).max(600).default(15),
      })
      .prefault({}),
    signIn: z
      .strictObject({
        pointsPerDay: z.number().int().min(1).max(1_000_000).default(10),
        /** IANA zone whose calendar day counts as "one day". */
        timeZone: z
          .string()
          .refine(isTimeZone, "an IANA time zone such as Asia/Shanghai")
          .default("Asia/Shanghai"),
      })
      .prefault({}),
    worker: z
      .strictObject({
        consumerGroup: z.string().min(1).default("crest-order-writer"),
        batchSize: z.number().int().min(1).max(5_000).default(200),
        batchWaitMs: z.number().int().min(1).max(10_000).default(50),
        /**
         * Batches written at once: the next batch's Redis check, stock claim and shard inserts
         * overlap the previous one's instead of waiting for its commits. Offsets are still
         * committed only past a contiguous run of stored orders. Each batch in flight holds up to
         * one connection per shard (pools of 10); the claims of one SKU take its lock in turn, so
         * past 3 (measured: README, "Pipeline at batch 50") more only wait.
         */
        maxBatchesInFlight: z.number().int().min(1).max(8).default(3),
        /** Orders held in memory while their shard is down; past this the consumer pauses. */
        maxParkedOrders: z.number().int().min(1).max(1_000_000).default(10_000),
      })
      .prefault({}),
    sessionTtlSeconds: z.number().int().min(60).max(2_592_000).default(7_200),
  })
  .refine((s) => s.drainDelaySeconds < s.shutdownGraceSeconds, {
    path: ["drainDelaySeconds"],
    message: "must be less than shutdownGraceSeconds (the drain delay is part of the grace period)",
  })
  .refine((s) => s.orders.reservationLeaseSeconds * 1000 >= 3 * s.timeouts.kafkaPublishMs, {
    path: ["orders", "reservationLeaseSeconds"],
    message: "must be at least 3 × timeouts.kafkaPublishMs (a live API settles its reservations first)",
  });

export const runtimeConfigSchema = z.strictObject({
  mysql: z.strictObject({
    shards: z.array(mysqlShardSchema).min(1),
    /** TLS 1.2+ with the RDS CA bundle. Aurora enforces it; false only for loopback test servers. */
    tls: z.boolean(),
  }),
  redis: z.strictObject({
    /** Cluster-mode configuration endpoint; the client discovers the shards from it. */
    configurationEndpoint: host,
    port,
    /** true for ElastiCache cluster mode (ioredis Cluster); false for a single server. */
    clusterMode: z.boolean(),
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
  /** WeChat's code-to-session API; tests point it at a local stand-in. */
  wechat: z.strictObject({
    apiBaseUrl: z.url({ protocol: /^https?$/ }),
    appId: z.string().min(1),
    /** The mini-program's AppSecret ({ password }). */
    appSecretArn: secretArn,
  }),
  /** HMAC key that signs session tokens ({ password }, at least 32 characters). */
  sessionSigningSecretArn: secretArn,
  service: serviceSettingsSchema.prefault({}),
});

/** What the app reads after validation (defaults filled in). */
export type RuntimeConfig = z.infer<typeof runtimeConfigSchema>;
/** What the stack produces: the `service` section and its fields may be left out. */
export type RuntimeConfigInput = z.input<typeof runtimeConfigSchema>;
export type MysqlShard = z.infer<typeof mysqlShardSchema>;
export type ServiceSettings = z.infer<typeof serviceSettingsSchema>;
