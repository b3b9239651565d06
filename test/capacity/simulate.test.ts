import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveStackConfig } from "../../stacks/config/load";
import { root } from "../../tools/bench/planTiming";
import { instanceTypes } from "../../tools/capacity/nodes";
import { readCapacityProfile } from "../../tools/capacity/profile";
import { apiHpaSettings, podReadySeconds, simulationSetup } from "../../tools/capacity/setup";
import { demandAt, fixesFor, type Sale, type SimulationSetup, simulate } from "../../tools/capacity/simulate";
import { readStackSettings } from "../../tools/plan/project";
import { testHpa } from "../support/testHpa";

const nodeType = instanceTypes["m7g.xlarge"];
assert.ok(nodeType);
// One pod serves 1000 reads/s at its request (1 ms CPU per read at 1 core).
const setup: SimulationSetup = {
  hpa: testHpa,
  pod: { millicores: 1000, memoryMiB: 1024 },
  limitOverRequest: 1,
  podReadySeconds: 10,
  cpuSecondsPerRead: 0.001,
  cpuSecondsPerOrder: 0.004,
  zones: 2,
  nodeType,
  nodesPerAz: { min: 1, max: 10 },
  otherPods: 0,
  queueWaitSeconds: 0,
  rateLimit: { burst: 5, refillPerSecond: 1 },
};
const sale = (peak: number, rampSeconds = 0): Sale => ({
  baselineReadsPerSecond: 0,
  peakReadsPerSecond: peak,
  baselineOrdersPerSecond: 0,
  peakOrdersPerSecond: 0,
  rampSeconds,
  durationSeconds: 120,
  expectedOrdersPerSecond: 0,
  attemptsPerBuyerPerSecond: 1,
});

test("the sale ramps linearly from baseline to peak, then holds", () => {
  const s = { ...sale(1000, 10), baselineReadsPerSecond: 100 };
  assert.equal(demandAt(s, 0).reads, 100);
  assert.equal(demandAt(s, 5).reads, 550);
  assert.equal(demandAt(s, 60).reads, 1000);
});

test("a sale within the minimum's capacity sheds nothing and is at full capacity at once", () => {
  const result = simulate(sale(1500), setup);
  assert.equal(result.overloadedSeconds, 0);
  assert.equal(result.shedReads, 0);
  assert.equal(result.secondsToFullCapacity, 0);
  assert.equal(result.peakPods, 3); // 1.5 cores at 60 % → ceil(2.5) with every pod Ready, and the HPA holds it
});

test("a step to 6000 reads/s: the first sync asks for 4 pods, Ready 10 s after they are scheduled", () => {
  const result = simulate(sale(6000), setup);
  const at = (t: number) => result.samples.find((s) => s.t === t);
  // 0..25 s: 2 pods serve 2000 of 6000 reads/s.
  assert.equal(at(10)?.capacity, 2000);
  // t=15: CPU held at the limit (100 %): ceil(2 × 100/60) = 4, within +4 pods; scheduled at 16, Ready at 26.
  assert.equal(at(25)?.readyPods, 2);
  assert.equal(at(26)?.readyPods, 4);
  assert.ok(result.secondsToFullCapacity !== undefined && result.secondsToFullCapacity > 26);
  assert.ok(result.shedReads >= 26 * 4000, `shed ${result.shedReads}`);
});

test("a peak beyond maxReplicas is never served, and the fixes say what would serve it", () => {
  const result = simulate({ ...sale(25_000), durationSeconds: 600 }, setup);
  assert.equal(result.secondsToFullCapacity, undefined);
  assert.equal(result.peakPods, 20);
  const fixes = fixesFor(sale(25_000), setup);
  assert.equal(fixes.peakReplicas, 25);
  assert.equal(fixes.preScaleMinReplicas, undefined);
});

test("the pre-scale fix is the least minReplicas that sheds nothing", () => {
  const s = sale(6000);
  const fixes = fixesFor(s, setup);
  assert.equal(fixes.preScaleMinReplicas, 6);
  const withMin = (minReplicas: number) => simulate(s, { ...setup, hpa: { ...setup.hpa, minReplicas } });
  assert.equal(withMin(6).shedReads, 0);
  assert.ok(withMin(5).shedReads > 0);
});

