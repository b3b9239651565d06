import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveStackConfig } from "../../stacks/config/load";
import { root } from "../../tools/bench/planTiming";
import { capacityReport, formatCapacityMarkdown, formatCapacitySummary } from "../../tools/capacity/report";
import { readStackSettings } from "../../tools/plan/project";
import { testCapacityProfile } from "../support/stackConfig";

const prod = resolveStackConfig("prod", readStackSettings(root, "prod").config, testCapacityProfile);
const report = capacityReport(prod, testCapacityProfile);

test("prod's declared sale has no shortfall: every maximum at or above its need, with its headroom", () => {
  assert.deepEqual(
    report.sizing.map((r) => [r.key, r.need, r.configured, r.headroomPercent]),
    [
      ["workload.api.maxReplicas", 13, 30, 231],
      ["workload.worker.maxReplicas", 1, 12, 1200],
      ["kafka.ordersPartitions", 1, 12, 1200],
      ["cluster.nodesPerAz.max", 1, 10, 1000],
      ["redis.shards", 2, 3, 150],
      ["mysql.shards", 1, 4, 400],
    ],
  );
  // Far above the need is a note about cost, never a failure.
  assert.ok(report.notes.every((note) => note.endsWith("check its cost")));
  assert.ok(report.notes.some((note) => note.startsWith("crest:mysql.shards is 4")));
});

test("prod's replay: the HPA alone falls behind the 30 s ramp, the declared window's pre-scale keeps up", () => {
  const s = report.simulation;
  assert.ok(s.overloadedSeconds > 0);
  assert.equal(s.shedReads + s.shedOrders, 0, "the queue's 60 s wait absorbs the shortfall");
  assert.ok(s.servedLateReads > 0 && s.longestWaitSeconds <= s.queueWaitSeconds);
  assert.equal(s.preScaleMinReplicas, 13);
  assert.deepEqual(s.withPreScale, { minReplicas: 13, overloadedSeconds: 0, secondsToFullCapacity: 0 });
  assert.ok(s.fixes.some((fix) => fix.startsWith("pre-scale: hold minReplicas at 13")));
});

test("the console and Markdown sections show need, configured and headroom per key", () => {
  const console = formatCapacitySummary(report).join("\n");
  assert.match(console, /^Capacity — declared peak 20,000 reads\/s, 5,000 order attempts\/s \(500 succeed\)/);
  assert.match(console, /crest:workload\.api\.maxReplicas\s+need\s+13\s+configured\s+30\s+headroom 231 %/);
  const markdown = formatCapacityMarkdown(report, (text) => text).join("\n");
  assert.match(markdown, /^### Capacity$/m);
  assert.match(
    markdown,
    /^\| `crest:redis\.shards` \| Redis shards \(one primary each\) \| 2 \| 3 \| 150 % \|/m,
  );
});
