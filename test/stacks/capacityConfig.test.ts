import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveStackConfig } from "../../stacks/config/load";
import { devConfig, prodConfig, sectionProblems } from "../support/stackConfig";

const profileSource = "bench/results/2026-11-23T12-22-47Z.json";

test("each tier declares a sale: prod at tens of thousands of requests per second within a minute, dev smaller", () => {
  const prod = resolveStackConfig("test", prodConfig).capacity;
  const dev = resolveStackConfig("test", devConfig).capacity;
  assert.ok(prod.peakReadsPerSecond + prod.peakOrderAttemptsPerSecond >= 10_000);
  assert.ok(prod.rampSeconds <= 60);
  for (const key of [
    "peakReadsPerSecond",
    "peakOrderAttemptsPerSecond",
    "expectedOrdersPerSecond",
  ] as const) {
    assert.ok(dev[key] < prod[key], key);
  }
  // A window is the stack's own: no tier schedules a sale.
  assert.equal(prod.saleWindow, undefined);
  assert.equal(dev.saleWindow, undefined);
});

test("an API maxReplicas below the peak's need names the key, what it bounds and the least value that serves", () => {
  // By hand: 20,000 / 5,753 + 5,000 / 1,818 = 6.23 CPU-seconds per second; at 0.5 core per pod, 13 pods.
  assert.deepEqual(sectionProblems("workload", { api: { maxReplicas: 12 } }), [
    `crest:workload.api.maxReplicas: got 12; allowed: at least 13 — the most API pods the HPA may run; the declared peak of 20,000 reads/s and 5,000 order attempts/s needs at least 13 API pods (2,876 reads/s or 909 order attempts/s per 500m pod, ${profileSource})`,
  ]);
  assert.deepEqual(sectionProblems("workload", { api: { maxReplicas: 13 } }), []);
});

test("a bigger declared sale fails every maximum it outgrows, each with its least value", () => {
  const lines = sectionProblems("capacity", {
    peakReadsPerSecond: 60_000,
    peakOrderAttemptsPerSecond: 20_000,
    expectedOrdersPerSecond: 20_000,
  });
  // API: 60,000/5,753 + 20,000/1,818 = 21.43 cores → 43 pods. Worker: 20,000 / 1,406 → 15.
  // Nodes: 43 + 15 = 58 pods over 3 AZs → 20 per AZ at 7 per m7g.xlarge → 3 (configured 10: serves).
  // Redis: 60,000 + 3 × 20,000 + 20,000 = 140,000 commands/s at 20,000 per r7g.large → 7 shards.
  // MySQL: 20,000 / 2,813 → 8 shards.
  assert.deepEqual(
    lines.map((line) => line.split(" — ")[0]),
    [
      "crest:workload.api.maxReplicas: got 30; allowed: at least 43",
      "crest:workload.worker.maxReplicas: got 12; allowed: at least 15",
      "crest:kafka.ordersPartitions: got 12; allowed: at least 15",
      "crest:redis.shards: got 3; allowed: at least 7",
      "crest:mysql.shards: got 4; allowed: at least 8",
    ],
  );
  assert.match(
    lines[3] ?? "",
    /sends 140,000 Redis commands\/s; a cache\.r7g\.large primary is budgeted 20,000\/s/,
  );
});

const readsOnly = {
  peakOrderAttemptsPerSecond: 0,
  baselineOrderAttemptsPerSecond: 0,
  expectedOrdersPerSecond: 0,
};

test("too few nodes per AZ for the peak's pods: the least nodesPerAz.max that holds them", () => {
  // 13 API + 1 worker pods over 3 AZs: 5 per AZ; at 7 pods per m7g.xlarge, 1 node per AZ serves; max 1 is enough.
  assert.deepEqual(sectionProblems("cluster", { nodesPerAz: { min: 1, desired: 1, max: 1 } }), []);
  // Up to 3 nodes per AZ, and enough API pods and Redis shards that only the nodes can fall short.
  const readsAt = (peakReadsPerSecond: number) =>
    sectionProblems(
      "capacity",
      { ...readsOnly, peakReadsPerSecond },
      {
        ...prodConfig,
        "crest:workload": JSON.stringify({ api: { maxReplicas: 200 } }),
        "crest:cluster": JSON.stringify({ nodesPerAz: { min: 2, desired: 2, max: 3 } }),
        "crest:redis": JSON.stringify({ shards: 10 }),
      },
    );
  // 100,000 / 5,753 = 17.38 cores → 35 pods, + 1 worker = 36 over 3 AZs = 12 per AZ → 2 nodes of 7: serves.
  assert.deepEqual(readsAt(100_000), []);
  const tight = readsAt(200_000);
  // 200,000 / 5,753 = 34.76 cores → 70 pods, + 1 worker = 71 → 24 per AZ → 4 nodes of 7 per AZ.
  assert.deepEqual(
    tight.map((line) => line.split(" — ")[0]),
    ["crest:cluster.nodesPerAz.max: got 3; allowed: at least 4"],
  );
});

test("a declared sale that contradicts itself is reported on its own keys, before any sizing", () => {
  assert.deepEqual(
    sectionProblems("capacity", {
      baselineReadsPerSecond: 30_000,
      expectedOrdersPerSecond: 6_000,
    }),
    [
      "crest:capacity.baselineReadsPerSecond: got 30000; allowed: at most peakReadsPerSecond (20000)",
      "crest:capacity.expectedOrdersPerSecond: got 6000; allowed: at most peakOrderAttemptsPerSecond (5000)",
    ],
  );
  assert.deepEqual(
    sectionProblems("capacity", {
      saleWindow: { preScaleSchedule: "every day", restoreSchedule: "30 20 * * *", timeZone: "Mars/Olympus" },
    }),
    [
      'crest:capacity.saleWindow.preScaleSchedule: got "every day"; allowed: a cron schedule of five fields (minute hour day-of-month month day-of-week), e.g. "50 19 * * *"',
      'crest:capacity.saleWindow.timeZone: got "Mars/Olympus"; allowed: an IANA time zone name such as "Asia/Shanghai"',
    ],
  );
  assert.deepEqual(sectionProblems("capacity", { rampSeconds: -1 }), [
    "crest:capacity.rampSeconds: got -1; allowed: an integer from 0 to 3600 (an hour at most)",
  ]);
});
