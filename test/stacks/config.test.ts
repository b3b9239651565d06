import assert from "node:assert/strict";
import { test } from "node:test";
import { logRetentionDays } from "../../infra/lib/logs";
import { resolveStackConfig } from "../../stacks/config/load";
import { longestStackName } from "../../stacks/config/stackName";
import { configProblems, prodConfig } from "../support/stackConfig";

const valid = prodConfig;

/** The problem lines a config produces, or [] when it resolves. */
const problems = (overrides: Record<string, string | undefined>) =>
  configProblems({ ...valid, ...overrides });

const network = (value: object) => ({ "crest:network": JSON.stringify(value) });

test("a valid prod config gets the prod tier defaults", () => {
  const config = resolveStackConfig("test", valid);
  assert.deepEqual(config.network, {
    availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    vpcCidr: "10.40.0.0/16",
    natGateways: "perAz",
    flowLogRetentionDays: 365,
  });
});

test("dev overrides only size and redundancy", () => {
  const config = resolveStackConfig("test", { ...valid, "crest:tier": "dev" });
  assert.deepEqual(config.network.availabilityZones, ["eu-west-1a", "eu-west-1b"]);
  assert.equal(config.network.natGateways, "single");
});

test("an unknown key is named with the keys that exist", () => {
  assert.deepEqual(problems({ "crest:netwrok": "{}" }), [
    "crest:netwrok: got {}; allowed: no such key; known keys here: tier, region, accountId, owner, costCenter, network, mysql, redis, kafka, storage, cluster, workload, edge, wechat, capacity",
  ]);
  assert.deepEqual(problems(network({ vpcCidr: "10.40.0.0/16", nat: "single" })), [
    'crest:network.nat: got "single"; allowed: no such key; known keys here: availabilityZones, vpcCidr, natGateways, flowLogRetentionDays',
  ]);
});

test("a wrong type names the key, the value and the type allowed", () => {
  assert.deepEqual(problems(network({ vpcCidr: "10.40.0.0/16", flowLogRetentionDays: "thirty" })), [
    `crest:network.flowLogRetentionDays: got "thirty"; allowed: one of CloudWatch Logs' retention periods: ${logRetentionDays.join(", ")}`,
  ]);
  assert.deepEqual(problems({ "crest:tier": "staging" }), [
    'crest:tier: got "staging"; allowed: one of "dev", "prod"',
  ]);
  assert.deepEqual(problems({ "crest:accountId": "12345" }), [
    'crest:accountId: got "12345"; allowed: a 12-digit AWS account id, quoted',
  ]);
});

test("a missing required key is named", () => {
  assert.deepEqual(problems({ "crest:network": undefined }), [
    "crest:network: got nothing; allowed: a map with at least vpcCidr",
  ]);
});

test("an out-of-range value names what is allowed", () => {
  const [line] = problems(network({ vpcCidr: "10.40.0.0/16", flowLogRetentionDays: 10 }));
  assert.match(
    line ?? "",
    /^crest:network\.flowLogRetentionDays: got 10; allowed: one of CloudWatch Logs' retention periods: 1, 3, 5, 7, 14, 30/,
  );
});

test("prod needs at least 3 availability zones", () => {
  assert.deepEqual(
    problems({
      ...network({ vpcCidr: "10.40.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"] }),
      "crest:kafka": JSON.stringify({ brokers: 4 }),
    }),
    [
      'crest:network.availabilityZones: got ["eu-west-1a","eu-west-1b"]; allowed: at least 3 AZs for tier prod, from: eu-west-1a, eu-west-1b, eu-west-1c',
    ],
  );
  assert.deepEqual(problems({ "crest:region": "us-west-1" }).slice(0, 2), [
    'crest:region: got "us-west-1"; allowed: a region with at least 3 AZs for tier prod (us-west-1 has 2)',
    'crest:network.availabilityZones: got ["us-west-1b","us-west-1c"]; allowed: at least 3 AZs for tier prod, from: us-west-1b, us-west-1c',
  ]);
});

test("an AZ of another region, an unknown region and a repeated AZ are refused", () => {
  assert.deepEqual(
    problems(
      network({ vpcCidr: "10.40.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b", "us-east-1a"] }),
    ),
    [
      'crest:network.availabilityZones[2]: got "us-east-1a"; allowed: an AZ of eu-west-1: eu-west-1a, eu-west-1b, eu-west-1c',
    ],
  );
  assert.match(
    problems({ "crest:region": "mars-north-1" })[0] ?? "",
    /^crest:region: got "mars-north-1"; allowed: one of the regions in stacks\/config\/regions\.ts: us-east-1, /,
  );
  assert.deepEqual(
    problems(
      network({ vpcCidr: "10.40.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1a"] }),
    ),
    ['crest:network.availabilityZones[2]: got "eu-west-1a"; allowed: each AZ at most once'],
  );
});

