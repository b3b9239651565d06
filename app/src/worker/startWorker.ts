import { Consumer, stringDeserializers } from "@platformatic/kafka";
import { kafkaConnectionOptions } from "../adapters/kafka/connection";
import { MysqlCatalogRepository } from "../adapters/mysql/catalogRepository";
import { credentialsSecret } from "../adapters/secrets";
import { secretNames } from "../contract/secretNames";
import { OrderWriter } from "../domain/orderWriter";
import { ReservationSweeper } from "../domain/reservationSweeper";
import { createProbeApp } from "../http/probeApp";
import { connectDependencies } from "../runtime/dependencies";
import { listen, type ModeStarter } from "../runtime/lifecycle";
import { OrderConsumer } from "./orderConsumer";
import { repeatEvery } from "./repeat";

/** With the backoff below (0.5 s doubling to 5 s), about two minutes of retries. */
const consumerRetries = 28;

/** Worker mode: consumes orders into the shards; serves only probes and metrics over HTTP. */
export const startWorker: ModeStarter = async (config, secrets, metrics, logger) => {
  const settings = config.service;
  const deps = await connectDependencies(config, secrets, metrics, logger, "crest-worker");
  await deps.schema.ensureAll();

  const problem = (message: string, error: unknown) => logger.warn({ err: String(error) }, message);
  const writer = new OrderWriter(
    deps.orders,
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
  const kafkaLogin = await secrets.read(
    { name: secretNames.kafkaScram, arn: config.kafka.credentialSecretArn },
    credentialsSecret,
  );
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
  const orders = new OrderConsumer(
    consumer,
    config.kafka.topics.orders,
    writer,
    settings.worker,
    metrics,
    logger,
  );
  await orders.start();
  // A few sweeps per lease: an orphaned reservation is settled within about 1.3 leases.
  const sweeping = repeatEvery(() => sweeper.sweep(), (settings.orders.reservationLeaseSeconds * 1000) / 3);
  const lifecycle = { draining: false };
  const server = await listen(createProbeApp(deps.readiness, lifecycle, metrics, logger), settings.httpPort);
  logger.info({ port: settings.httpPort, topic: config.kafka.topics.orders }, "worker consuming");

  return {
    async stop() {
      lifecycle.draining = true;
      await sweeping.stop();
      await orders.stop();
      await consumer.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await deps.close();
    },
  };
};
