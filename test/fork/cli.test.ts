import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parse, parseDocument } from "yaml";
import { cidrsOverlap } from "../../infra/network";
import { resolveStackConfig, type StackConfig } from "../../stacks/config/load";
import { regions } from "../../stacks/config/regions";
import { listStacks, readStackSettings } from "../../tools/plan/project";
import { copyOfStackFiles, runForkCli, snapshot } from "./stackFiles";

const secretCiphertext = "v1:bGVmdC1vdXQtYnktdGhlLWZvcms=";

/** The repository's stack files, with a secret added to prod: the fork must leave it out. */
function stackFilesWithSecret(): string {
  const dir = copyOfStackFiles();
  const file = join(dir, "Pulumi.prod.yaml");
  const doc = parseDocument(readFileSync(file, "utf8"));
  doc.setIn(["config", "ops:pagerdutyKey"], doc.createNode({ secure: secretCiphertext }));
  writeFileSync(file, doc.toString());
  return dir;
}

const dir = stackFilesWithSecret();
const sourceText = readFileSync(join(dir, "Pulumi.prod.yaml"), "utf8");
const source = resolveStackConfig("prod", readStackSettings(dir, "prod").config);
const domain = "api-euw1.crest.example.com";
const forkArgs = [
  ...["--config-dir", dir, "--from", "prod", "--to", "prod-euw1", "--region", "eu-west-1"],
  ...["--domain", domain],
];
const forked = runForkCli(forkArgs);
const forkedFile = join(dir, "Pulumi.prod-euw1.yaml");

function configOf(text: string): Record<string, unknown> {
  return (parse(text) as { config: Record<string, unknown> }).config;
}

function forkedConfig(): StackConfig {
  return resolveStackConfig("prod-euw1", readStackSettings(dir, "prod-euw1").config);
}

test("a fork writes a stack file that passes config validation and plans with exit 0", async () => {
  const result = await forked;
  assert.equal(result.code, 0, result.stderr);
  const config = forkedConfig();
  assert.equal(config.region, "eu-west-1");
  assert.equal(config.tier, source.tier);
  assert.deepEqual(
    config.network.availabilityZones,
    regions["eu-west-1"].slice(0, source.network.availabilityZones.length),
  );
  assert.match(
    result.stdout,
    /^Plan of prod-euw1 \(offline, with the policy pack, 1 secret\(s\) as placeholders\): exit 0 — \d+ resources, 0 violations \(0 mandatory\)$/m,
  );
  assert.match(result.stdout, /^Wrote .*Pulumi\.prod-euw1\.yaml$/m);
});

test("every key of the source is copied; only the region, its AZs, the VPC CIDR and the public name move", async () => {
  await forked;
  const cidr = forkedConfig().network.vpcCidr;
  const azs = new Map(source.network.availabilityZones.map((az, i) => [az, regions["eu-west-1"][i]]));
  // The move as the issue states it: a value equal to the region, an AZ or the CIDR follows the
  // stack; a value equal to the new region (a second region) takes the source's; secrets go.
  const moved = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(moved);
    if (value !== null && typeof value === "object") {
      const entries = Object.entries(value).filter(
        ([, v]) => !(v !== null && typeof v === "object" && "secure" in v),
      );
      return Object.fromEntries(entries.map(([k, v]) => [k, moved(v)]));
    }
    if (value === source.region) return "eu-west-1";
    if (value === "eu-west-1") return source.region;
    if (value === source.network.vpcCidr) return cidr;
    if (value === source.edge.domainName) return domain;
    return azs.get(value as string) ?? value;
  };
  assert.deepEqual(configOf(readFileSync(forkedFile, "utf8")), moved(configOf(sourceText)));
});

