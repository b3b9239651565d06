import assert from "node:assert/strict";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { hoursPerMonth } from "../../tools/plan/cost/estimate";
import { signedMonthly } from "../../tools/plan/cost/format";
import type { PlanCost } from "../../tools/plan/cost/fromPlan";
import { auroraHourly } from "../../tools/plan/cost/prices";
import { resolvePrice } from "../../tools/plan/cost/resolve";
import { diffGraphs, diffInputs } from "../../tools/plan/diff/compare";
import type { ChangeReview } from "../../tools/plan/diff/review";
import { classifyChange, replaceTable } from "../../tools/plan/replacement/classify";
import type { PlanDocument } from "../../tools/plan/run";
import { repoRoot, runPlanCli, tempDir } from "../support/cli";
import { mermaidBlock, parseMermaid } from "../support/mermaid";
import { fixtureResource } from "../support/recording";

type Reviewed = PlanDocument & { diff: ChangeReview; cost: PlanCost };

function resource(type: string, name: string, inputs: Record<string, unknown>, parent = "") {
  return fixtureResource(type, inputs, { name, parent });
}

test("inputs differ by nested path; secrets and unknowns keep their markers on both sides", () => {
  assert.deepEqual(
    diffInputs(
      { tags: { a: "1" }, list: [1, 2], password: "[secret]", arn: "<computed>", gone: true },
      { tags: { a: "2", b: "x" }, list: [1, 3, 4], password: "[secret]", arn: "arn:aws:kms:k" },
    ),
    [
      { path: "arn", before: "<computed>", after: "arn:aws:kms:k" },
      { path: "gone", before: true },
      { path: "list[1]", before: 2, after: 3 },
      { path: "list[2]", after: 4 },
      { path: "tags.a", before: "1", after: "2" },
      { path: "tags.b", after: "x" },
    ],
  );
});

test("a new name under the same parent is a rename, with the alias that keeps the resource", () => {
  const type = "aws:s3/bucket:Bucket";
  const diff = diffGraphs(
    [resource(type, "logs", { forceDestroy: false }, "p"), resource(type, "kept", {})],
    [resource(type, "access-logs", { forceDestroy: false }, "p"), resource(type, "kept", {})],
  );
  assert.deepEqual(diff.added, []);
  assert.deepEqual(diff.removed, []);
  assert.equal(diff.unchanged, 1);
  assert.deepEqual(
    diff.renamed.map((r) => [r.from, r.to, r.aliases, r.changes]),
    [["logs", "access-logs", 'aliases: [{ name: "logs" }]', []]],
  );
});

test("the replacement table says update or replace from the provider's ForceNew properties", () => {
  const change = (type: string, path: string) =>
    classifyChange({
      urn: "u",
      type,
      name: "n",
      custom: true,
      protect: false,
      changes: [{ path, before: 1, after: 2 }],
    });
  assert.equal(change("aws:rds/clusterInstance:ClusterInstance", "instanceClass").kind, "update");
  assert.equal(change("aws:ec2/subnet:Subnet", "cidrBlock").kind, "replace");
  assert.equal(change("aws:msk/cluster:Cluster", "brokerNodeGroupInfo.clientSubnets[2]").kind, "replace");
  assert.equal(
    change("aws:msk/cluster:Cluster", "brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize").kind,
    "update",
  );
  assert.match(replaceTable.version, /^v\d/);
});

test("a --base that is neither a file nor a commit exits 2 naming it", async () => {
  const result = await runPlanCli(["--stack", "dev", "--base", "no-such-ref-14"]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--base: got "no-such-ref-14", which is neither a file nor a commit/);
});

const dir = tempDir("review");
const unchanged = runPlanCli([
  "--stack",
  "dev",
  "--base",
  "HEAD",
  "--json",
  join(dir, "dev.json"),
  "--out",
  dir,
]);
const prodBase = unchanged.then(() => runPlanCli(["--stack", "prod", "--json", join(dir, "prod-base.json")]));

test("plan --base HEAD of a committed tree reports no change and exits 0", async () => {
  const result = await unchanged;
  assert.equal(result.code, 0, result.stderr);
  const doc = JSON.parse(readFileSync(join(dir, "dev.json"), "utf8")) as Reviewed;
  assert.deepEqual(doc.diff.counts, {
    added: 0,
    removed: 0,
    changed: 0,
    replaced: 0,
    renamed: 0,
    unchanged: doc.resources.length,
  });
  assert.match(result.stdout, /Change against HEAD: 0 to add, 0 to delete, 0 to change/);
  const markdown = readFileSync(join(dir, "plan-dev.md"), "utf8");
  const chart = mermaidBlock(markdown);
  assert.equal((await parseMermaid(chart)).diagramType, "flowchart-v2");
  assert.doesNotMatch(chart, /class .* changed/, "nothing changed, nothing highlighted");
  assert.match(chart, /\["crest-dev-app<br\/>Workload"\]/);
});