test("requests over capacity wait in the queue first in first out, and what waits past the end is shed", () => {
  // Two pods held at two (min = max): 2000 reads/s of capacity against 2500 for 4 s (t = 0..3).
  const fixed = { ...setup, hpa: { ...setup.hpa, minReplicas: 2, maxReplicas: 2 } };
  const step = { ...sale(2500), durationSeconds: 3 };
  // By hand: t0 serves 2000 of its own, 500 wait; t1 serves those 500 late and 1500 of its own, 1000
  // wait; t2: 1000 late, 1000 own, 1500 wait; t3: 1500 late, 500 own, 2000 left when the sale ends.
  const queued = simulate(step, { ...fixed, queueWaitSeconds: 60 });
  assert.equal(queued.overloadedSeconds, 4);
  assert.equal(queued.servedLateReads, 500 + 1000 + 1500);
  assert.equal(queued.longestWaitSeconds, 1);
  assert.equal(queued.shedReads, 2000);
  // No wait: each second's excess is shed at once, nothing is served late.
  const shedAtOnce = simulate(step, fixed);
  assert.equal(shedAtOnce.servedLateReads, 0);
  assert.equal(shedAtOnce.shedReads, 4 * 500);
});

test("requests that wait longer than the queue's wait are shed, and the wait bounds every served request's", () => {
  const fixed = { ...setup, hpa: { ...setup.hpa, minReplicas: 2, maxReplicas: 2 } };
  const long = { ...sale(3000), durationSeconds: 30 };
  const arrived = 31 * 3000;
  for (const queueWaitSeconds of [0, 2, 10]) {
    const r = simulate(long, { ...fixed, queueWaitSeconds });
    assert.ok(r.longestWaitSeconds <= queueWaitSeconds, `wait ${queueWaitSeconds}: ${r.longestWaitSeconds}`);
    // Capacity serves 2000 every second; what it does not serve is shed, late or not.
    assert.equal(r.shedReads, arrived - 31 * 2000, `wait ${queueWaitSeconds}`);
  }
});

test("nodes are added when pods are pending, after the provisioning time", () => {
  // One node per AZ holds 2 × 3 = 6 one-core pods; 12 pods need 4 nodes.
  const small = { ...setup, nodesPerAz: { min: 1, max: 5 } };
  const result = simulate({ ...sale(12_000), durationSeconds: 300 }, small);
  assert.ok(result.peakNodes >= 4, `peak nodes ${result.peakNodes}`);
  const firstExtraNode = result.samples.find((s) => s.nodes > 2);
  assert.ok(firstExtraNode && firstExtraNode.t >= nodeType.provisioningSeconds);
});

test("prod's settings come from the workload component: HPA bounds, behavior and probes", () => {
  const config = resolveStackConfig("prod", readStackSettings(root, "prod").config);
  const hpa = apiHpaSettings(config);
  assert.equal(hpa.minReplicas, 3);
  assert.equal(hpa.maxReplicas, 30);
  assert.equal(hpa.targetUtilization, 60);
  assert.equal(hpa.scaleDown.stabilizationWindowSeconds, 300);
  assert.deepEqual(
    hpa.scaleUp.policies.map((p) => p.type),
    ["Percent", "Pods"],
  );
  // Process up in 3.2 s → startup probe (period 2 s) passes at 4 s → readiness (period 5 s) by 9 s.
  assert.equal(podReadySeconds(3.2), 9);
  const prod = simulationSetup(config, readCapacityProfile());
  assert.equal(prod.zones, 3);
  assert.equal(prod.pod.millicores, 500);
});

test("the rate limit refuses the served attempts of buyers trying faster than its refill; the queue sheds the rest", () => {
  // 200 attempts/s from 100 buyers at 2/s for 10 s, 0.8 of the 2 cores: all served, the last 6 s half refused.
  const orders = { ...sale(0), peakOrdersPerSecond: 200, durationSeconds: 9, attemptsPerBuyerPerSecond: 2 };
  const served = simulate(orders, setup);
  assert.equal(served.overloadedSeconds, 0);
  assert.equal(served.rateLimitedOrders, 6 * 100);
  assert.equal(simulate({ ...orders, attemptsPerBuyerPerSecond: 1 }, setup).rateLimitedOrders, 0);
  // 1000/s against 2 cores (500/s at 4 ms) with no wait: each second 500 served, 500 shed; of the served,
  // half refused from t 4 on: 6 × 250. Shed attempts never reach the limiter.
  const over = simulate({ ...orders, peakOrdersPerSecond: 1000 }, setup);
  assert.equal(over.rateLimitedOrders, 6 * 250);
  assert.equal(over.shedOrders, 10 * 500);
});
