import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveStackConfig } from "../../stacks/config/load";
import { root } from "../../tools/bench/planTiming";
import { orderPipeline, workerHpaSettings } from "../../tools/capacity/setup";
import type { Sale } from "../../tools/capacity/simulate";
import { type OrderPipeline, simulateOrderQueue } from "../../tools/capacity/worker";
import { readStackSettings } from "../../tools/plan/project";
import { testCapacityProfile } from "../support/stackConfig";
import { testHpa } from "../support/testHpa";

// 1000 attempts/s from the first second, half succeed: 500 orders/s into Kafka for 60 s (t = 0..59).
const orders: Sale = {
  baselineReadsPerSecond: 0,
  peakReadsPerSecond: 0,
  baselineOrdersPerSecond: 0,
  peakOrdersPerSecond: 1000,
  expectedOrdersPerSecond: 500,
  rampSeconds: 0,
  durationSeconds: 59,
  attemptsPerBuyerPerSecond: 1,
};
const pipeline: OrderPipeline = {
  hpa: { ...testHpa, minReplicas: 1, maxReplicas: 4 },
  partitions: 4,
  ordersPerSecondPerPartition: 300,
  podReadySeconds: 10,
};

test("the worker's HPA scales on the CPU its writes cost; the backlog and the longest wait follow it", () => {
  // t 0–14: 1 pod writes 300 of 500/s, +200/s. t 15: 100 % of the request against 60 % → ceil(1.67 × 1) = 2,
  // Ready at 25; the backlog peaks at t 24: 25 × 200 = 5,000. t 30: the window t 16–30 wrote 9 × 300 + 6 × 600
  // = 420/s over 2 pods, 70 % → ratio 1.17 > 1.1 → ceil(2.33) = 3, Ready at 40. t 45: 9 × 600 + 6 × 900 =
  // 720/s over 3 pods, 80 % → 4. The backlog (3,500 at t 39, −400/s from t 40) is gone at t 48.
  // Longest wait: at t 25 the worker has written 7,500 = the first 15 seconds' orders, so it serves t 15's: 10 s.
  assert.deepEqual(simulateOrderQueue(orders, pipeline), {
    peakBacklog: 5000,
    longestWaitSeconds: 10,
    peakWorkerPods: 4,
  });
});

test("worker pods beyond the orders partitions add nothing to the drain", () => {
  // One partition: 300/s whatever the pods, +200/s for 60 s = 12,000, the last written 40 s after it arrived.
  const one = simulateOrderQueue(orders, { ...pipeline, partitions: 1 });
  assert.equal(one.peakBacklog, 12_000);
  assert.equal(one.longestWaitSeconds, 40);
});

test("a worker that cannot write the sale's orders within a day of its end is reported as never catching up", () => {
  const stuck = simulateOrderQueue(orders, { ...pipeline, ordersPerSecondPerPartition: 0.001 });
  assert.equal(stuck.longestWaitSeconds, Number.POSITIVE_INFINITY);
  assert.equal(stuck.peakWorkerPods, 4);
});

test("prod's worker: its HPA as the workload builds it, 500 orders/s against 3 pods × 1,406/s in the fixture profile", () => {
  const config = resolveStackConfig("prod", readStackSettings(root, "prod").config, testCapacityProfile);
  assert.deepEqual(workerHpaSettings(config).scaleUp.policies, [
    { type: "Percent", value: 100, periodSeconds: 15 },
    { type: "Pods", value: 4, periodSeconds: 15 },
  ]);
  const prod = orderPipeline(config, testCapacityProfile);
  assert.equal(prod.hpa.minReplicas, 3);
  assert.equal(prod.hpa.targetUtilization, 60);
  assert.equal(prod.ordersPerSecondPerPartition, 1406);
  // 500 / (3 × 1,406) = 12 % of the request: no scale-up, nothing waits.
  assert.deepEqual(
    simulateOrderQueue({ ...orders, expectedOrdersPerSecond: 500, peakOrdersPerSecond: 5000 }, prod),
    {
      peakBacklog: 0,
      longestWaitSeconds: 0,
      peakWorkerPods: 3,
    },
  );
});