test("the fork's VPC CIDR is the first free block of the source's size and overlaps no other stack", async () => {
  await forked;
  const cidr = forkedConfig().network.vpcCidr;
  const others = listStacks(dir)
    .filter((s) => s !== "prod-euw1")
    .map((s) => resolveStackConfig(s, readStackSettings(dir, s).config).network.vpcCidr);
  for (const other of others) assert.ok(!cidrsOverlap(cidr, other), `${cidr} overlaps ${other}`);
  assert.equal(source.network.vpcCidr.split("/")[1], "16");
  const firstFree = Array.from({ length: 256 }, (_, i) => `10.${i}.0.0/16`).find(
    (block) => !others.some((other) => cidrsOverlap(block, other)),
  );
  assert.equal(cidr, firstFree);
});

test("secrets are left out of the file and the exact set-secret lines are printed", async () => {
  const { stdout } = await forked;
  const text = readFileSync(forkedFile, "utf8");
  assert.ok(
    !text.includes("pagerdutyKey") && !text.includes("secure") && !text.includes(secretCiphertext),
    text,
  );
  assert.match(
    stdout,
    /^Secrets left out \(encrypted with prod's key\)\. After `pulumi stack init prod-euw1`/m,
  );
  assert.match(stdout, /^ {2}pulumi config set --secret ops:pagerdutyKey <value> --stack prod-euw1$/m);
  assert.ok(!stdout.includes(secretCiphertext));
});

test("the settings diff lists the region, the AZs, the CIDR and the public name, old → new", async () => {
  const { stdout } = await forked;
  const cidr = forkedConfig().network.vpcCidr;
  const line = (key: string, before: string, after: string) =>
    new RegExp(`^ {2}${key.replaceAll(".", "\\.")} +${literal(before)} → ${literal(after)}$`, "m");
  const json = (azs: readonly string[]) => JSON.stringify(azs);
  assert.match(stdout, line("crest:region", source.region, "eu-west-1"));
  assert.match(stdout, line("crest:network.vpcCidr", source.network.vpcCidr, cidr));
  assert.match(stdout, line("crest:edge.domainName", source.edge.domainName, domain));
  assert.match(
    stdout,
    line(
      "crest:network.availabilityZones",
      json(source.network.availabilityZones),
      json(forkedConfig().network.availabilityZones),
    ),
  );
  assert.match(stdout, /^ {2}ops:pagerdutyKey +\[secret\] → \(left out: set it, see below\)$/m);
  assert.match(stdout, /^ {2}unchanged \(\d+\):\n {4}crest:tier, /m);
});

test("the kept hosted zone is listed for review by hand, with how to check that it holds the new name", async () => {
  const { stdout } = await forked;
  assert.match(
    stdout,
    /^Review by hand:\n(?: {2}.*\n)* {2}crest:edge\.hostedZoneId = "Z0PRODCREST000000000": kept: prod's zone, which holds api\.crest\.example\.com; api-euw1\.crest\.example\.com must be in it too \(certificates are DNS-validated there\) — check its apex with `aws route53 get-hosted-zone --id Z0PRODCREST000000000`$/m,
  );
  assert.match(
    stdout,
    /^Fork prod \(ap-southeast-1\) → prod-euw1 \(eu-west-1\), VPC 10\.\d+\.0\.0\/16, public name api-euw1\.crest\.example\.com$/m,
  );
});

test("a --hosted-zone-id of its own replaces the source's zone, and nothing names the old one", async () => {
  const zoneDir = copyOfStackFiles();
  const result = await runForkCli([
    ...["--config-dir", zoneDir, "--from", "prod", "--to", "prod-euw1", "--region", "eu-west-1"],
    ...["--domain", "api.crest-eu.example.org", "--hosted-zone-id", "Z0EUCREST00000000000", "--dry-run"],
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^ {2}crest:edge\.hostedZoneId +Z0PRODCREST000000000 → Z0EUCREST00000000000$/m);
  assert.ok(!result.stdout.includes("kept: prod's zone"), result.stdout);
});

test("the source's comments are kept, under a line that says where the file came from", async () => {
  await forked;
  const text = readFileSync(forkedFile, "utf8");
  assert.match(
    text,
    /^# Forked from Pulumi\.prod\.yaml \(ap-southeast-1 → eu-west-1\) by `npm run stack:fork`\.$/m,
  );
  for (const comment of sourceText.split("\n").filter((l) => l.startsWith("#"))) {
    assert.ok(text.includes(comment), `lost the comment ${comment}`);
  }
});

test("--force replaces an existing fork, and the same input gives the same bytes", async () => {
  await forked;
  const first = readFileSync(forkedFile, "utf8");
  const again = await runForkCli([...forkArgs, "--force"]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(readFileSync(forkedFile, "utf8"), first);
});

test("--dry-run prints and plans the fork but writes nothing; no value equals the new region but the region", async () => {
  const dryDir = copyOfStackFiles();
  const before = snapshot(dryDir);
  const result = await runForkCli([
    "--config-dir",
    dryDir,
    ...["--from", "prod", "--to", "prod-apne1", "--region", "ap-northeast-1", "--dry-run"],
    ...["--domain", "api-apne1.crest.example.com"],
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(snapshot(dryDir), before);
  assert.match(
    result.stdout,
    /^Plan of prod-apne1 .*: exit 0 — \d+ resources, 0 violations \(0 mandatory\)$/m,
  );
  const printed = /would write .*:\n\n([\s\S]*?)\n\nSettings/.exec(result.stdout)?.[1] ?? "";
  const config = configOf(printed);
  assert.equal(config["crest:region"], "ap-northeast-1");
  assert.deepEqual((config["crest:network"] as { availabilityZones: string[] }).availabilityZones, [
    "ap-northeast-1a",
    "ap-northeast-1c",
    "ap-northeast-1d",
  ]);
  const { "crest:region": _region, "aws:region": _awsRegion, ...rest } = config;
  assert.ok(!JSON.stringify(rest).includes('"ap-northeast-1"'), JSON.stringify(rest));
});

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const euw1 = ["--domain", domain];

const refusals: [string, string[], RegExp][] = [
  [
    "an unknown source stack",
    ["--from", "staging", "--to", "staging-euw1", "--region", "eu-west-1", ...euw1],
    /^fork: --from: got "staging"; allowed: one of the stacks in .+: dev, prod$/,
  ],
  [
    "an unknown region, listing the table's regions",
    ["--from", "prod", "--to", "prod-mars", "--region", "mars-north-1", ...euw1],
    /^fork: --region: got "mars-north-1"; allowed: one of the regions in stacks\/config\/regions\.ts: us-east-1, .*eu-west-1, .*ap-northeast-2$/,
  ],
  [
    "a target that exists, without --force",
    ["--from", "prod", "--to", "dev", "--region", "eu-west-1", ...euw1],
    /^fork: --to: got "dev"; allowed: a stack that does not exist yet \(Pulumi\.dev\.yaml exists; add --force to replace it\)$/,
  ],
  [
    "a target name that is not a valid stack name",
    ["--from", "prod", "--to", "Prod EU/1", "--region", "eu-west-1", ...euw1],
    /^fork: --to: got "Prod EU\/1"; allowed: lower-case letters, digits and single hyphens, starting with a letter, at most 20 characters \(crest-<stack>-redis names the ElastiCache replication group id, which AWS caps at 40 characters, Pulumi's 8-character suffix included\)$/,
  ],
  [
    "a target equal to the source",
    ["--from", "prod", "--to", "prod", "--region", "eu-west-1", "--force", ...euw1],
    /^fork: --to: got "prod"; allowed: a stack name other than --from$/,
  ],
  [
    "a --cidr that clashes with another stack, naming it",
    ["--from", "prod", "--to", "prod-euw1", "--region", "eu-west-1", "--cidr", "10.20.128.0/20", ...euw1],
    /^fork: --cidr: got "10\.20\.128\.0\/20"; allowed: a CIDR that overlaps no other stack's VPC; it overlaps prod's 10\.20\.0\.0\/16 \(Pulumi\.prod\.yaml\); the first free one of that size is 10\.\d+\.\d+\.0\/20$/,
  ],
  [
    "an invalid --cidr",
    ["--from", "prod", "--to", "prod-euw1", "--region", "eu-west-1", "--cidr", "10.30.0.0/24", ...euw1],
    /^fork: --cidr: got "10\.30\.0\.0\/24"; allowed: a private \(RFC 1918\) IPv4 network address with a prefix from \/16 to \/20/,
  ],
  [
    "a region with fewer AZs than the tier needs",
    ["--from", "prod", "--to", "prod-usw1", "--region", "us-west-1", ...euw1],
    /^fork: --region: got "us-west-1"; allowed: a region with at least 3 AZs for tier prod \(us-west-1 has 2\): us-east-1, .*eu-west-1/,
  ],
  [
    "a target name too long for the tightest generated AWS name, naming the longest allowed",
    ["--from", "prod", "--to", "prod-ap-southeast-1-b", "--region", "eu-west-1", ...euw1],
    /^fork: --to: got "prod-ap-southeast-1-b"; allowed: lower-case letters, digits and single hyphens, starting with a letter, at most 20 characters \(crest-<stack>-redis names/,
  ],
  [
    "a fork without --domain when the source has a public name (the issue's reproduction)",
    ["--from", "prod", "--to", "prod-euw1", "--region", "eu-west-1"],
    /^fork: --domain: got nothing; allowed: the new stack's public name \(its CloudFront alias\), e\.g\. "api-prod-euw1\.crest\.example\.com": Pulumi\.prod\.yaml serves "api\.crest\.example\.com", and CloudFront serves an alias from one distribution only$/,
  ],
  [
    "a --domain equal to the source's",
    ["--from", "prod", "--to", "prod-euw1", "--region", "eu-west-1", "--domain", "api.crest.example.com"],
    /^fork: --domain: got "api\.crest\.example\.com"; allowed: a name no other stack file sets \(Pulumi\.prod\.yaml sets it as crest:edge\.domainName; CloudFront serves an alias from one distribution only\)$/,
  ],
  [
    "a --domain equal to another stack file's",
    ["--from", "prod", "--to", "prod-euw1", "--region", "eu-west-1", "--domain", "api.dev.crest.example.com"],
    /^fork: --domain: got "api\.dev\.crest\.example\.com"; allowed: a name no other stack file sets \(Pulumi\.dev\.yaml sets it/,
  ],
  [
    "a --domain that is not a DNS name",
    ["--from", "prod", "--to", "prod-euw1", "--region", "eu-west-1", "--domain", "https://api.example.com"],
    /^fork: --domain: got "https:\/\/api\.example\.com"; allowed: a lower-case DNS name of two or more labels .*at most 57 characters/,
  ],
  [
    "a --domain outside the source's zone without --hosted-zone-id",
    ["--from", "prod", "--to", "prod-euw1", "--region", "eu-west-1", "--domain", "api.crest.example.org"],
    /^fork: --hosted-zone-id: got nothing; allowed: the Route 53 hosted zone that holds "api\.crest\.example\.org": Pulumi\.prod\.yaml's zone Z0PRODCREST000000000 holds "api\.crest\.example\.com", and only a name under it or beside it \(under crest\.example\.com\) is presumed to live there$/,
  ],
  [
    "an invalid --hosted-zone-id",
    [
      "--from",
      "prod",
      "--to",
      "prod-euw1",
      "--region",
      "eu-west-1",
      ...euw1,
      "--hosted-zone-id",
      "/hostedzone/Z1",
    ],
    /^fork: --hosted-zone-id: got "\/hostedzone\/Z1"; allowed: a Route 53 hosted zone id such as/,
  ],
];

// Each refusal runs in its own process at once; the directory must be left byte for byte as it was.
const refusalDir = copyOfStackFiles();
const refusalBefore = snapshot(refusalDir);
const refused = refusals.map(([what, args, message]) => ({
  what,
  message,
  run: runForkCli(["--config-dir", refusalDir, ...args]),
}));

for (const { what, message, run } of refused) {
  test(`refuses ${what}: exit 2, one line naming the flag, the value and what is allowed, no file`, async () => {
    const result = await run;
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.equal(result.stdout, "");
    const lines = result.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0] ?? "", message);
    await Promise.all(refused.map((r) => r.run));
    assert.deepEqual(snapshot(refusalDir), refusalBefore);
  });
}
