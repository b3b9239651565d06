import assert from "node:assert/strict";
import { test } from "node:test";
import { regionNames } from "../../stacks/config/regions";
import { tiers } from "../../stacks/config/schema";
import { usageByTier } from "../../stacks/config/usage";
import { type CostInput, costDelta, estimateStack } from "../../tools/plan/cost/estimate";
import { dollars, signedMonthly } from "../../tools/plan/cost/format";
import { freeTypeReasons } from "../../tools/plan/cost/freeTypes";
import { pricers } from "../../tools/plan/cost/pricers";
import {
  auroraHourly,
  ec2Hourly,
  mskHourly,
  type Price,
  prices,
  regionFactors,
  valkeyHourly,
} from "../../tools/plan/cost/prices";
import { resolvePrice } from "../../tools/plan/cost/resolve";

const singapore = regionFactors["ap-southeast-1"]?.factor ?? Number.NaN;

function input(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  more: Partial<CostInput> = {},
): CostInput {
  return {
    urn: `urn:pulumi:test::crest::${type}::${name}`,
    type,
    name,
    custom: true,
    inputs,
    region: "us-east-1",
    component: "c",
    propertyDependencies: {},
    ...more,
  };
}

test("every region Crest deploys to has a factor, and every tier a usage assumption", () => {
  assert.deepEqual(Object.keys(regionFactors).sort(), [...regionNames].sort());
  assert.deepEqual(Object.keys(usageByTier).sort(), [...tiers].sort());
  assert.equal(regionFactors["us-east-1"]?.factor, 1);
  assert.equal(singapore, 1.249);
  assert.match(
    regionFactors["ap-east-1"]?.basis ?? "",
    /no ap-east-1 figure found; ap-southeast-1 is the nearest/,
  );
});

test("every price is positive and names where it was read", () => {
  const all: [string, Price][] = [
    ...Object.entries(prices),
    ...[ec2Hourly, auroraHourly, valkeyHourly, mskHourly].flatMap((t) => Object.entries(t)),
  ];
  for (const [name, price] of all) {
    assert.ok(price.usd > 0, name);
    assert.ok(price.source.length > 10, `${name} has a source`);
    for (const [region, read] of Object.entries(price.regional ?? {})) {
      assert.ok(regionNames.includes(region as never), `${name}: ${region} is a Crest region`);
      assert.ok(read.usd > 0 && read.source.length > 10, `${name} in ${region}`);
    }
  }
});

