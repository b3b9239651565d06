/**
 * The servers that tests and benchmarks run against: real Redis, MariaDB and Kafka processes on free
 * loopback ports, or the servers named by environment variables (`external` is then true and
 * `stop()`/`start()` throw an {@link ExternalServerError}).
 */

/** What every service can do: stop, and start again on the same port with its data kept. */
export interface ControllableServer {
  /** True when the server was named by an environment variable rather than started here. */
  readonly external: boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface RedisService extends ControllableServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
}

export interface MysqlShardService extends ControllableServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** `mysql://user:password@host:port/database`, user and password URL-encoded. */
  readonly url: string;
}

export interface KafkaTopic {
  readonly name: string;
  readonly partitions: number;
}

export interface KafkaSasl {
  readonly mechanism: "scram-sha-512";
  readonly username: string;
  readonly password: string;
}

export interface KafkaService extends ControllableServer {
  readonly brokers: string[];
  readonly sasl?: KafkaSasl;
  /** Creates the topics that do not exist yet (replication factor 1); existing ones are left as they are. */
  createTopics(topics: readonly KafkaTopic[]): Promise<void>;
}

export interface LocalServices {
  readonly redis?: RedisService;
  readonly mysqlShards: readonly MysqlShardService[];
  readonly kafka?: KafkaService;
  /** Stops every server started here and removes their temporary folder; external servers are left alone. */
  stopAll(): Promise<void>;
}

export interface LocalServicesOptions {
  redis?: boolean;
  /** How many MySQL shards, each its own server. @default 0 */
  mysqlShards?: number;
  kafka?: boolean;
  /** Receives one line per step (starting, ready, stopping), without a trailing newline. */
  onProgress?: (line: string) => void;
}

/** Thrown by `stop()` and `start()` of a server named by an environment variable. */
export class ExternalServerError extends Error {
  constructor(
    readonly service: string,
    readonly variable: string,
  ) {
    super(`${service} is external (set by ${variable}): the tests cannot stop or start it`);
    this.name = "ExternalServerError";
  }
}
