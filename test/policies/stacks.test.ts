import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { PlanDocument } from "../../tools/plan/run";
import { repoRoot, runPlanCli, tempDir } from "../support/cli";

/** Plans a stack with the pack and returns the exit code, the documents and the console output. */
async function plan(stack: string, extra: string[] = []) {
  const dir = tempDir(`policy-${stack}`);
  const result = await runPlanCli([
    "--stack",
    stack,
    "--json",
    join(dir, "plan.json"),
    "--out",
    dir,
    ...extra,
  ]);
  const read = (file: string) => {
    try {
      return readFileSync(join(dir, file), "utf8");
    } catch {
      return undefined;
    }
  };
  const json = read("plan.json");
  return {
    ...result,
    doc: json ? (JSON.parse(json) as PlanDocument) : undefined,
    markdown: read(`plan-${stack}.md`),
    dir,
  };
}

// Plans run one after another: each is a program and a pack process on a 2-core machine.
const prod = plan("prod");
const dev = prod.then(() => plan("dev"));

test("prod: the checked-in stack passes every rule, all mandatory but the dev-only one and the budget headroom warning", async () => {
  const { code, doc, stderr } = await prod;
  assert.equal(code, 0, stderr);
  assert.deepEqual(doc?.violations, []);
  assert.deepEqual(doc?.policy.rules, { mandatory: 85, advisory: 1, disabled: 1 });
  assert.equal(doc?.policy.configFile, "policies/config/prod.json");
  assert.match(stderr, /policy pack crest@0\.1\.0: 87 rules configured/);
});

// Bucket, role, trust and secret policies built from ARNs; dev has no cross-region replica.
for (const [stack, run, previewDocuments] of [
  ["prod", prod, 19],
  ["dev", dev, 16],
] as const) {
  test(`${stack}: the resolved pass leaves no policy document unknown, only values from outside the program`, async () => {
    const { doc, stdout, markdown } = await run;
    const passes = doc?.passes;
    assert.equal(passes?.preview.unknownPolicyDocuments, previewDocuments);
    assert.equal(passes?.resolved.unknownPolicyDocuments, 0);
    // What stays unknown is the image digest (the registry gives it) and names derived from it.
    for (const path of passes?.resolved.unknown ?? [])
      assert.match(
        path,
        /\(kubernetes:(apps|batch)\/v1:(Deployment|Job)\) (spec\.template\.spec\.(init)?[cC]ontainers\[\]\.image|metadata\.name)$/,
      );
    const line = `judged twice: preview ${passes?.preview.unknownInputs} inputs unknown (${previewDocuments} policy documents); resolved ${passes?.resolved.unknownInputs} inputs unknown (0 policy documents)`;
    assert.ok(stdout.includes(line), "console");
    assert.ok(markdown?.includes(line), "Markdown");
  });
}

test("policy.coverage counts each family's rules and the controls they cite", async () => {
  const { doc } = await prod;
  const coverage = doc?.policy.coverage ?? {};
  assert.deepEqual(Object.keys(coverage), [
    "cost",
    "data stores",
    "edge",
    "IAM",
    "KMS",
    "Kubernetes",
    "network",
    "S3",
    "supply chain",
    "tagging",
  ]);
  assert.equal(
    Object.values(coverage).reduce((sum, family) => sum + family.rules, 0),
    87,
  );
  assert.ok(coverage.IAM?.controls.includes("FSBP IAM.1") && coverage.S3?.controls.includes("FSBP S3.5"));
});

test("dev: no mandatory violation; the advisory ones are listed with their fix", async () => {
  const { code, doc, stdout, markdown, stderr } = await dev;
  assert.equal(code, 0, stderr);
  assert.deepEqual(doc?.policy.rules, { mandatory: 1, advisory: 84, disabled: 2 });
  const violations = doc?.violations ?? [];
  for (const v of violations) {
    assert.equal(v.enforcementLevel, "advisory");
    assert.doesNotMatch(v.message, /can't run/, "no rule trips on a value unknown in preview");
    assert.ok(stdout.includes(v.fix) && markdown?.includes(v.policy), `${v.policy} is reported with its fix`);
  }
  assert.match(stdout, new RegExp(`^Policy: ${violations.length} violations \\(0 mandatory\\)$`, "m"));
  assert.match(markdown ?? "", /^### Policy$/m);
  if (violations.length > 0) assert.match(markdown ?? "", /^\| advisory \| `[a-z-]+` \| /m);
});

const prodFile = readFileSync(join(repoRoot, "Pulumi.prod.yaml"), "utf8");

test("a mandatory violation makes the plan exit 1: a prod-tier stack sharing one NAT gateway", async () => {
  await dev;
  const dir = tempDir("policy-fork");
  writeFileSync(
    join(dir, "Pulumi.fork.yaml"),
    prodFile.replace(/^(\s+)vpcCidr: (.*)$/m, "$1vpcCidr: $2\n$1natGateways: single"),
  );
  const { code, doc, markdown } = await plan("fork", ["--config-dir", dir]);
  assert.equal(code, 1);
  const nat = doc?.violations.filter((v) => v.policy === "reliability-nat-gateway-per-az") ?? [];
  assert.equal(nat.length, 2, "the subnets of the two AZs without a NAT gateway");
  for (const v of nat) assert.equal(v.enforcementLevel, "mandatory");
  assert.match(
    markdown ?? "",
    /^\| \*\*mandatory\*\* \| `reliability-nat-gateway-per-az` \| crest-fork-private-ap-southeast-1[bc] /m,
  );
});

test("a stack's policy config can make an advisory rule mandatory, with a reason, and the plan exits 1", async () => {
  await dev;
  const dir = tempDir("policy-config");
  const file = join(dir, "dev.json");
  const reason = "dev rehearses the prod Kafka settings before a migration";
  writeFileSync(
    file,
    JSON.stringify({ "reliability-kafka-replication": { enforcementLevel: "mandatory", reason } }),
  );
  const { code, doc, stdout } = await plan("dev", ["--policy-config", file]);
  assert.equal(code, 1);
  assert.ok(
    doc?.violations.some(
      (v) => v.policy === "reliability-kafka-replication" && v.enforcementLevel === "mandatory",
    ),
  );
  assert.ok(stdout.includes(`set for this stack: reliability-kafka-replication (mandatory): ${reason}`));
});

test("a bad policy config exits 2 naming each problem, and writes nothing", async () => {
  await dev;
  const dir = tempDir("policy-bad");
  const file = join(dir, "bad.json");
  writeFileSync(
    file,
    JSON.stringify({
      "cost-nat-gateway-count": "disabled",
      "cost-hpa-max-replica": { enforcementLevel: "disabled", reason: "typo" },
      "cost-hpa-max-replicas": { maxReplicas: 0, reason: "load test pending" },
    }),
  );
  const { code, stderr, doc, markdown } = await plan("dev", ["--policy-config", file]);
  assert.equal(code, 2);
  assert.deepEqual(stderr.trimEnd().split("\n").slice(-4), [
    `policy config ${file} has 3 problem(s):`,
    "cost-nat-gateway-count.reason: got nothing; allowed: a sentence saying why this stack differs",
    'cost-hpa-max-replica: got a policy name the pack does not have; allowed: "all" or one of the pack\'s policies',
    "cost-hpa-max-replicas.maxReplicas: got 0; allowed: Too small: expected number to be >=1",
  ]);
  assert.equal(doc, undefined);
  assert.equal(markdown, undefined);
});
