import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { appHttpPort } from "../../app/src/contract/runtimeConfig";
import type { WorkloadIdentity } from "../../infra/workload";
import { renderManifests } from "../../tools/plan/manifests";
import { kubernetesMinor, validateManifest } from "../../tools/plan/providerChecks/kubernetesSchema";
import type { RecordedResource } from "../../tools/plan/recorder";
import { recordProgram } from "../../tools/plan/run";
import { runPlanCli, tempDir } from "../support/cli";
import {
  buildContext,
  cdnDistribution,
  declareWorkload,
  runtimeConfig,
  workloadArgs,
} from "./fixtures/workload";

// Manifests are plain JSON of any depth; the assertions below are what checks their shape.
// biome-ignore lint/suspicious/noExplicitAny: walking rendered JSON by path
type Obj = Record<string, any>;

/**
 * The workload as a stack declares it: secret ARNs, IAM roles, the target group and the CDN are
 * other resources' outputs, so a preview shows them (and all that is derived from them: the
 * RuntimeConfig, the ConfigMap's and the Job's names) as `<computed>`.
 */
function previewProgram(): void {
  const secretArn = (name: string) => new aws.secretsmanager.Secret(name, { name: `crest-test/${name}` }).arn;
  const secrets = {
    mysqlShards: [secretArn("mysql-shard-0"), secretArn("mysql-shard-1")],
    redisAuth: secretArn("redis-auth"),
    kafkaScram: secretArn("kafka-scram"),
    wechatAppSecret: secretArn("wechat-app-secret"),
    sessionSigningKey: secretArn("session-signing-key"),
  };
  const targetGroup = new aws.lb.TargetGroup("api", {
    port: appHttpPort,
    protocol: "HTTP",
    targetType: "ip",
    vpcId: "vpc-0abc",
  });
  const cdn = cdnDistribution();
  const config = pulumi
    .all([
      pulumi.all(secrets.mysqlShards),
      secrets.redisAuth,
      secrets.kafkaScram,
      secrets.wechatAppSecret,
      secrets.sessionSigningKey,
    ])
    .apply(([shards, redis, kafka, wechat, signing]) => ({
      ...runtimeConfig,
      mysql: {
        ...runtimeConfig.mysql,
        shards: runtimeConfig.mysql.shards.map((s, i) => ({ ...s, secretArn: shards[i] as string })),
      },
      redis: { ...runtimeConfig.redis, authSecretArn: redis },
      kafka: { ...runtimeConfig.kafka, credentialSecretArn: kafka },
      wechat: { ...runtimeConfig.wechat, appSecretArn: wechat },
      sessionSigningSecretArn: signing,
    }));
  const role = (identity: WorkloadIdentity) =>
    new aws.iam.Role(`irsa-${identity.mode}`, {
      assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [] }),
    }).arn;
  declareWorkload(
    {
      ...workloadArgs(buildContext()),
      runtimeConfig: config,
      secrets,
      serviceAccountRoleArn: role,
      targetGroupArn: targetGroup.arn,
      cdnUrl: pulumi.interpolate`https://${cdn.domainName}`,
    },
    (provider) => {
      // A Helm release is a chart reference, not an object: it must not be rendered.
      new k8s.helm.v3.Release(
        "metrics-server",
        { chart: "metrics-server", namespace: "kube-system" },
        { provider },
      );
      return { smokeDependsOn: [cdn] };
    },
  );
}

const recording = recordProgram("crest", "test", previewProgram);
const manifests = recording.then((rec) => renderManifests(rec.resources));

test("every Kubernetes object of the workload is rendered, one file each, and nothing else", async () => {
  assert.deepEqual(
    (await manifests).map((m) => m.file),
    [
      "configmap-crest-crest-test-runtime-config.yaml",
      "deployment-crest-api.yaml",
      "deployment-crest-worker.yaml",
      "horizontalpodautoscaler-crest-api.yaml",
      "horizontalpodautoscaler-crest-worker.yaml",
      "job-crest-crest-test-smoke.yaml",
      "namespace-crest.yaml",
      "networkpolicy-crest-api-ingress.yaml",
      "networkpolicy-crest-default-deny-ingress.yaml",
      "networkpolicy-crest-egress.yaml",
      "networkpolicy-crest-worker-ingress.yaml",
      "poddisruptionbudget-crest-api.yaml",
      "poddisruptionbudget-crest-worker.yaml",
      "secretproviderclass-crest-api-secrets.yaml",
      "secretproviderclass-crest-smoke-secrets.yaml",
      "secretproviderclass-crest-worker-secrets.yaml",
      "service-crest-api.yaml",
      "serviceaccount-crest-api.yaml",
      "serviceaccount-crest-smoke.yaml",
      "serviceaccount-crest-worker.yaml",
      "targetgroupbinding-crest-api.yaml",
    ],
  );
  const rec = await recording;
  assert.ok(rec.resources.some((r) => r.type === "kubernetes:helm.sh/v3:Release"));
  assert.ok(rec.resources.some((r) => r.type === "pulumi:providers:kubernetes"));
});