test("the picture is refused by Mermaid's parser when it is not valid Mermaid", async () => {
  await assert.rejects(parseMermaid("flowchart LR\n  a --> --> b"), /Parse error/);
});

test("every AWS type in the dev and prod plans is in the replacement table", async () => {
  assert.equal((await prodBase).code, 0);
  for (const file of ["dev.json", "prod-base.json"]) {
    const doc = JSON.parse(readFileSync(join(dir, file), "utf8")) as PlanDocument;
    const missing = doc.resources
      .filter((r) => r.custom && r.type.startsWith("aws:") && !replaceTable.types[r.type])
      .map((r) => r.type);
    assert.deepEqual([...new Set(missing)], [], file);
  }
});

test("every cloud resource in the dev and prod plans is priced or a type listed free with its reason", async () => {
  assert.equal((await prodBase).code, 0);
  for (const file of ["dev.json", "prod-base.json"]) {
    const { cost } = JSON.parse(readFileSync(join(dir, file), "utf8")) as Reviewed;
    assert.deepEqual(cost.unpriced, [], file);
    assert.ok(cost.monthlyUsd > 0 && cost.resources.length > 20, file);
    assert.equal(
      cost.monthlyUsd,
      Math.round(cost.resources.reduce((sum, r) => sum + r.monthlyUsd, 0) * 100) / 100,
      `${file}: the total is the sum of its resources`,
    );
  }
});

