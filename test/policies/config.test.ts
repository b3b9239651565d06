import assert from "node:assert/strict";
import { test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import {
  PolicyConfigError,
  type PolicyInfo,
  parsePolicyConfig,
  reconcilePolicyConfig,
  stackConfigProblems,
} from "../../tools/policy/config";
import { durationSeconds, engineValue, providerOf, type WireResource } from "../../tools/policy/wire";
import { res, unknown } from "./fixtures";

const policies: PolicyInfo[] = [
  {
    name: "cost-hpa-max-replicas",
    description: "…",
    enforcementLevel: "mandatory",
    tags: ["cost"],
    configSchema: {
      properties: { maxReplicas: { type: "integer", minimum: 1, default: 60 }, reason: { type: "string" } },
      required: [],
    },
  },
  { name: "security-redis-tls", description: "…", enforcementLevel: "mandatory", tags: ["security"] },
];

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof PolicyConfigError) return error.problems;
    throw error;
  }
  assert.fail("expected a PolicyConfigError");
}

test("a config file is read as the CLI reads --policy-pack-config", () => {
  const given = parsePolicyConfig(
    JSON.stringify({
      all: "advisory",
      "cost-hpa-max-replicas": { enforcementLevel: "disabled", maxReplicas: 4, reason: "r" },
    }),
    "x.json",
  );
  assert.deepEqual(given.get("all"), { enforcementLevel: "advisory", properties: {} });
  assert.deepEqual(given.get("cost-hpa-max-replicas"), {
    enforcementLevel: "disabled",
    properties: { maxReplicas: 4, reason: "r" },
  });
  assert.deepEqual(parsePolicyConfig("  ", "x.json"), new Map());
  assert.deepEqual(
    problemsOf(() => parsePolicyConfig('{"all": "strict", "a": 3}', "x.json")),
    [
      'all: got "strict"; allowed: an enforcement level ("advisory", "mandatory", "remediate", "disabled")',
      "a: got 3; allowed: an enforcement level or an object",
    ],
  );
  assert.match(problemsOf(() => parsePolicyConfig("{", "x.json"))[0] ?? "", /^\(file\): got invalid JSON/);
});

test('reconciling applies defaults, then "all", then each policy, and validates against the schema', () => {
  const none = new Map();
  const defaults = reconcilePolicyConfig(policies, none, none, "x");
  assert.deepEqual(defaults.get("cost-hpa-max-replicas"), {
    enforcementLevel: "mandatory",
    properties: { maxReplicas: 60 },
  });
  const given = parsePolicyConfig(JSON.stringify({ all: "advisory", "security-redis-tls": "disabled" }), "x");
  const config = reconcilePolicyConfig(policies, none, given, "x");
  assert.equal(config.get("cost-hpa-max-replicas")?.enforcementLevel, "advisory");
  assert.equal(config.get("security-redis-tls")?.enforcementLevel, "disabled");
  const bad = parsePolicyConfig(JSON.stringify({ "cost-hpa-max-replicas": { maxReplicas: 0 } }), "x");
  assert.deepEqual(
    problemsOf(() => reconcilePolicyConfig(policies, none, bad, "x")),
    ["cost-hpa-max-replicas.maxReplicas: got 0; allowed: Too small: expected number to be >=1"],
  );
});

test("a stack's config names policies of the pack and says why for every entry", () => {
  assert.deepEqual(
    stackConfigProblems(
      policies,
      JSON.stringify({ "security-redis-tls": { enforcementLevel: "disabled", reason: "no Redis here" } }),
    ),
    [],
  );
  assert.deepEqual(
    stackConfigProblems(
      policies,
      JSON.stringify({ "security-redis-tsl": { reason: "typo" }, "security-redis-tls": "disabled" }),
    ),
    [
      'security-redis-tsl: got a policy name the pack does not have; allowed: "all" or one of the pack\'s policies',
      "security-redis-tls.reason: got nothing; allowed: a sentence saying why this stack differs",
    ],
  );
});

test("properties reach the pack marshaled as the engine marshals them for an analyzer", () => {
  const { specialSigKey, specialSecretSig, specialResourceSig } = pulumi.runtime;
  const wire = {
    __defaults: ["name"],
    nested: { __internal: 1, kept: "yes" },
    password: { [specialSigKey]: specialSecretSig, value: "p" },
    custom: { [specialSigKey]: specialResourceSig, urn: "urn:a", id: unknown },
    created: { [specialSigKey]: specialResourceSig, urn: "urn:b", id: "vpc-1" },
    component: { [specialSigKey]: specialResourceSig, urn: "urn:c" },
    later: unknown,
  };
  assert.deepEqual(engineValue(wire), {
    nested: { kept: "yes" },
    password: { [specialSigKey]: specialSecretSig, value: "p" },
    custom: unknown,
    created: "vpc-1",
    component: "urn:c",
    later: unknown,
  });
  assert.equal(durationSeconds("1h30m"), 5400);
  assert.equal(durationSeconds("90s"), 90);
  assert.equal(durationSeconds(""), 0);
});

test("a resource on a default provider gets that provider with the stack's package config", () => {
  const vpc: WireResource = res("aws:ec2/vpc:Vpc", "vpc", {}, { provider: null });
  const provider = providerOf(vpc, new Map(), {
    stack: "dev",
    project: "crest",
    config: { "aws:region": "eu-west-1", "crest:tier": "dev" },
  });
  assert.deepEqual(provider, {
    urn: "urn:pulumi:dev::crest::pulumi:providers:aws::default_7_48_0",
    type: "pulumi:providers:aws",
    name: "default_7_48_0",
    properties: { region: "eu-west-1" },
  });
  assert.equal(
    providerOf(res("crest:data:Store", "c", {}, { custom: false }), new Map(), {
      stack: "dev",
      project: "crest",
      config: {},
    }),
    undefined,
  );
});