test("values a preview cannot know are rendered as <computed>, and no secret is", async () => {
  const byFile = new Map((await manifests).map((m) => [m.file, m]));
  const object = (file: string) => parse(byFile.get(file)?.yaml ?? "") as Obj;
  // Computed names file the object under its Pulumi resource name instead.
  assert.equal(object("job-crest-crest-test-smoke.yaml").metadata.name, "<computed>");
  assert.equal(
    object("configmap-crest-crest-test-runtime-config.yaml").data["runtime-config.json"],
    "<computed>",
  );
  assert.equal(object("secretproviderclass-crest-api-secrets.yaml").spec.parameters.objects, "<computed>");
  assert.equal(
    object("serviceaccount-crest-api.yaml").metadata.annotations["eks.amazonaws.com/role-arn"],
    "<computed>",
  );
  assert.equal(object("deployment-crest-api.yaml").spec.template.spec.containers[0].image, "<computed>");
  assert.equal(
    object("deployment-crest-api.yaml").spec.template.spec.containers[0].readinessProbe.httpGet.path,
    "/healthz",
  );
  for (const m of await manifests) {
    assert.ok(!m.yaml.includes("[secret]"), `${m.file} holds a secret`);
    assert.ok(m.yaml.startsWith(`# ${m.urn}\n`));
    assert.deepEqual(parse(m.yaml), m.object);
  }
});

test(`every rendered manifest passes the Kubernetes ${kubernetesMinor} schema`, async (t) => {
  let placeholders = 0;
  let unknownStrings = 0;
  for (const manifest of await manifests) {
    const verdict = await validateManifest(manifest.object, manifest.patch);
    assert.deepEqual(verdict.errors, [], `${manifest.file} is invalid`);
    const kind = manifest.object.kind;
    assert.equal(
      verdict.coverage,
      kind === "TargetGroupBinding" || kind === "SecretProviderClass" ? "metadata" : "schema",
    );
    placeholders += verdict.placeholders.length;
    unknownStrings += verdict.unknownStrings.length;
  }
  // Every <computed> in the workload sits in a plain string field: nothing needed a placeholder.
  assert.equal(placeholders, 0);
  t.diagnostic(
    `${(await manifests).length} manifests valid; ${unknownStrings} <computed> strings in formatted fields`,
  );
});

const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "api", namespace: "crest" },
  spec: {
    selector: { matchLabels: { app: "api" } },
    template: {
      metadata: { labels: { app: "api" } },
      spec: { containers: [{ name: "api", image: "registry/app:1", resources: { limits: { cpu: "1" } } }] },
    },
  },
};
function breaking(change: (object: Obj) => void): Obj {
  const object: Obj = structuredClone(deployment);
  change(object);
  return object;
}

test("the validator bites: wrong types, missing fields, bad enums and quantities, unknown kinds fail", async () => {
  assert.deepEqual((await validateManifest(deployment)).errors, []);
  const errorsOf = async (object: Record<string, unknown>) => (await validateManifest(object)).errors;
  assert.deepEqual(
    await errorsOf(
      breaking((d) => {
        d.spec.replicas = "two";
      }),
    ),
    ["/spec/replicas must be integer"],
  );
  assert.deepEqual(
    await errorsOf(
      breaking((d) => {
        delete d.spec.template.spec.containers[0].name;
      }),
    ),
    ["/spec/template/spec/containers/0 must have required property name"],
  );
  const badEnum = await errorsOf(
    breaking((d) => {
      d.spec.template.spec.restartPolicy = "Sometimes";
    }),
  );
  assert.ok(
    badEnum.some((e) => e.startsWith("/spec/template/spec/restartPolicy ")),
    badEnum.join("; "),
  );
  const badQuantity = await errorsOf(
    breaking((d) => {
      d.spec.template.spec.containers[0].resources.limits.cpu = "lots";
    }),
  );
  assert.ok(badQuantity.some((e) => e.startsWith("/spec/template/spec/containers/0/resources/limits/cpu ")));
  assert.deepEqual(await errorsOf({ ...deployment, apiVersion: "app/v1" }), [
    `app/v1 Deployment is not in the Kubernetes ${kubernetesMinor} schema nor a known custom resource`,
  ]);
  const badLabel = await validateManifest({
    apiVersion: "elbv2.k8s.aws/v1beta1",
    kind: "TargetGroupBinding",
    metadata: { name: "api", labels: { tier: 1 } },
    spec: {},
  });
  assert.equal(badLabel.coverage, "metadata");
  assert.deepEqual(badLabel.errors, ["/metadata/labels/tier must be string"]);
});

