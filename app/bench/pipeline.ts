import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Producer, stringSerializers } from "@platformatic/kafka";
import { kafkaConnectionOptions } from "../src/adapters/kafka/connection";
import { runtimeConfigSchema } from "../src/contract/runtimeConfig";
import type { AcceptedOrder } from "../src/domain/model";
import { encodeOrderMessage } from "../src/domain/orderMessage";
import type { LocalStack } from "../test/support/localStack";
import { countStoredOrders, storedOrderSpan } from "./fixtures";
import { type Launch, startAppMode } from "./servers";

export interface PipelineRun {
  readonly batchSize: number;
  readonly orders: number;
  /** Sending the measured orders to Kafka, while the worker already drains them. */
  readonly preloadSeconds: number;
  /** Spawn to "worker consuming": process start, config, schema check, consumer group join. */
  readonly workerStartSeconds: number;
  /** Orders of another SKU the worker stores first, to warm up. */
  readonly warmUpOrders: number;
  /** "worker consuming" to the last warm-up order stored. */
  readonly warmUpSeconds: number;
  /** The measured orders' pre-load starting to the last of them stored. */
  readonly drainSeconds: number;
  /** orders / drainSeconds. */
  readonly ordersPerSecond: number;
}

export interface PipelineFigures {
  readonly shards: number;
  readonly partitions: number;
  readonly runs: readonly PipelineRun[];
}

const partitions = 4;
/**
 * A worker is long-running in production: the orders it stores before the measured ones let V8
 * compile its batch path and MariaDB load its pages, so the drain measures a warm worker, not a
 * cold start (which `workerStartSeconds` and `warmUpSeconds` still show).
 */
const warmUpOrders = 10_000;
const sendChunk = 1_000;
/**
 * How often the stored count is polled. The drain's figures come from the rows' own timestamps, so
 * polling sooner buys nothing, and each poll scans the orders table (no index by SKU) on every
 * shard: at 50 ms the polls cost the shards' CPU the drain needs.
 */
const pollMs = 500;
const drainTimeoutMs = 180_000;

/** `count` orders of `sku` from count/4 users, as the API would have published them. */
function makeOrders(sku: string, count: number): AcceptedOrder[] {
  const users = Math.max(1, Math.ceil(count / 4));
  const acceptedAt = new Date().toISOString();
  return Array.from({ length: count }, (_, i) => ({
    orderId: randomUUID(),
    userId: `pipe${sku.slice(-6)}u${i % users}`,
    sku,
    quantity: 1,
    unitPriceCents: 990,
    idempotencyKey: `pipe-${i}-${sku}`,
    acceptedAt,
  }));
}

async function preload(stack: LocalStack, topic: string, orders: readonly AcceptedOrder[]): Promise<void> {
  const kafka = stack.services.kafka;
  if (!kafka?.sasl) throw new Error("the pipeline benchmark needs the local Kafka (SCRAM)");
  const config = runtimeConfigSchema.parse(stack.config()).kafka;
  const producer = new Producer({
    ...kafkaConnectionOptions(config, kafka.sasl),
    clientId: "crest-bench-preload",
    serializers: stringSerializers,
  });
  try {
    for (let i = 0; i < orders.length; i += sendChunk) {
      const messages = orders
        .slice(i, i + sendChunk)
        .map((order) => ({ topic, key: order.userId, value: encodeOrderMessage(order) }));
      await producer.send({ messages });
    }
  } finally {
    await producer.close();
  }
}

async function waitForStored(stack: LocalStack, sku: string, expected: number): Promise<void> {
  const deadline = performance.now() + drainTimeoutMs;
  for (;;) {
    const stored = await countStoredOrders(stack, sku);
    if (stored >= expected) return;
    if (performance.now() > deadline) {
      throw new Error(`${stored} of ${expected} orders of ${sku} stored after ${drainTimeoutMs / 1000} s`);
    }
    await sleep(pollMs);
  }
}

/**
 * Phase 3: for each batch size, pre-load warm-up orders into a fresh topic, start one worker on it,
 * and once it has stored them, time `orders` more from their pre-load to the last one stored.
 */
export async function benchPipeline(
  stack: LocalStack,
  options: {
    readonly batchSizes: readonly number[];
    readonly orders: number;
    readonly launch: Launch;
    readonly progress: (line: string) => void;
  },
): Promise<PipelineFigures> {
  const runTag = randomUUID().slice(0, 8);
  const topicFor = (batchSize: number) => `crest.bench.${runTag}.orders-b${batchSize}`;
  const kafka = stack.services.kafka;
  if (!kafka) throw new Error("the pipeline benchmark needs Kafka");
  await kafka.createTopics(options.batchSizes.map((b) => ({ name: topicFor(b), partitions })));

  const runs: PipelineRun[] = [];
  for (const batchSize of options.batchSizes) {
    const sku = `pipe-${runTag}-b${batchSize}`;
    const warmUp = makeOrders(`${sku}-warm`, warmUpOrders);
    const orders = makeOrders(sku, options.orders);
    options.progress(
      `batch ${batchSize}: pre-loading ${warmUp.length} warm-up orders into ${topicFor(batchSize)}`,
    );
    await preload(stack, topicFor(batchSize), warmUp);

    options.progress(`batch ${batchSize}: starting the worker`);
    const spawnedAt = Date.now();
    const worker = await startAppMode(stack, "worker", {
      name: `worker-b${batchSize}`,
      launch: options.launch,
      ordersTopic: topicFor(batchSize),
      settings: { worker: { batchSize, consumerGroup: `crest-bench-${runTag}-b${batchSize}` } },
    });
    try {
      await waitForStored(stack, `${sku}-warm`, warmUp.length);
      const warmedUp = await storedOrderSpan(stack, `${sku}-warm`);
      // The warm worker waits on an empty topic: the measured orders arrive ~10 × faster than it
      // stores them, so the time from the pre-load's start to the last order stored is the drain.
      options.progress(`batch ${batchSize}: pre-loading ${orders.length} measured orders`);
      const preloadStartMs = Date.now();
      await preload(stack, topicFor(batchSize), orders);
      const preloadSeconds = (Date.now() - preloadStartMs) / 1000;
      await waitForStored(stack, sku, orders.length);
      const stored = await storedOrderSpan(stack, sku);
      const drainSeconds = (stored.lastMs - preloadStartMs) / 1000;
      const run: PipelineRun = {
        batchSize,
        orders: orders.length,
        preloadSeconds,
        workerStartSeconds: (worker.readyAt - spawnedAt) / 1000,
        warmUpOrders: warmUp.length,
        warmUpSeconds: (warmedUp.lastMs - worker.readyAt) / 1000,
        drainSeconds,
        ordersPerSecond: orders.length / drainSeconds,
      };
      options.progress(
        `batch ${batchSize}: ${orders.length} orders stored in ${drainSeconds.toFixed(2)} s = ${Math.round(run.ordersPerSecond)} orders/s (after ${warmUp.length} warm-up orders in ${run.warmUpSeconds.toFixed(2)} s)`,
      );
      runs.push(run);
    } finally {
      await worker.process.stop();
    }
  }
  return { shards: stack.shards.length, partitions, runs };
}
