import assert from "node:assert/strict";
import { test } from "node:test";
import { appHttpPort } from "../../app/src/contract/runtimeConfig";
import { type PlanDocument, runPlan } from "../../tools/plan/run";
import { repoRoot } from "../support/cli";
import { ofType, one } from "../support/recording";

// Recorded inputs are plain JSON of any depth; the assertions below are what checks their shape.
// biome-ignore lint/suspicious/noExplicitAny: walking recorded JSON by path
type Obj = Record<string, any>;

const prod = runPlan(repoRoot, "prod");
const dev = prod.then(() => runPlan(repoRoot, "dev"));

const inputs = (doc: PlanDocument, type: string, name?: string) => one(doc, type, name).inputs as Obj;

function hpaBounds(doc: PlanDocument): Record<string, [number, number]> {
  return Object.fromEntries(
    ofType(doc, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").map((hpa) => {
      const spec = (hpa.inputs as Obj).spec;
      return [spec.scaleTargetRef.name, [spec.minReplicas, spec.maxReplicas]];
    }),
  );
}

test("prod: a private, secrets-encrypted EKS control plane with a node group in each of 3 AZs", async () => {
  const doc = await prod;
  const cluster = inputs(doc, "aws:eks/cluster:Cluster");
  assert.equal(cluster.vpcConfig.endpointPublicAccess, false);
  assert.equal(cluster.vpcConfig.endpointPrivateAccess, true);
  assert.deepEqual(cluster.encryptionConfig.resources, ["secrets"]);
  assert.ok(cluster.enabledClusterLogTypes.includes("audit"));
  const groups = ofType(doc, "aws:eks/nodeGroup:NodeGroup");
  assert.deepEqual(
    groups.map((g) => g.name),
    ["ap-southeast-1a", "ap-southeast-1b", "ap-southeast-1c"].map((az) => `crest-prod-eks-${az}`),
  );
  for (const group of groups) {
    assert.deepEqual((group.inputs as Obj).scalingConfig, { minSize: 2, maxSize: 10, desiredSize: 2 });
  }
});

test("prod: metrics-server, the load balancer controller and the cluster autoscaler are Helm releases", async () => {
  const charts = ofType(await prod, "kubernetes:helm.sh/v3:Release").map((r) => (r.inputs as Obj).chart);
  for (const chart of ["metrics-server", "aws-load-balancer-controller", "cluster-autoscaler"]) {
    assert.ok(charts.includes(chart), `${chart} missing from ${charts.join(", ")}`);
  }
});

test("every workload object waits for the add-ons: the namespace depends on each release", async () => {
  for (const doc of [await prod, await dev]) {
    const namespace = one(doc, "kubernetes:core/v1:Namespace");
    for (const release of ofType(doc, "kubernetes:helm.sh/v3:Release")) {
      assert.ok(namespace.dependencies.includes(release.urn), `namespace does not wait for ${release.name}`);
    }
  }
});

test("both HPAs take their bounds from the tier, scale up fast and down slowly; each Deployment has a PDB", async () => {
  const [p, d] = [await prod, await dev];
  assert.deepEqual(hpaBounds(p), { api: [3, 30], worker: [3, 12] });
  assert.deepEqual(hpaBounds(d), { api: [1, 3], worker: [1, 2] });
  for (const hpa of ofType(p, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler")) {
    const { behavior } = (hpa.inputs as Obj).spec;
    assert.equal(behavior.scaleUp.stabilizationWindowSeconds, 0, hpa.name);
    assert.ok(behavior.scaleDown.stabilizationWindowSeconds >= 300, hpa.name);
  }
  assert.equal(ofType(p, "kubernetes:policy/v1:PodDisruptionBudget").length, 2);
});

test("the smoke Job runs after both Deployments and the CDN, whose origin group and WAF front the ALB", async () => {
  const doc = await prod;
  const job = one(doc, "kubernetes:batch/v1:Job");
  for (const dependency of [
    ...ofType(doc, "kubernetes:apps/v1:Deployment"),
    one(doc, "aws:cloudfront/distribution:Distribution"),
  ]) {
    assert.ok(
      job.dependencies.includes(dependency.urn),
      `the smoke Job does not wait for ${dependency.name}`,
    );
  }
  const cdn = inputs(doc, "aws:cloudfront/distribution:Distribution");
  assert.equal(cdn.originGroups.length, 1);
  assert.equal(cdn.viewerCertificate.minimumProtocolVersion, "TLSv1.2_2021");
  assert.equal(cdn.webAclId, "<computed>");
  const rules = inputs(doc, "aws:wafv2/webAcl:WebAcl").rules as Obj[];
  assert.equal(rules.find((r) => r.statement.rateBasedStatement)?.statement.rateBasedStatement.limit, 2000);
});

test("the ALB serves HTTPS only, with a TLS 1.3 policy, and alone reaches the pods on the app's port", async () => {
  for (const [doc, protect] of [
    [await prod, true],
    [await dev, false],
  ] as const) {
    const alb = inputs(doc, "aws:lb/loadBalancer:LoadBalancer");
    assert.equal(alb.internal, false);
    assert.equal(alb.dropInvalidHeaderFields, true);
    assert.equal(alb.enableDeletionProtection, protect);
    const listeners = ofType(doc, "aws:lb/listener:Listener").map((l) => l.inputs as Obj);
    const https = listeners.find((l) => l.port === 443);
    assert.equal(https?.protocol, "HTTPS");
    assert.match(https?.sslPolicy ?? "", /TLS13/);
    // CloudFront reaches the origin over HTTPS only: no HTTP listener, nothing open on port 80.
    assert.deepEqual(
      listeners.map((l) => l.port),
      [443],
    );
    const toPods = inputs(doc, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    assert.deepEqual([toPods.fromPort, toPods.toPort, toPods.ipProtocol], [appHttpPort, appHttpPort, "tcp"]);
    assert.equal(toPods.cidrIpv4, undefined, "the pods admit the ALB's security group, not an address range");
  }
});

test("dev has the same shape with smaller numbers", async () => {
  const [p, d] = [await prod, await dev];
  const shape = (doc: PlanDocument) =>
    [
      "aws:eks/cluster:Cluster",
      "kubernetes:helm.sh/v3:Release",
      "kubernetes:apps/v1:Deployment",
      "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
      "kubernetes:policy/v1:PodDisruptionBudget",
      "kubernetes:batch/v1:Job",
      "aws:lb/loadBalancer:LoadBalancer",
      "aws:cloudfront/distribution:Distribution",
      "aws:wafv2/webAcl:WebAcl",
    ].map((type) => ofType(doc, type).length);
  assert.deepEqual(shape(d), shape(p));
  assert.equal(ofType(d, "aws:eks/nodeGroup:NodeGroup").length, 2);
  assert.deepEqual(inputs(d, "aws:eks/nodeGroup:NodeGroup", "crest-dev-eks-ap-southeast-1a").instanceTypes, [
    "t4g.large",
  ]);
  assert.equal(inputs(d, "aws:cloudfront/distribution:Distribution").priceClass, "PriceClass_100");
});
