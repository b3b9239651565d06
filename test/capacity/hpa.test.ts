import assert from "node:assert/strict";
import { test } from "node:test";
import { HpaController, type HpaSettings, metricDesiredReplicas } from "../../tools/capacity/hpa";

// Worked by hand from https://kubernetes.io/docs/concepts/workloads/autoscaling/horizontal-pod-autoscale/
// desiredReplicas = ceil(currentReplicas × currentMetricValue / desiredMetricValue), tolerance 0.1.

test("the documented formula: 200 % of a 100 % target doubles, 50 % halves", () => {
  assert.equal(metricDesiredReplicas({ currentReplicas: 4, readyPods: 4, readyUtilization: 200 }, 100), 8);
  assert.equal(metricDesiredReplicas({ currentReplicas: 4, readyPods: 4, readyUtilization: 50 }, 100), 2);
});

test("within the 10 % tolerance nothing changes; just past it, ceil of the ratio", () => {
  // 63/60 = 1.05: within 0.1 of 1.
  assert.equal(metricDesiredReplicas({ currentReplicas: 4, readyPods: 4, readyUtilization: 63 }, 60), 4);
  // 54/60 = 0.9: exactly at the tolerance, still no change.
  assert.equal(metricDesiredReplicas({ currentReplicas: 10, readyPods: 10, readyUtilization: 54 }, 60), 10);
  // 67/60 = 1.1167: ceil(4 × 1.1167) = ceil(4.47) = 5.
  assert.equal(metricDesiredReplicas({ currentReplicas: 4, readyPods: 4, readyUtilization: 67 }, 60), 5);
});

test("pods not yet Ready count as 0 % when scaling up", () => {
  // 3 Ready at 120 % of a 60 % target, 3 starting: 120 × 3 / (60 × 6) = 1.0 → within tolerance, stay at 6.
  assert.equal(metricDesiredReplicas({ currentReplicas: 6, readyPods: 3, readyUtilization: 120 }, 60), 6);
  // 180 × 3 / (60 × 6) = 1.5 → ceil(1.5 × 6) = 9.
  assert.equal(metricDesiredReplicas({ currentReplicas: 6, readyPods: 3, readyUtilization: 180 }, 60), 9);
});

const crestUp = {
  stabilizationWindowSeconds: 0,
  selectPolicy: "Max",
  policies: [
    { type: "Percent", value: 100, periodSeconds: 15 },
    { type: "Pods", value: 4, periodSeconds: 15 },
  ],
} as const;
const crestDown = {
  stabilizationWindowSeconds: 300,
  selectPolicy: "Max",
  policies: [{ type: "Percent", value: 10, periodSeconds: 60 }],
} as const;
const settings: HpaSettings = {
  minReplicas: 3,
  maxReplicas: 30,
  targetUtilization: 60,
  scaleUp: crestUp,
  scaleDown: crestDown,
};

test("scale-up policies: Max of +100 % and +4 pods per 15 s, counted from the period's start", () => {
  const hpa = new HpaController(settings);
  // Raw desire: ceil(3 × 400/60) = 20. Limit max(ceil(3 × 2) = 6, 3 + 4 = 7) = 7.
  assert.equal(hpa.decide(0, { currentReplicas: 3, readyPods: 3, readyUtilization: 400 }), 7);
  // 15 s later the t=0 event has left the period: start 7 → max(14, 11) = 14.
  assert.equal(hpa.decide(15, { currentReplicas: 7, readyPods: 7, readyUtilization: 400 }), 14);
  // Then 28, clamped by maxReplicas 30 only later: max(28, 18) = 28.
  assert.equal(hpa.decide(30, { currentReplicas: 14, readyPods: 14, readyUtilization: 400 }), 28);
  assert.equal(hpa.decide(45, { currentReplicas: 28, readyPods: 28, readyUtilization: 400 }), 30);
});

test("selectPolicy Min takes the smaller step, Disabled none", () => {
  const min = new HpaController({ ...settings, scaleUp: { ...crestUp, selectPolicy: "Min" } });
  assert.equal(min.decide(0, { currentReplicas: 3, readyPods: 3, readyUtilization: 400 }), 6);
  const off = new HpaController({ ...settings, scaleUp: { ...crestUp, selectPolicy: "Disabled" } });
  assert.equal(off.decide(0, { currentReplicas: 3, readyPods: 3, readyUtilization: 400 }), 3);
});

test("scale-down waits out the 300 s stabilization window, then removes 10 % per 60 s", () => {
  const hpa = new HpaController(settings);
  const at = (t: number, current: number, utilization: number) =>
    hpa.decide(t, { currentReplicas: current, readyPods: current, readyUtilization: utilization });
  // t=0: 60 % of 60 % → 10 recommended and kept.
  assert.equal(at(0, 10, 60), 10);
  // From t=15 the load halves: raw ceil(10 × 30/60) = 5, but the window still holds t=0's 10.
  for (let t = 15; t < 300; t += 15) assert.equal(at(t, 10, 30), 10, `t=${t}`);
  // t=300: t=0 has left the window (it keeps samples newer than now − 300 s): down to 5, limited by
  // 10 % of the period's start: trunc(10 × 0.9) = 9.
  assert.equal(at(300, 10, 30), 9);
  // t=315: the period (255, 315] began at 9 + 1 = 10 → trunc(9) = 9: no further step.
  assert.equal(at(315, 9, 30 * (10 / 9)), 9);
  // t=360: the t=300 event is out of (300, 360]: start 9 → trunc(8.1) = 8.
  assert.equal(at(360, 9, 30 * (10 / 9)), 8);
});

test("min and max bound the result", () => {
  const hpa = new HpaController({ ...settings, maxReplicas: 5 });
  assert.equal(hpa.decide(0, { currentReplicas: 3, readyPods: 3, readyUtilization: 400 }), 5);
  const down = new HpaController({ ...settings, scaleDown: { ...crestDown, stabilizationWindowSeconds: 0 } });
  // Raw ceil(4 × 6/60) = 1, 10 % allows trunc(3.6) = 3, minReplicas 3.
  assert.equal(down.decide(0, { currentReplicas: 4, readyPods: 4, readyUtilization: 6 }), 3);
});
