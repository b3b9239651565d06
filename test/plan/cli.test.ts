import assert from "node:assert/strict";
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { cidrsOverlap } from "../../infra/network";
import type { PlanDocument } from "../../tools/plan/run";
import { repoRoot, runPlanCli, tempDir } from "../support/cli";

async function plan(stack: string) {
  const dir = tempDir(`plan-${stack}`);
  const result = await runPlanCli(["--stack", stack, "--json", join(dir, "plan.json"), "--out", dir]);
  assert.equal(result.code, 0, result.stderr);
  return {
    ...result,
    json: readFileSync(join(dir, "plan.json"), "utf8"),
    markdown: readFileSync(join(dir, `plan-${stack}.md`), "utf8"),
  };
}

const dev = plan("dev");
const prod = dev.then(() => plan("prod"));

function subnets(doc: PlanDocument) {
  return doc.resources
    .filter((r) => r.type === "aws:ec2/subnet:Subnet")
    .map((r) => ({
      az: r.inputs.availabilityZone as string,
      cidr: r.inputs.cidrBlock as string,
      name: r.name,
    }));
}

for (const [stack, run, azs, nats] of [
  ["dev", dev, 2, 1],
  ["prod", prod, 3, 3],
] as const) {
  test(`${stack}: ${azs} AZs × 3 tiers = ${azs * 3} subnets and ${nats} NAT gateway(s), no overlap`, async () => {
    const doc = JSON.parse((await run).json) as PlanDocument;
    const planned = subnets(doc);
    assert.equal(planned.length, azs * 3);
    assert.equal(new Set(planned.map((s) => s.az)).size, azs);
    for (const tier of ["public", "private", "isolated"]) {
      assert.equal(planned.filter((s) => s.name.includes(`-${tier}-`)).length, azs, tier);
    }
    assert.equal(doc.summary.byType["aws:ec2/natGateway:NatGateway"], nats);
    const vpcCidr = doc.resources.find((r) => r.type === "aws:ec2/vpc:Vpc")?.inputs.cidrBlock as string;
    planned.forEach((a, i) => {
      assert.ok(cidrsOverlap(a.cidr, vpcCidr), `${a.cidr} is outside ${vpcCidr}`);
      for (const b of planned.slice(i + 1))
        assert.ok(!cidrsOverlap(a.cidr, b.cidr), `${a.cidr} overlaps ${b.cidr}`);
    });
  });

  test(`${stack}: the JSON has the documented shape and every AWS resource uses an explicit provider of the stack`, async () => {
    const doc = JSON.parse((await run).json) as PlanDocument;
    assert.deepEqual(Object.keys(doc), [
      "stack",
      "project",
      "resources",
      "outputs",
      "policy",
      "violations",
      "summary",
      "passes",
      "capacity",
      "cost",
    ]);
    assert.equal(doc.stack, stack);
    assert.equal(doc.project, "crest");
    // dev runs every rule as advisory; neither checked-in stack may carry a blocking violation.
    assert.deepEqual(
      doc.violations.filter((v) => v.enforcementLevel === "mandatory"),
      [],
    );
    assert.equal(doc.summary.resourceCount, doc.resources.length);
    const counted = Object.values(doc.summary.byType).reduce((a, b) => a + b, 0);
    assert.equal(counted, doc.resources.length);
    const awsProviders = doc.resources.filter((r) => r.type === "pulumi:providers:aws").map((r) => r.urn);
    assert.ok(awsProviders.length > 0);
    for (const r of doc.resources) {
      for (const key of ["urn", "type", "name", "parent", "inputs"])
        assert.ok(key in r, `${r.urn} lacks ${key}`);
      if (r.custom && r.type.startsWith("aws:")) assert.ok(awsProviders.includes(r.provider), r.urn);
    }
    assert.deepEqual(
      doc.outputs.availabilityZones,
      (doc.outputs.subnets as { availabilityZone: string }[])
        .map((s) => s.availabilityZone)
        .filter((az, i, all) => all.indexOf(az) === i),
    );
    assert.equal(doc.outputs.vpcId, "<computed>");
  });

  test(`${stack}: the summary and the Markdown report show components, settings and outputs`, async () => {
    const { stdout, markdown } = await run;
    assert.match(stdout, new RegExp(`^Plan of stack "${stack}" \\(project crest\\)`));
    assert.match(stdout, /crest:network:Network crest-\w+ — \d+ resources/);
    assert.match(stdout, /cidrBlock=10\.\d+\.0\.0\/16/);
    assert.match(stdout, /^Policy: \d+ violations \(0 mandatory\)$/m);
    assert.match(markdown, new RegExp(`^<!-- crest-plan:${stack} -->\\n## Crest plan: \`${stack}\``));
    assert.match(markdown, /\| crest:network:Network crest-\w+ \| `aws:ec2\/subnet:Subnet` \| \d \|/);
    assert.ok(
      !/<computed>/.test(markdown.split("```")[0] ?? ""),
      "unescaped <computed> would vanish in GitHub's HTML",
    );
  });
}

test("the same config gives byte-identical JSON, Markdown and summary", async () => {
  const first = await dev;
  await prod;
  const second = await plan("dev");
  assert.equal(second.json, first.json);
  assert.equal(second.markdown, first.markdown);
  assert.equal(second.stdout, first.stdout);
});

