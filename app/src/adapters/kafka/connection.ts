import type { ConnectionOptions } from "node:tls";
import type { SASLOptions } from "@platformatic/kafka";
import type { RuntimeConfig } from "../../contract/runtimeConfig";

export interface KafkaCredentials {
  readonly username: string;
  readonly password: string;
}

/** Broker list, TLS and SASL/SCRAM options shared by the producer and the consumer. */
export function kafkaConnectionOptions(
  config: RuntimeConfig["kafka"],
  credentials: KafkaCredentials | undefined,
): { bootstrapBrokers: string[]; tls?: ConnectionOptions; sasl?: SASLOptions } {
  return {
    bootstrapBrokers: config.bootstrapBrokers
      .split(",")
      .map((b) => b.trim())
      .filter(Boolean),
    ...(config.tls ? { tls: { minVersion: "TLSv1.2" } } : {}),
    ...(credentials
      ? {
          sasl: {
            mechanism: "SCRAM-SHA-512",
            username: credentials.username,
            password: credentials.password,
          },
        }
      : {}),
  };
}