test("a CIDR too small for the subnet plan, public, or not a network address is refused", () => {
  const allowed =
    'allowed: a private (RFC 1918) IPv4 network address with a prefix from /16 to /20, e.g. "10.20.0.0/16" (the subnet plan needs 3 tiers in up to 6 AZs)';
  assert.deepEqual(problems(network({ vpcCidr: "10.40.0.0/24" })), [
    `crest:network.vpcCidr: got "10.40.0.0/24"; ${allowed}`,
  ]);
  assert.deepEqual(problems(network({ vpcCidr: "52.0.0.0/16" })), [
    `crest:network.vpcCidr: got "52.0.0.0/16"; ${allowed}`,
  ]);
  assert.deepEqual(problems(network({ vpcCidr: "10.40.1.0/16" })), [
    `crest:network.vpcCidr: got "10.40.1.0/16"; ${allowed}; did you mean "10.40.0.0/16"?`,
  ]);
});

test("every problem is reported at once, one line each", () => {
  const lines = problems({ "crest:tier": "qa", "crest:owner": "Platform Team", "crest:extra": "1" });
  assert.equal(lines.length, 3);
  assert.ok(
    lines.every((l) => /^crest:[a-zA-Z.]+: got .+; allowed: .+/.test(l)),
    lines.join("\n"),
  );
  // An unknown key does not hide the cross-field checks behind it.
  assert.deepEqual(
    problems({ "crest:extra": "1", ...network({ vpcCidr: "10.40.0.0/22" }) }).map((l) => l.split(":")[1]),
    ["extra", "network.vpcCidr"],
  );
});

test("aws:region must agree with crest:region", () => {
  assert.deepEqual(problems({ "aws:region": "us-east-1" }), [
    'aws:region: got "us-east-1"; allowed: unset, or equal to crest:region (Crest\'s AWS provider takes its region from crest:region)',
  ]);
  assert.deepEqual(problems({ "aws:region": "eu-west-1" }), []);
});

/** The problem lines of `valid` under another stack name. */
function stackNameLines(stack: string, raw: Record<string, string> = valid): string[] {
  try {
    resolveStackConfig(stack, raw);
    return [];
  } catch (error) {
    return (error as Error).message.split("\n").slice(1);
  }
}

const redisLimit =
  "at most 20 characters (crest-<stack>-redis names the ElastiCache replication group id, which AWS caps at 40 characters, Pulumi's 8-character suffix included)";

test("a stack name longer than the tightest generated name allows is refused, naming the longest allowed", () => {
  assert.deepEqual(stackNameLines("a".repeat(20)), []);
  assert.deepEqual(stackNameLines("prod-ap-southeast-1-b"), [
    `stack name: got "prod-ap-southeast-1-b"; allowed: lower-case letters, digits and single hyphens, starting with a letter, ${redisLimit}`,
  ]);
});

test("the longest stack name is the tightest of the components' own limits, for the project's name", () => {
  // 64 shards of 15 readers take RDS identifiers to `crest-<stack>-mysql-63-15`: 37 left, still looser.
  const manyReaders = { ...valid, "crest:mysql": JSON.stringify({ shards: 64, readersPerShard: 15 }) };
  assert.equal(longestStackName("crest", resolveStackConfig("a", manyReaders)).length, 20);
  // With a longer project name every component loses the same room, so the tightest stays Valkey's.
  assert.equal(longestStackName("crest-platform", resolveStackConfig("a", valid)).length, 11);
  assert.match(
    longestStackName("crest", resolveStackConfig("a", valid)).reason,
    /^crest-<stack>-redis names the ElastiCache replication group id/,
  );
});

test("a stack name AWS names cannot carry is refused: upper case, _ and ., double or trailing hyphens", () => {
  for (const stack of ["Prod", "prod_euw1", "prod.euw1", "prod--euw1", "prod-", "1prod"]) {
    assert.deepEqual(stackNameLines(stack), [
      `stack name: got "${stack}"; allowed: lower-case letters, digits and single hyphens, starting with a letter, ${redisLimit}`,
    ]);
  }
});
