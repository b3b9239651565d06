import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot, runPlanCli, tempDir } from "../support/cli";

test("the plan exits 3 on inputs AWS would refuse, one line each naming the rule and its source, and writes nothing", async () => {
  const dir = tempDir("provider-checks");
  // The dev stack with two sizes the config schema and the components accept but AWS does not offer:
  // T3 brokers for a KRaft cluster, and an r7g size that does not exist.
  const dev = readFileSync(join(repoRoot, "Pulumi.dev.yaml"), "utf8");
  writeFileSync(
    join(dir, "Pulumi.refused.yaml"),
    `${dev.trimEnd()}\n  crest:kafka:\n    instanceType: kafka.t3.small\n  crest:mysql:\n    instanceClass: db.r7g.3xlarge\n`,
  );
  const json = join(dir, "plan.json");
  const result = await runPlanCli(["--stack", "refused", "--config-dir", dir, "--json", json]);
  assert.equal(result.code, 3, result.stderr);
  assert.equal(result.stdout, "");
  assert.ok(!existsSync(json));
  const lines = result.stderr.split("\n").filter((l) => l.startsWith("urn:"));
  assert.match(result.stderr, /^plan: 3 input\(s\) AWS or a provider would refuse/m);
  assert.equal(lines.length, 3, result.stderr);
  assert.match(
    lines[0] ?? "",
    /^urn:pulumi:refused::crest::crest:data:KafkaCluster\$aws:msk\/cluster:Cluster::crest-refused-kafka: brokerNodeGroupInfo\.instanceType: got "kafka\.t3\.small"; allowed: in KRaft mode .* \[rule msk-broker-size; source https:\/\/docs\.aws\.amazon\.com\/msk\/latest\/developerguide\/broker-instance-sizes\.html \(checked 2026-12-01\)\]$/,
  );
  for (const line of lines.slice(1)) {
    assert.match(
      line,
      /aws:rds\/clusterInstance:ClusterInstance::crest-refused-mysql-\d-0: instanceClass: got "db\.r7g\.3xlarge"; allowed: for Aurora MySQL 3\.10\.3, one of .* \[rule aurora-mysql-instance-class; source https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/Concepts\.DBInstanceClass\.SupportAurora\.html \(checked 2026-12-01\)\]$/,
    );
  }
});
