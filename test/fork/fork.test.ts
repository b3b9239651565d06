import assert from "node:assert/strict";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parseDocument } from "yaml";
import { cidrsOverlap } from "../../infra/network";
import { resolveStackConfig } from "../../stacks/config/load";
import { optInRegions, regionNames, regions } from "../../stacks/config/regions";
import { tierDefaults } from "../../stacks/config/tiers";
import { firstFreeCidr } from "../../tools/fork/cidr";
import { ForkInputError, prepareFork } from "../../tools/fork/fork";
import { planStack } from "../../tools/fork/planStack";
import { relocateStackFile } from "../../tools/fork/relocate";
import { listStacks, readStackSettings } from "../../tools/plan/project";
import { repoRoot, tempDir } from "../support/cli";
import { copyOfStackFiles } from "./stackFiles";

const dir = copyOfStackFiles();

for (const from of listStacks(dir)) {
  test(`${from}: a fork to every region of the table that has the AZs its tier needs resolves; the others are refused`, () => {
    const source = resolveStackConfig(from, readStackSettings(dir, from).config);
    const need = tierDefaults[source.tier].rules.minAvailabilityZones;
    const others = listStacks(dir).map(
      (s) => resolveStackConfig(s, readStackSettings(dir, s).config).network.vpcCidr,
    );
    let forked = 0;
    for (const region of regionNames) {
      const staging = tempDir("fork-staging");
      try {
        const domain = `fork-${region}.${source.edge.domainName}`;
        const request = { configDir: dir, from, to: `${from}-fork`, region, domain };
        if (regions[region].length < need) {
          assert.throws(() => prepareFork(request, staging), ForkInputError, region);
          continue;
        }
        const fork = prepareFork(request, staging);
        // The staged file is the one the plan reads; resolving it again proves it is what was checked.
        const config = resolveStackConfig(fork.to, readStackSettings(staging, fork.to).config);
        assert.equal(config.region, region);
        assert.equal(config.tier, source.tier);
        const count = Math.min(source.network.availabilityZones.length, regions[region].length);
        assert.deepEqual(config.network.availabilityZones, regions[region].slice(0, count), region);
        assert.ok(config.network.availabilityZones.length >= need);
        for (const other of others) assert.ok(!cidrsOverlap(config.network.vpcCidr, other), region);
        assert.ok(!existsSync(fork.file), "prepareFork writes nothing into the stack directory");
        const sizes = fork.notes.find((n) => n.path === "sizes");
        assert.equal(
          sizes?.value,
          [
            config.mysql.instanceClass,
            config.redis.nodeType,
            config.kafka.instanceType,
            ...config.cluster.nodeInstanceTypes,
          ].join(", "),
        );
        assert.match(
          sizes?.message ?? "",
          new RegExp(`^kept from the source: check that ${region} offers each`),
        );
        const optIn = fork.notes.filter((n) => n.path === "crest:region").map((n) => n.message);
        assert.deepEqual(
          optIn,
          optInRegions.has(region)
            ? [
                `an opt-in region: enable it for account ${source.accountId} first ` +
                  `(\`aws account enable-region --region-name ${region}\`), or nothing can be created there`,
              ]
            : [],
        );
        forked++;
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
    }
    assert.equal(forked, regionNames.filter((r) => regions[r].length >= need).length);
  });
}

const sampleStackFile = `# Header kept.
config:
  crest:tier: prod # tier comment kept
  crest:region: us-east-1
  aws:region: us-east-1
  crest:network:
    vpcCidr: 10.20.0.0/16
    availabilityZones: [us-east-1a, us-east-1b, us-east-1c, us-east-1d]
  crest:storage:
    drRegion: eu-west-1
  crest:someFutureSection:
    nested: { retries: 3, enabled: true, writerAz: us-east-1b, zones: [us-east-1d] }
  crest:edge:
    domainName: api.example.com
    hostedZoneId: ZOLD123
  ops:callbackUrl: https://API.example.com/hooks
  ops:zoneArn: arn:aws:route53:::hostedzone/ZOLD123
  ops:dbPassword:
    secure: v1:AAAA
  ops:alerts:
    webhook:
      secure: v1:BBBB
encryptionsalt: v1:salt
`;

test("relocating a stack file moves every region, AZ, CIDR, public name and zone value, whatever its key, and keeps the rest", () => {
  const doc = parseDocument(sampleStackFile);
  const { secrets, notes } = relocateStackFile(doc, {
    fromRegion: "us-east-1",
    toRegion: "eu-west-1",
    availabilityZones: new Map([
      ["us-east-1a", "eu-west-1a"],
      ["us-east-1b", "eu-west-1b"],
      ["us-east-1c", "eu-west-1c"],
    ]),
    fromCidr: "10.20.0.0/16",
    toCidr: "10.0.0.0/16",
    fromDomain: "api.example.com",
    toDomain: "api-euw1.example.com",
    fromZone: "ZOLD123",
    toZone: "ZNEW456",
  });
  const text = doc.toString({ flowCollectionPadding: false });
  assert.equal(
    text,
    `# Header kept.
config:
  crest:tier: prod # tier comment kept
  crest:region: eu-west-1
  aws:region: eu-west-1
  crest:network:
    vpcCidr: 10.0.0.0/16
    availabilityZones: [eu-west-1a, eu-west-1b, eu-west-1c]
  crest:storage:
    drRegion: us-east-1
  crest:someFutureSection:
    nested: {retries: 3, enabled: true, writerAz: eu-west-1b, zones: []}
  crest:edge:
    domainName: api-euw1.example.com
    hostedZoneId: ZNEW456
  ops:callbackUrl: https://API.example.com/hooks
  ops:zoneArn: arn:aws:route53:::hostedzone/ZOLD123
  ops:dbPassword:
    secure: v1:AAAA
  ops:alerts:
    webhook:
      secure: v1:BBBB
`,
  );
  assert.deepEqual(secrets, [
    { key: "ops:dbPassword", yamlPath: ["ops:dbPassword"] },
    { key: "ops:alerts.webhook", yamlPath: ["ops:alerts", "webhook"] },
  ]);
  assert.deepEqual(
    notes.map((n) => [n.path, n.value]),
    [
      ["crest:network.availabilityZones[3]", "us-east-1d"],
      ["crest:storage.drRegion", "eu-west-1"],
      ["crest:someFutureSection.nested.zones[0]", "us-east-1d"],
      ["ops:callbackUrl", "https://API.example.com/hooks"],
      ["ops:zoneArn", "arn:aws:route53:::hostedzone/ZOLD123"],
      ["encryptionsalt", "(the source's)"],
    ],
  );
  assert.match(notes[1]?.message ?? "", /^set to us-east-1, the source's region/);
  assert.equal(
    notes[3]?.message,
    "kept, but it names api.example.com, the source's public name; the new stack's is api-euw1.example.com",
  );
  assert.equal(
    notes[4]?.message,
    "kept, but it names the source's hosted zone ZOLD123; the new stack's is ZNEW456",
  );
});

test("the first free CIDR is found in address order, at the source's size", () => {
  const taken = [
    { stack: "a", value: "10.0.0.0/16" },
    { stack: "b", value: "10.1.0.0/17" },
  ];
  assert.equal(firstFreeCidr(16, taken), "10.2.0.0/16");
  assert.equal(firstFreeCidr(20, taken), "10.1.128.0/20");
  assert.equal(firstFreeCidr(16, [{ stack: "all", value: "10.0.0.0/8" }]), "172.16.0.0/16");
});

test("a plan that refuses the stack reports its exit code and no plan document", async () => {
  const staging = tempDir("fork-plan");
  const file = join(staging, "Pulumi.broken.yaml");
  writeFileSync(file, "config:\n  crest:tier: staging\n");
  const outcome = await planStack(repoRoot, "broken", file);
  assert.deepEqual(outcome, { code: 2, resourceCount: undefined, violations: [] });
  rmSync(staging, { recursive: true, force: true });
});