test("prod: a larger Aurora class updates in place, a reader per shard is added, a new VPC CIDR replaces the network and blocks on what it takes with it", async () => {
  assert.equal((await prodBase).code, 0);
  const config = tempDir("review-config");
  for (const s of ["dev", "prod"])
    copyFileSync(join(repoRoot, `Pulumi.${s}.yaml`), join(config, `Pulumi.${s}.yaml`));
  const prodFile = join(config, "Pulumi.prod.yaml");
  writeFileSync(
    prodFile,
    `${readFileSync(prodFile, "utf8").replace("10.20.0.0/16", "10.30.0.0/16")}  crest:mysql:\n    instanceClass: db.r7g.xlarge\n    readersPerShard: 3\n`,
  );
  const planChanged = (...more: string[]) =>
    runPlanCli(["--stack", "prod", "--config-dir", config, "--base", join(dir, "prod-base.json"), ...more]);
  const result = await planChanged("--json", join(dir, "prod.json"), "--out", dir);
  assert.equal(result.code, 1, "mandatory replacement findings block the plan");
  const { diff } = JSON.parse(readFileSync(join(dir, "prod.json"), "utf8")) as Reviewed;
  const base = JSON.parse(readFileSync(join(dir, "prod-base.json"), "utf8")) as PlanDocument;
  const shards = [0, 1, 2, 3];
  const ofType = (type: string) => diff.changed.filter((c) => c.type === type);

  assert.deepEqual(
    ofType("aws:rds/clusterInstance:ClusterInstance").map((c) => [c.name, c.kind, c.changes]),
    shards.flatMap((s) =>
      [0, 1, 2].map((i) => [
        `crest-prod-mysql-${s}-${i}`,
        "update",
        [{ path: "instanceClass", before: "db.r7g.large", after: "db.r7g.xlarge" }],
      ]),
    ),
  );
  assert.deepEqual(
    diff.added.map((r) => r.name),
    shards.map((s) => `crest-prod-mysql-${s}-3`),
  );
  assert.deepEqual(ofType("aws:rds/cluster:Cluster"), [], "no Aurora cluster is replaced or changed");

  const baseSubnets = base.resources.filter((r) => r.type === "aws:ec2/subnet:Subnet");
  assert.equal(baseSubnets.length, 9);
  assert.deepEqual(
    ofType("aws:ec2/subnet:Subnet").map((c) => [c.name, c.kind, c.replacedBy, c.changes]),
    baseSubnets.map((s) => {
      const before = s.inputs.cidrBlock as string;
      return [
        s.name,
        "replace",
        ["cidrBlock"],
        [{ path: "cidrBlock", before, after: before.replace(/^10\.20\./, "10.30.") }],
      ];
    }),
  );
  assert.deepEqual(
    ofType("aws:ec2/vpc:Vpc").map((c) => [c.kind, c.changes]),
    [["replace", [{ path: "cidrBlock", before: "10.20.0.0/16", after: "10.30.0.0/16" }]]],
  );
  assert.deepEqual(
    diff.findings.map((f) => [f.enforcementLevel, f.urn.split("::").pop()]),
    [
      ...["a", "b", "c"].map((az) => ["mandatory", `crest-prod-eks-ap-southeast-1${az}`]),
      ["mandatory", "crest-prod-kafka"],
      ["mandatory", "crest-prod-kafka-orders"],
      ["mandatory", "crest-prod-kafka-orders-dlq"],
    ],
  );
  assert.deepEqual([diff.counts.removed, diff.counts.renamed], [0, 0]);

  // The cost delta, from the price table: 12 instances a size up and a new reader per shard at that
  // size; the CIDR costs nothing. Over the prod budget, the pack's budget rule blocks too.
  const { cost, violations } = JSON.parse(readFileSync(join(dir, "prod.json"), "utf8")) as Reviewed;
  const monthly = (size: string) => {
    const price = auroraHourly[size];
    assert.ok(price, size);
    return Math.round(hoursPerMonth * resolvePrice(price, "ap-southeast-1").usd * 100) / 100;
  };
  const added = Math.round((16 * monthly("db.r7g.xlarge") - 12 * monthly("db.r7g.large")) * 100) / 100;
  assert.equal(added, 5033, "12 × ($503.30 − $251.65) + 4 × $503.30 at Singapore's estimated prices");
  assert.deepEqual(cost.delta?.byComponent, [
    { component: "crest-prod-mysql (ShardedMysql)", deltaUsd: added },
  ]);
  assert.equal(cost.delta?.deltaUsd, added);
  assert.equal(cost.monthlyUsd, Math.round(((cost.delta?.baseMonthlyUsd ?? 0) + added) * 100) / 100);
  const budget = violations.find((v) => v.policy === "cost-monthly-budget");
  assert.equal(budget?.enforcementLevel, "mandatory");
  assert.match(budget?.message ?? "", /of the \$10,000\.00 budget; largest: crest-prod-redis/);

  const markdown = readFileSync(join(dir, "plan-prod.md"), "utf8");
  assert.ok(
    markdown.includes(`Change against the base: **${signedMonthly(added)} (`),
    "the cost delta is shown",
  );
  assert.match(
    markdown,
    /^<!-- crest-plan:prod -->\n## Crest plan: `prod`\n\n\*\*Blocking\*\*: \d+ mandatory findings/,
  );
  const order = [
    "```mermaid",
    "### Change",
    "### Cost",
    "### Policy",
    "<details><summary>Resources by component",
  ];
  const at = order.map((heading) => markdown.indexOf(heading));
  assert.deepEqual(
    at.map((i) => i >= 0),
    order.map(() => true),
  );
  assert.deepEqual(
    [...at].sort((a, b) => a - b),
    at,
    "verdict, picture, change, cost, policy, then the tables",
  );
  assert.match(markdown, /### Change\n\nagainst .*prod-base\.json: 4 to add, 0 to delete/);
  assert.match(
    markdown,
    /\| \*\*mandatory\*\* \| replaces stateful aws:msk\/cluster:Cluster crest-prod-kafka because/,
  );
  const chart = mermaidBlock(markdown);
  assert.equal((await parseMermaid(chart)).diagramType, "flowchart-v2");
  const idOf = (label: string) => new RegExp(`(c\\d+)\\["${label}"\\]`).exec(chart)?.[1] ?? "?";
  const highlighted = /class (\S+) changed/.exec(chart)?.[1]?.split(",") ?? [];
  for (const label of [
    "crest-prod<br/>Network",
    "crest-prod-mysql<br/>ShardedMysql",
    "crest-prod-kafka<br/>KafkaCluster",
  ])
    assert.ok(highlighted.includes(idOf(label)), `${label} is highlighted in ${chart}`);
  assert.ok(!highlighted.includes(idOf("crest-prod-storage<br/>TieredStorage")), "storage is unchanged");

  // The stack's policy config may allow a replacement, with its reason: the finding stays, as advisory.
  const policyConfig = join(config, "prod-policy.json");
  const reason = "the cluster moves with the VPC; producers replay from the outbox";
  writeFileSync(
    policyConfig,
    JSON.stringify({
      "reliability-deletion-protection": {
        reason: "the VPC move is planned",
        allowReplacement: [{ resource: "crest-prod-kafka", reason }],
      },
    }),
  );
  const allowed = await planChanged(
    "--policy-config",
    policyConfig,
    "--json",
    join(dir, "prod-allowed.json"),
  );
  assert.equal(allowed.code, 1, "the replacements not allowed still block");
  const allowedDiff = (JSON.parse(readFileSync(join(dir, "prod-allowed.json"), "utf8")) as Reviewed).diff;
  assert.deepEqual(
    allowedDiff.findings.filter((f) => f.enforcementLevel === "advisory").map((f) => f.urn.split("::").pop()),
    ["crest-prod-kafka"],
  );
  assert.match(
    allowedDiff.findings.find((f) => f.enforcementLevel === "advisory")?.message ?? "",
    /allowed by the stack's policy config: the cluster moves with the VPC/,
  );
  assert.equal(allowedDiff.findings.filter((f) => f.enforcementLevel === "mandatory").length, 5);
});
