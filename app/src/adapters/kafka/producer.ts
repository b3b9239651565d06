import { type MessageToProduce, Producer, stringSerializers } from "@platformatic/kafka";
import type { RuntimeConfig } from "../../contract/runtimeConfig";
import type { AcceptedOrder } from "../../domain/model";
import { encodeOrderMessage } from "../../domain/orderMessage";
import type { DeadLetters, OrderPublisher } from "../../domain/ports";
import { AdaptiveBatcher } from "../adaptiveBatcher";
import type { DependencyGuard } from "../dependencyGuard";
import { type KafkaCredentials, kafkaConnectionOptions } from "./connection";

/**
 * How long a produce request waits to fill up when orders queued behind the previous one: the
 * Java producer's `linger.ms` default since Kafka 4.0 (KIP-1030). On the benchmark it cut the
 * broker's CPU per order by about a third at 50 connections; an idle producer sends at once.
 */
const lingerUnderLoadMs = 5;

/**
 * The idempotent producer (acks from all in-sync replicas, one in-flight request, sequence
 * numbers): a retried send is written once. Orders are keyed by user, so one user's orders keep
 * their order within a partition. Concurrent publishes share produce requests (AdaptiveBatcher).
 */
export class KafkaProducer implements OrderPublisher, DeadLetters {
  private readonly producer: Producer<string, string, string, string>;
  private readonly batcher: AdaptiveBatcher<MessageToProduce<string, string, string, string>>;

  constructor(
    private readonly config: RuntimeConfig["kafka"],
    credentials: KafkaCredentials | undefined,
    private readonly guard: DependencyGuard,
    clientId: string,
    requestTimeoutMs: number,
  ) {
    this.producer = new Producer({
      ...kafkaConnectionOptions(config, credentials),
      clientId,
      idempotent: true,
      // Bounded: past the request's own timeout the client gets 503 and its stock back.
      retries: 3,
      retryDelay: 200,
      timeout: requestTimeoutMs,
      connectTimeout: Math.min(requestTimeoutMs, 5_000),
      serializers: stringSerializers,
    });
    this.batcher = new AdaptiveBatcher(
      (messages) => this.producer.send({ messages }).then(() => undefined),
      500,
      requestTimeoutMs,
      lingerUnderLoadMs,
    );
  }

  async publish(order: AcceptedOrder): Promise<void> {
    await this.guard.run(() =>
      this.batcher.send({
        topic: this.config.topics.orders,
        key: order.userId,
        value: encodeOrderMessage(order),
      }),
    );
  }

  async deadLetter(
    raw: { key?: string; value: string; partition: number; offset: string },
    reason: string,
  ): Promise<void> {
    await this.guard.run(() =>
      this.batcher.send({
        topic: this.config.topics.deadLetter,
        ...(raw.key === undefined ? {} : { key: raw.key }),
        value: raw.value,
        headers: {
          "crest-reason": reason,
          "crest-source": `${this.config.topics.orders}/${raw.partition}/${raw.offset}`,
        },
      }),
    );
  }

  /** Readiness: the brokers answer and know the orders topic. */
  async check(): Promise<void> {
    await this.guard.run(async () => {
      const metadata = await this.producer.metadata({
        topics: [this.config.topics.orders],
        forceUpdate: true,
      });
      if (!metadata.topics.has(this.config.topics.orders))
        throw new Error(`topic ${this.config.topics.orders} missing`);
    });
  }

  /** Sends what is queued, then disconnects. */
  async close(): Promise<void> {
    await this.batcher.drain();
    await this.producer.close();
  }
}