test("<computed> gets a placeholder where the schema wants a non-string, and is accepted as a string elsewhere", async () => {
  const verdict = await validateManifest(
    breaking((d) => {
      d.spec.replicas = "<computed>";
      d.spec.template.spec.restartPolicy = "<computed>";
    }),
  );
  assert.deepEqual(verdict.errors, []);
  assert.deepEqual(verdict.placeholders, ["/spec/replicas (integer)"]);
  assert.deepEqual(verdict.unknownStrings, ["/spec/template/spec/restartPolicy"]);
  // Only a <computed> value is excused: the same fields with real wrong values still fail.
  assert.notDeepEqual(
    (
      await validateManifest(
        breaking((d) => {
          d.spec.template.spec.restartPolicy = "computed";
        }),
      )
    ).errors,
    [],
  );
  // A patch may leave out required fields; a full object may not.
  const partial = breaking((d) => {
    delete d.spec.selector;
  });
  assert.deepEqual((await validateManifest(partial, true)).errors, []);
  assert.deepEqual((await validateManifest(partial)).errors, ["/spec must have required property selector"]);
});

function recorded(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  custom = true,
): RecordedResource {
  return {
    urn: `urn:pulumi:test::crest::${type}::${name}`,
    type,
    name,
    parent: "",
    custom,
    protect: false,
    provider: "",
    dependencies: [],
    propertyDependencies: {},
    inputs,
  };
}

test("file names follow kind, namespace and name; two objects for one file are an error", () => {
  const namespace = recorded("kubernetes:core/v1:Namespace", "ns", {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: "Crest" },
  });
  const config = recorded("kubernetes:core/v1:ConfigMap", "cfg", {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "a-b", namespace: "x" },
  });
  const component = recorded("kubernetes:yaml/v2:ConfigGroup", "group", {}, false);
  assert.deepEqual(
    renderManifests([namespace, config, component]).map((m) => m.file),
    ["configmap-x-a-b.yaml", "namespace-crest.yaml"],
  );
  const clash = recorded("kubernetes:core/v1:ConfigMap", "cfg2", {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "b", namespace: "x-a" },
  });
  assert.throws(() => renderManifests([config, clash]), {
    message: `${config.urn} and ${clash.urn} would both be written to configmap-x-a-b.yaml`,
  });
});

for (const stack of ["dev", "prod"]) {
  test(`plan --stack ${stack} --manifests writes every Kubernetes object of the stack, each valid`, async (t) => {
    await manifests;
    const dir = tempDir(`manifests-${stack}`);
    const result = await runPlanCli([
      "--stack",
      stack,
      "--json",
      join(dir, "plan.json"),
      "--manifests",
      join(dir, "k8s"),
    ]);
    assert.equal(result.code, 0, result.stderr);
    const doc = JSON.parse(readFileSync(join(dir, "plan.json"), "utf8")) as { resources: RecordedResource[] };
    const expected = renderManifests(doc.resources);
    assert.match(
      result.stderr,
      new RegExp(`\\[plan ${stack}\\] ${expected.length} Kubernetes manifests written to `),
    );
    if (expected.length === 0) {
      t.skip(
        `the ${stack} stack declares no Kubernetes objects yet (stacks/ does not wire the cluster and workload)`,
      );
      return;
    }
    assert.deepEqual(
      readdirSync(join(dir, "k8s")).sort(),
      expected.map((m) => m.file),
    );
    for (const manifest of expected) {
      assert.equal(readFileSync(join(dir, "k8s", manifest.file), "utf8"), manifest.yaml);
      assert.deepEqual((await validateManifest(manifest.object, manifest.patch)).errors, [], manifest.file);
    }
  });
}