test("a price is read for its region, the same everywhere, or estimated with the region's factor", () => {
  assert.deepEqual(
    [
      resolvePrice(prices.natGatewayHour, "ap-southeast-1").usd,
      resolvePrice(prices.natGatewayHour, "ap-southeast-1").estimated,
    ],
    [0.059, undefined],
  );
  assert.equal(resolvePrice(prices.eksClusterHour, "sa-east-1").estimated, undefined);
  const aurora = resolvePrice(sized(auroraHourly, "db.r7g.large"), "ap-southeast-1");
  assert.equal(aurora.usd, Math.round(0.276 * singapore * 1e6) / 1e6);
  assert.equal(aurora.estimated?.factor, singapore);
  const larger = resolvePrice(sized(auroraHourly, "db.r7g.xlarge"), "ap-southeast-1");
  assert.equal(larger.estimated?.factor, Math.round(2 * singapore * 1e6) / 1e6);
  assert.match(larger.estimated?.basis ?? "", /^2 × db\.r7g\.large .*; us-east-1 × 1\.249 \(EMR Serverless/);
  assert.equal(resolvePrice(sized(auroraHourly, "db.r7g.large"), "us-east-1").estimated, undefined);
  assert.throws(() => resolvePrice(prices.albHour, "mars-north-1"), /region "mars-north-1" has no factor/);
});

function sized(table: Readonly<Record<string, Price>>, size: string): Price {
  const price = table[size];
  assert.ok(price, size);
  return price;
}

test("usage is shared among the NAT gateways and buckets are priced by their lifecycle's classes", () => {
  const nat = (az: string) => input("aws:ec2/natGateway:NatGateway", `nat-${az}`, {});
  const archive = input("aws:s3/bucket:Bucket", "archive", {});
  const lifecycle = input(
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "archive",
    {
      rules: [
        {
          transitions: [
            { days: 30, storageClass: "STANDARD_IA" },
            { days: 365, storageClass: "DEEP_ARCHIVE" },
          ],
        },
      ],
    },
    { propertyDependencies: { bucket: [archive.urn] } },
  );
  const logs = input("aws:s3/bucket:Bucket", "logs", {});
  const cost = estimateStack([nat("a"), nat("b"), archive, lifecycle, logs], "prod");
  const usage = usageByTier.prod;
  const lines = (name: string) =>
    cost.resources.find((r) => r.name === name)?.lines.map((l) => [l.what, l.quantity, l.monthlyUsd]);
  assert.deepEqual(lines("nat-a"), [
    ["NAT gateway hours", 730, 32.85],
    ["GB processed (its share)", usage.natGbPerMonth / 2, (usage.natGbPerMonth / 2) * 0.045],
  ]);
  assert.deepEqual(lines("archive"), [
    ["S3 STANDARD GB-month", usage.tieredBucketGb.STANDARD, 2.3],
    ["S3 STANDARD_IA GB-month", usage.tieredBucketGb.STANDARD_IA, 2.5],
    ["S3 DEEP_ARCHIVE GB-month", usage.tieredBucketGb.DEEP_ARCHIVE, 2.97],
  ]);
  assert.deepEqual(lines("logs"), [["S3 Standard GB-month", usage.bucketGb, 2.3]]);
  assert.deepEqual(cost.unpriced, []);
});

test("an unknown type, an unknown input or a size the table lacks is reported unpriced, naming it", () => {
  const cost = estimateStack(
    [
      input("aws:rds/clusterInstance:ClusterInstance", "writer", {}),
      input("aws:rds/clusterInstance:ClusterInstance", "huge", { instanceClass: "db.x2g.16xlarge" }),
      input("aws:dynamodb/table:Table", "t", {}),
      input("kubernetes:apps/v1:Deployment", "api", {}),
      input("aws:iam/role:Role", "r", {}),
      input("crest:data:ShardedMysql", "mysql", {}, { custom: false }),
    ],
    "dev",
  );
  assert.deepEqual(
    cost.unpriced.map((u) => [u.type, u.reason]),
    [
      ["aws:rds/clusterInstance:ClusterInstance", "instanceClass is unknown or unset; the estimate needs it"],
      [
        "aws:rds/clusterInstance:ClusterInstance",
        "no price for Aurora instance class db.x2g.16xlarge in tools/plan/cost/prices.ts",
      ],
      ["aws:dynamodb/table:Table", "no price in tools/plan/cost and not listed as free"],
    ],
  );
  assert.equal(cost.monthlyUsd, 0);
});

test("no type is both priced and listed free", () => {
  assert.deepEqual(
    Object.keys(pricers).filter((type) => type in freeTypeReasons),
    [],
  );
});

test("the delta is per component, largest change first, and money reads as the report prints it", () => {
  const cluster = (component: string, size: string) =>
    input(
      "aws:rds/clusterInstance:ClusterInstance",
      `${component}-${size}`,
      { instanceClass: size },
      { component },
    );
  const base = estimateStack([cluster("mysql", "db.r7g.large"), cluster("cache", "db.t4g.medium")], "prod");
  const head = estimateStack([cluster("mysql", "db.r7g.xlarge"), cluster("cache", "db.t4g.medium")], "prod");
  const delta = costDelta(base, head);
  assert.deepEqual(delta.byComponent, [{ component: "mysql", deltaUsd: 201.48 }]);
  assert.equal(delta.deltaUsd, 201.48);
  assert.equal(signedMonthly(delta.deltaUsd), "+$201.48/month");
  assert.equal(signedMonthly(-12), "-$12.00/month");
  assert.equal(dollars(8522.24), "$8,522.24");
});
