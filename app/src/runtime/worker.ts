import { Consumer, stringDeserializers } from "@platformatic/kafka";
import { type KafkaCredentials, kafkaConnectionOptions } from "../adapters/kafka/connection";
import { MysqlCatalogRepository } from "../adapters/mysql/catalogRepository";
import type { RuntimeConfig } from "../contract/runtimeConfig";
import { OrderWriter } from "../domain/orderWriter";
import { ReservationSweeper } from "../domain/reservationSweeper";
import { createProbeApp } from "../http/probeApp";
import type { Logger } from "../observability/logger";
import type { Metrics } from "../observability/metrics";
import { OrderConsumer } from "../worker/orderConsumer";
import { repeatEvery } from "../worker/repeat";
import type { SharedDependencies } from "./dependencies";
import { listen, type Stoppable } from "./lifecycle";

/** With the backoff below (0.5 s doubling to 5 s), about two minutes of retries. */
const consumerRetries = 28;

/**
 * Worker mode: consumes orders into the shards (logging in to Kafka with the producer's SCRAM
 * credentials); serves only probes and metrics over HTTP.
 */
export async function runWorker(
  config: RuntimeConfig,
  deps: SharedDependencies,
  kafkaLogin: KafkaCredentials,
  metrics: Metrics,
  logger: Logger,
): Promise<Stoppable> {
  const settings = config.service;
  await deps.schema.ensureAll();

  const problem = (message: string, error: unknown) => logger.warn({ err: String(error) }, message);
  const writer = new OrderWriter(
    deps.orderRepository,
    deps.ledger,
    deps.soldCounter,
    deps.producer,
    deps.orderHistory,
    {
      persisted: (shardId, inserted, redelivered) => {
        metrics.ordersPersisted.labels(String(shardId)).inc(inserted);
        metrics.ordersRedelivered.labels("insert").inc(redelivered);
      },
      rejected: (reason) => metrics.ordersRejected.labels(reason).inc(),
      deadLettered: (reason) => metrics.ordersDeadLettered.labels(reason.split(":")[0] ?? reason).inc(),
      problem,
    },
  );
  const sweeper = new ReservationSweeper(new MysqlCatalogRepository(deps.pools), deps.ledger, deps.producer, {
    resolved: (orderId) => {
      metrics.reservationsResolved.inc();
      logger.info({ orderId }, "unsettled reservation re-published and accepted");
    },
    problem,
  });
  const consumer = new Consumer({
    ...kafkaConnectionOptions(config.kafka, kafkaLogin),
    clientId: "crest-worker",
    groupId: settings.worker.consumerGroup,
    deserializers: stringDeserializers,
    // A broker restart (MSK patches roll brokers one at a time; a failover takes a minute) must not
    // end the worker: retry with capped backoff for about two minutes before the stream fails and
    // the process exits for Kubernetes to restart it. The client's default gives up after 3 s.
    retries: consumerRetries,
    retryDelay: (_client, _operation, attempt) => Math.min(250 * 2 ** attempt, 5_000),
  });
  const orderConsumer = new OrderConsumer(
    consumer,
    config.kafka.topics.orders,
    writer,
    settings.worker,
    metrics,
    logger,
  );
  await orderConsumer.start();
  // A few sweeps per lease: an orphaned reservation is settled within about 1.3 leases.
  const sweeping = repeatEvery(() => sweeper.sweep(), (settings.orders.reservationLeaseSeconds * 1000) / 3);
  const lifecycle = { draining: false };
  const server = await listen(createProbeApp(deps.readiness, lifecycle, metrics, logger), settings.httpPort);
  logger.info({ port: settings.httpPort, topic: config.kafka.topics.orders }, "worker consuming");

  return {
    async stop() {
      lifecycle.draining = true;
      await sweeping.stop();
      await orderConsumer.stop();
      await consumer.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await deps.close();
    },
  };
}
