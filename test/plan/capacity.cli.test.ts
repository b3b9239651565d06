import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot, runPlanCli, tempDir } from "../support/cli";

test("plan --stack prod with crest:workload.api.maxReplicas below the sale's need: exit 2, the key and the least value", async () => {
  const dir = tempDir("capacity-prod");
  const prod = readFileSync(join(repoRoot, "Pulumi.prod.yaml"), "utf8");
  writeFileSync(
    join(dir, "Pulumi.prod.yaml"),
    `${prod.trimEnd()}\n  crest:workload:\n    api:\n      maxReplicas: 4\n`,
  );
  const result = await runPlanCli(["--stack", "prod", "--config-dir", dir]);
  assert.equal(result.code, 2, result.stderr);
  assert.equal(result.stdout, "");
  assert.deepEqual(result.stderr.trimEnd().split("\n"), [
    'stack "prod" has 1 config problem:',
    "crest:workload.api.maxReplicas: got 4; allowed: at least 7 — the most API pods the HPA may run; the declared peak of 20,000 reads/s and 5,000 order attempts/s needs at least 7 API pods (5,307 reads/s or 1,691 order attempts/s per 500m pod, bench/results/2026-12-01T22-07-06Z.json)",
  ]);
});