test("bad config exits 2 with one line per problem and writes nothing", async () => {
  await prod;
  const dir = tempDir("bad-config");
  writeFileSync(
    join(dir, "Pulumi.broken.yaml"),
    [
      "config:",
      "  crest:tier: prod",
      "  crest:region: eu-west-1",
      '  crest:accountId: "123456789012"',
      "  crest:owner: platform",
      "  crest:costCenter: cc-1",
      "  crest:colour: blue",
      "  crest:network:",
      "    vpcCidr: 10.0.0.0/24",
      "    availabilityZones: [eu-west-1a, eu-west-1b]",
      "  crest:kafka: { brokers: 4 }",
      "  crest:storage: { drRegion: eu-central-1 }",
      "  crest:edge: { domainName: api.example.com, hostedZoneId: Z0123456789ABCDEFGHIJ }",
      "  crest:wechat: { appId: wx0123456789abcdef }",
    ].join("\n"),
  );
  const json = join(dir, "plan.json");
  const result = await runPlanCli(["--stack", "broken", "--config-dir", dir, "--json", json, "--out", dir]);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, "");
  const lines = result.stderr.trimEnd().split("\n");
  assert.deepEqual(lines.slice(0, 2), [
    'stack "broken" has 3 config problems:',
    'crest:colour: got "blue"; allowed: no such key; known keys here: tier, region, accountId, owner, costCenter, network, mysql, redis, kafka, storage, cluster, workload, edge, wechat, capacity',
  ]);
  assert.match(
    lines[2] ?? "",
    /^crest:network\.availabilityZones: got \["eu-west-1a","eu-west-1b"\]; allowed: at least 3 AZs for tier prod/,
  );
  assert.match(lines[3] ?? "", /^crest:network\.vpcCidr: got "10\.0\.0\.0\/24"; allowed: a private/);
  assert.equal(lines.length, 4);
  assert.ok(!existsSync(json) && !existsSync(join(dir, "plan-broken.md")));
});

test("usage errors exit 2 and say what is allowed", async () => {
  await prod;
  const unknownStack = await runPlanCli(["--stack", "staging"]);
  assert.equal(unknownStack.code, 2);
  assert.match(unknownStack.stderr, /^plan: --stack: got "staging"; allowed: one of dev, prod$/m);
  const unknownFlag = await runPlanCli(["--stack", "dev", "--colour"]);
  assert.equal(unknownFlag.code, 2);
  assert.match(unknownFlag.stderr, /^plan: Unknown option '--colour'/m);
  const noStack = await runPlanCli([]);
  assert.equal(noStack.code, 2);
  assert.match(noStack.stderr, /^plan: --stack: got nothing; allowed: a stack name, e\.g\. --stack dev$/m);
});

/** The repository's stack files and `Pulumi.<stack>.yaml`: prod's, with `edit` applied to its text. */
function withProdCopy(stack: string, edit: (text: string) => string): string {
  const dir = tempDir(`cross-${stack}`);
  for (const name of ["dev", "prod"])
    copyFileSync(join(repoRoot, `Pulumi.${name}.yaml`), join(dir, `Pulumi.${name}.yaml`));
  writeFileSync(
    join(dir, `Pulumi.${stack}.yaml`),
    edit(readFileSync(join(repoRoot, "Pulumi.prod.yaml"), "utf8")),
  );
  return dir;
}

for (const [what, edit, line] of [
  [
    "a CloudFront alias",
    (text: string) => text.replace("10.20.0.0/16", "10.30.0.0/16"),
    'crest:edge.domainName: got "api.crest.example.com"; allowed: a name no other stack file sets: Pulumi.prod-copy.yaml and Pulumi.prod.yaml both set it, and CloudFront serves an alias from one distribution only',
  ],
  [
    "overlapping VPC CIDRs",
    (text: string) => text.replace("10.20.0.0/16", "10.20.128.0/17").replace("api.crest", "api-copy.crest"),
    "crest:network.vpcCidr: got \"10.20.128.0/17\"; allowed: a CIDR that overlaps no other stack's VPC: Pulumi.prod-copy.yaml's overlaps 10.20.0.0/16 in Pulumi.prod.yaml, and overlapping VPCs cannot be peered",
  ],
] as const) {
  test(`two stack files sharing ${what}: exit 2, one line naming both files, the key and the value`, async () => {
    await prod;
    const dir = withProdCopy("prod-copy", edit);
    const result = await runPlanCli(["--stack", "prod-copy", "--config-dir", dir]);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stdout, "");
    assert.deepEqual(result.stderr.trimEnd().split("\n"), ['stack "prod-copy" has 1 config problem:', line]);
  });
}

test("a stack name too long for the tightest generated AWS name: exit 2 naming it and the longest allowed", async () => {
  await prod;
  const dir = withProdCopy("prod-ap-southeast-1-b", (text) =>
    text.replace("10.20.0.0/16", "10.30.0.0/16").replace("api.crest", "api-copy.crest"),
  );
  const result = await runPlanCli(["--stack", "prod-ap-southeast-1-b", "--config-dir", dir]);
  assert.equal(result.code, 2, result.stderr);
  assert.deepEqual(result.stderr.trimEnd().split("\n"), [
    'stack "prod-ap-southeast-1-b" has 1 config problem:',
    'stack name: got "prod-ap-southeast-1-b"; allowed: lower-case letters, digits and single hyphens, starting with a letter, at most 20 characters (crest-<stack>-redis names the ElastiCache replication group id, which AWS caps at 40 characters, Pulumi\'s 8-character suffix included)',
  ]);
});
