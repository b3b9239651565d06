import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveStackConfig } from "../../stacks/config/load";
import { devConfig, prodConfig, sectionProblems } from "../support/stackConfig";

const prod = prodConfig;
const dev = devConfig;
const problems = sectionProblems;

test("a nested override keeps the tier's other keys: nodesPerAz.max alone, api.cpu.limit alone", () => {
  const config = resolveStackConfig("test", {
    ...prod,
    "crest:cluster": JSON.stringify({ nodesPerAz: { max: 20 } }),
    "crest:workload": JSON.stringify({ api: { cpu: { limit: "2" } } }),
  });
  assert.deepEqual(config.cluster.nodesPerAz, { min: 2, max: 20, desired: 2 });
  assert.deepEqual(config.workload.api, {
    minReplicas: 3,
    maxReplicas: 30,
    cpu: { request: "500m", limit: "2" },
    memory: { request: "1Gi", limit: "1Gi" },
  });
  const small = resolveStackConfig("test", dev);
  assert.deepEqual(small.cluster.nodeInstanceTypes, ["t4g.large"]);
  assert.deepEqual(small.edge, {
    domainName: "api.example.com",
    hostedZoneId: "Z0123456789ABCDEFGHIJ",
    rateLimitPerIp: 1000,
    priceClass: "PriceClass_100",
    accessLogRetentionDays: 30,
  });
  assert.equal(small.wechat.apiBaseUrl, "https://api.weixin.qq.com");
});

test("prod keeps the Kubernetes API private; dev may open it, to named networks only", () => {
  assert.deepEqual(
    problems("cluster", { endpointPublicAccess: true, publicAccessCidrs: ["34.120.0.0/24"] }),
    [
      "crest:cluster.endpointPublicAccess: got true; allowed: false for tier prod (the Kubernetes API is reachable from inside the VPC only; deploy from a runner there)",
    ],
  );
  assert.deepEqual(
    problems("cluster", { endpointPublicAccess: true, publicAccessCidrs: ["34.120.0.0/24"] }, dev),
    [],
  );
  const [open] = problems("cluster", { endpointPublicAccess: true }, dev);
  assert.match(
    open ?? "",
    /^crest:cluster\.publicAccessCidrs: got \[\]; allowed: 1 to 40 CIDRs when endpointPublicAccess is true/,
  );
});

test("the cluster's own limits are config errors on the key that set them", () => {
  const lines = problems("cluster", {
    kubernetesVersion: "1.20",
    nodeInstanceTypes: ["m7g.large", "m7i.large"],
  });
  assert.equal(lines.length, 2);
  assert.match(
    lines[0] ?? "",
    /^crest:cluster\.kubernetesVersion: got "1\.20"; allowed: one of 1\.35, 1\.36/,
  );
  assert.match(
    lines[1] ?? "",
    /^crest:cluster\.nodeInstanceTypes: got \["m7g\.large","m7i\.large"\]; allowed: instance types of one architecture/,
  );
});

test("workload sizes: quantities, bounds, the partition ceiling and the tier floors", () => {
  assert.deepEqual(
    problems("workload", {
      api: { minReplicas: 2, cpu: { request: "lots" } },
      worker: { minReplicas: 1, maxReplicas: 20 },
    }),
    [
      'crest:workload.api.cpu.request: got "lots"; allowed: a quantity above 0 in cores, e.g. "250m" or "1"',
      "crest:workload.worker.maxReplicas: got 20; allowed: at most ordersPartitions (12): a consumer beyond the partitions idles",
      "crest:workload.api.minReplicas: got 2; allowed: at least 3 for tier prod (an API pod in every AZ, so losing a zone leaves the API serving)",
      "crest:workload.worker.minReplicas: got 1; allowed: at least 2 for tier prod (orders keep draining while a worker restarts)",
    ],
  );
  assert.deepEqual(problems("workload", { api: { minReplicas: 1 }, worker: { minReplicas: 1 } }, dev), []);
});

test("edge and WeChat settings name the key, the value and what is allowed", () => {
  assert.deepEqual(
    problems("edge", {
      domainName: "api.example.com",
      hostedZoneId: "Z0123456789ABCDEFGHIJ",
      priceClass: "cheap",
    }),
    ['crest:edge.priceClass: got "cheap"; allowed: "PriceClass_100", "PriceClass_200", "PriceClass_All"'],
  );
  const [zone] = problems("edge", { domainName: "api.example.com", hostedZoneId: "zone" });
  assert.match(zone ?? "", /^crest:edge\.hostedZoneId: got "zone"; allowed: /);
  assert.deepEqual(problems("wechat", { appId: "my-app" }), [
    'crest:wechat.appId: got "my-app"; allowed: a mini-program AppID: "wx" and 16 hex digits',
  ]);
  assert.deepEqual(
    problems("wechat", { appId: "wx0123456789abcdef", apiBaseUrl: "http://api.weixin.qq.com" }),
    [
      'crest:wechat.apiBaseUrl: got "http://api.weixin.qq.com"; allowed: an https:// URL without credentials, e.g. "https://api.weixin.qq.com"',
    ],
  );
  const missing = { ...prod } as Record<string, string>;
  delete missing["crest:edge"];
  assert.throws(
    () => resolveStackConfig("test", missing),
    /crest:edge: got nothing; allowed: a map with at least domainName and hostedZoneId/,
  );
});
