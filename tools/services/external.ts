import { isIPv4 } from "node:net";
import { createKafkaTopics } from "./kafka";
import {
  ExternalServerError,
  type KafkaSasl,
  type KafkaService,
  type KafkaTopic,
  type MysqlShardService,
  type RedisService,
} from "./types";

/**
 * Servers named by environment variables, used instead of starting local ones: REDIS_URL,
 * MYSQL_SHARDS (comma-separated mysql:// URLs) and KAFKA_BROKERS (comma-separated host:port, with
 * KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD for SCRAM-SHA-512). They must be on loopback: tests
 * send traffic to this machine only.
 */

export interface ServiceOverrides {
  readonly redis?: RedisService;
  readonly mysqlShards?: readonly MysqlShardService[];
  readonly kafka?: KafkaService;
}

const loopbackRule = "a loopback host (127.0.0.0/8, localhost or [::1])";

function isLoopback(host: string): boolean {
  return (
    host === "localhost" || host === "[::1]" || host === "::1" || (isIPv4(host) && host.startsWith("127."))
  );
}

function invalid(variable: string, value: string, allowed: string): Error {
  return new Error(`${variable}: ${JSON.stringify(value)} is not allowed: ${allowed}`);
}

/** The URL as it may appear in an error message: without its password. */
function redacted(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password) copy.password = "***";
  return copy.href;
}

function parseUrl(variable: string, text: string, protocols: readonly string[], shape: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid(variable, text.replace(/:[^:@/]*@/, ":***@"), shape);
  }
  if (!protocols.includes(url.protocol)) throw invalid(variable, redacted(url), shape);
  if (!isLoopback(url.hostname)) throw invalid(variable, redacted(url), `${shape} on ${loopbackRule}`);
  return url;
}

/** The host to connect to: URL.hostname keeps an IPv6 address in brackets. */
function host(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}

function port(url: URL, fallback: number): number {
  return url.port === "" ? fallback : Number(url.port);
}

function externalControls(service: string, variable: string) {
  return {
    external: true as const,
    stop: () => Promise.reject(new ExternalServerError(service, variable)),
    start: () => Promise.reject(new ExternalServerError(service, variable)),
  };
}

function redisFrom(text: string): RedisService {
  const url = parseUrl("REDIS_URL", text, ["redis:", "rediss:"], "a redis://host:port URL");
  return {
    url: text,
    host: host(url),
    port: port(url, 6379),
    ...externalControls(`redis ${redacted(url)}`, "REDIS_URL"),
  };
}

function mysqlShardsFrom(text: string): MysqlShardService[] {
  const shape = "comma-separated mysql://user:password@host:port/database URLs";
  return text
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry, i) => {
      const variable = `MYSQL_SHARDS[${i}]`;
      const url = parseUrl(variable, entry, ["mysql:"], shape);
      const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
      if (!url.username || !url.password || !database) throw invalid(variable, redacted(url), shape);
      return {
        host: host(url),
        port: port(url, 3306),
        user: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
        database,
        url: entry,
        ...externalControls(`mysql shard ${redacted(url)}`, "MYSQL_SHARDS"),
      };
    });
}

function kafkaFrom(brokersText: string, env: NodeJS.ProcessEnv): KafkaService {
  const brokers = brokersText
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  brokers.forEach((broker, i) => {
    const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(broker);
    if (!match?.[1] || !isLoopback(match[1]) || Number(match[2]) > 65535) {
      throw invalid(`KAFKA_BROKERS[${i}]`, broker, `host:port on ${loopbackRule}`);
    }
  });
  if (brokers.length === 0) throw invalid("KAFKA_BROKERS", brokersText, "comma-separated host:port");
  const username = env.KAFKA_SASL_USERNAME;
  const password = env.KAFKA_SASL_PASSWORD;
  if ((username === undefined) !== (password === undefined)) {
    const missing = username === undefined ? "KAFKA_SASL_USERNAME" : "KAFKA_SASL_PASSWORD";
    throw new Error(
      `${missing}: missing; KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are set together or not at all`,
    );
  }
  const sasl: KafkaSasl | undefined =
    username !== undefined && password !== undefined
      ? { mechanism: "scram-sha-512", username, password }
      : undefined;
  const kafka: KafkaService = {
    brokers,
    ...(sasl ? { sasl } : {}),
    ...externalControls(`kafka ${brokers.join(",")}`, "KAFKA_BROKERS"),
    createTopics: (topics: readonly KafkaTopic[]) => createKafkaTopics(kafka, topics),
  };
  return kafka;
}

/** Reads the overrides; a malformed or off-machine value throws, naming the variable and what is allowed. */
export function readServiceOverrides(env: NodeJS.ProcessEnv): ServiceOverrides {
  const set = (name: string) => (env[name] ?? "").trim() || undefined;
  const redisUrl = set("REDIS_URL");
  const mysqlShards = set("MYSQL_SHARDS");
  const kafkaBrokers = set("KAFKA_BROKERS");
  return {
    ...(redisUrl ? { redis: redisFrom(redisUrl) } : {}),
    ...(mysqlShards ? { mysqlShards: mysqlShardsFrom(mysqlShards) } : {}),
    ...(kafkaBrokers ? { kafka: kafkaFrom(kafkaBrokers, env) } : {}),
  };
}
