import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { environmentKeys } from "../../app/src/contract/podEnvironment";
import { appHttpPort, serviceSettingsSchema } from "../../app/src/contract/runtimeConfig";
import { mysqlSecretName, secretNames } from "../../app/src/contract/secretNames";
import { secretReaderPolicy } from "../../infra/security";
import {
  contentTag,
  repositoryNameProblems,
  type WorkloadIdentity,
  workloadArgsProblems,
} from "../../infra/workload";
import { runtimeConfigFile, secretMounts } from "../../infra/workload/runtimeConfigFile";
import type { RecordedResource } from "../../tools/plan/recorder";
import { recordProgram } from "../../tools/plan/run";
import {
  buildContext,
  cdnDistribution,
  declareWorkload,
  runtimeConfig,
  secretArn,
  workloadArgs,
} from "../manifests/fixtures/workload";
import { ofType, one } from "../support/recording";

// Recorded inputs are plain JSON of any depth; the assertions below are what checks their shape.
// biome-ignore lint/suspicious/noExplicitAny: walking recorded JSON by path
type Obj = Record<string, any>;

const context = buildContext();
const digest = `sha256:${"a".repeat(64)}`;
const identities: WorkloadIdentity[] = [];
const prodArgs = workloadArgs(context, identities);

// Programs run one at a time (the Pulumi runtime is global); each test awaits the recordings first.
const prod = recordProgram(
  "crest",
  "test",
  () => declareWorkload(prodArgs, () => ({ smokeDependsOn: [cdnDistribution()] })),
  { computedOutputs: (r) => (r.type === "docker-build:index:Image" ? { digest } : {}) },
);
const dev = prod.then(() =>
  recordProgram("crest", "dev", () =>
    declareWorkload({
      ...workloadArgs(context),
      namespace: "crest-dev",
      image: { ...prodArgs.image, platform: "linux/amd64" },
      service: { httpPort: 9090 },
      api: { ...prodArgs.api, minReplicas: 1, maxReplicas: 3 },
      worker: { ...prodArgs.worker, minReplicas: 1, maxReplicas: 2, consumerLagPerPod: 1000 },
      preStopSleepSeconds: 0,
      protect: false,
    }),
  ),
);

/** The app schema's own words for a bad service section: the component passes them on unchanged. */
function schemaMessage(service: object): string {
  const result = serviceSettingsSchema.safeParse(service);
  assert.ok(!result.success && result.error.issues.length === 1);
  return result.error.issues[0]?.message ?? "";
}

const k8sObject = (rec: { resources: RecordedResource[] }, kind: string, name: string) =>
  one(rec, kind, `crest-test-${name}`).inputs as Obj;
const deployment = (rec: { resources: RecordedResource[] }, mode: string) =>
  k8sObject(rec, "kubernetes:apps/v1:Deployment", mode);
const podSpec = (rec: { resources: RecordedResource[] }, mode: "api" | "worker") =>
  deployment(rec, mode).spec.template.spec as Obj;
const jobSpec = async () => one(await prod, "kubernetes:batch/v1:Job").inputs.spec as Obj;

test("every resource sits under the component, and every Kubernetes object uses the cluster's provider", async () => {
  const rec = await prod;
  const component = one(rec, "crest:compute:Workload");
  for (const r of rec.resources.filter((r) => r.custom && r.name !== "cdn" && r.name !== "cluster")) {
    assert.ok(r.urn.includes("crest:compute:Workload$"), `${r.urn} is not under the Workload`);
    if (r.type.startsWith("kubernetes:"))
      assert.ok(r.provider.endsWith("pulumi:providers:kubernetes::cluster"), r.urn);
  }
  assert.equal(one(rec, "aws:ecr/repository:Repository").parent, component.urn);
});

test("the image repository is encrypted with its own key, scanned, immutable, pruned and protected", async () => {
  const rec = await prod;
  const repository = one(rec, "aws:ecr/repository:Repository");
  assert.equal(repository.inputs.name, "crest-test");
  assert.equal(repository.inputs.imageTagMutability, "IMMUTABLE");
  assert.deepEqual(repository.inputs.imageScanningConfiguration, { scanOnPush: true });
  const [encryption] = repository.inputs.encryptionConfigurations as Obj[];
  assert.equal(encryption?.encryptionType, "KMS");
  assert.ok(repository.dependencies.some((urn) => urn.endsWith("aws:kms/key:Key::crest-test-images")));
  assert.equal(one(rec, "aws:kms/key:Key").inputs.enableKeyRotation, true);
  assert.equal(repository.protect, true);
  assert.equal(repository.inputs.forceDelete, false);
  const policy = JSON.parse(one(rec, "aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs.policy as string);
  assert.deepEqual(
    policy.rules.map((r: Obj) => [
      r.rulePriority,
      r.selection.tagStatus,
      r.selection.countType,
      r.selection.countNumber,
    ]),
    [
      [1, "untagged", "sinceImagePushed", 1],
      [2, "any", "imageCountMoreThan", 50],
    ],
  );

  const devRepository = one(await dev, "aws:ecr/repository:Repository");
  assert.equal(devRepository.protect, false);
  assert.equal(devRepository.inputs.forceDelete, true);
});

test("the image is built from the context, pushed under a content tag (never latest), and pods pin its digest", async () => {
  const rec = await prod;
  const image = one(rec, "docker-build:index:Image");
  const tag = contentTag(context, "app/Dockerfile", ["package.json", "app/src"]);
  assert.match(tag, /^src-[0-9a-f]{20}$/);
  const repositoryUrl = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/crest-test";
  assert.deepEqual(image.inputs.tags, [`${repositoryUrl}:${tag}`]);
  assert.equal(image.inputs.push, true);
  assert.deepEqual(image.inputs.platforms, ["linux/arm64"]);
  assert.deepEqual(image.inputs.context, { location: context });
  assert.deepEqual(image.inputs.dockerfile, { location: join(context, "app/Dockerfile") });
  assert.ok(image.dependencies.some((urn) => urn.endsWith("aws:ecr/repository:Repository::crest-test")));

  const images = [
    ...["api", "worker"].flatMap((mode) => podSpec(rec, mode as "api").containers),
    ...(await jobSpec()).template.spec.initContainers,
    ...(await jobSpec()).template.spec.containers,
  ].map((c: Obj) => c.image);
  assert.equal(images.length, 4);
  for (const ref of images) {
    assert.equal(ref, `${repositoryUrl}:${tag}@${digest}`);
    assert.doesNotMatch(ref, /:latest\b/);
  }
  assert.deepEqual(podSpec(rec, "api").nodeSelector, {
    "kubernetes.io/os": "linux",
    "kubernetes.io/arch": "arm64",
  });
  assert.deepEqual(podSpec(await dev, "api").nodeSelector, {
    "kubernetes.io/os": "linux",
    "kubernetes.io/arch": "amd64",
  });
});

test("the content tag follows the bytes of the Dockerfile and the sources, and nothing else", () => {
  const ctx = buildContext();
  const tag = () => contentTag(ctx, "app/Dockerfile", ["package.json", "app/src"]);
  const first = tag();
  assert.equal(tag(), first);
  writeFileSync(join(ctx, "notes.txt"), "not copied into the image\n");
  assert.equal(tag(), first);
  writeFileSync(join(ctx, "app", "src", "main.js"), "console.log('crest 2');\n");
  const second = tag();
  assert.notEqual(second, first);
  writeFileSync(join(ctx, "app", "Dockerfile"), "FROM node:24-alpine\n");
  assert.notEqual(tag(), second);
});

test("the namespace enforces the restricted Pod Security Standard and ALB readiness gates", async () => {
  const labels = k8sObject(await prod, "kubernetes:core/v1:Namespace", "namespace").metadata.labels;
  assert.equal(labels["pod-security.kubernetes.io/enforce"], "restricted");
  assert.equal(labels["pod-security.kubernetes.io/audit"], "restricted");
  assert.equal(labels["pod-security.kubernetes.io/warn"], "restricted");
  assert.equal(labels["elbv2.k8s.aws/pod-readiness-gate-inject"], "enabled");
  assert.equal(k8sObject(await dev, "kubernetes:core/v1:Namespace", "namespace").metadata.name, "crest-dev");
});

test("every pod and container runs as a fixed non-root user, read-only, unprivileged, with no capabilities", async () => {
  const rec = await prod;
  const job = await jobSpec();
  const pods = [podSpec(rec, "api"), podSpec(rec, "worker"), job.template.spec as Obj];
  const containers = pods.flatMap((pod) => [...(pod.initContainers ?? []), ...pod.containers]);
  assert.equal(containers.length, 4);
  for (const pod of pods) {
    assert.deepEqual(pod.securityContext, {
      fsGroup: 10001,
      runAsGroup: 10001,
      runAsNonRoot: true,
      runAsUser: 10001,
      seccompProfile: { type: "RuntimeDefault" },
    });
    assert.equal(pod.automountServiceAccountToken, false);
    assert.deepEqual(
      pod.volumes.find((v: Obj) => v.name === "tmp"),
      { emptyDir: { sizeLimit: "64Mi" }, name: "tmp" },
    );
  }
  for (const container of containers) {
    assert.deepEqual(container.securityContext, {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsGroup: 10001,
      runAsNonRoot: true,
      runAsUser: 10001,
      seccompProfile: { type: "RuntimeDefault" },
    });
    assert.deepEqual(
      container.volumeMounts.map((m: Obj) => [m.mountPath, m.readOnly ?? false]),
      [
        ["/etc/crest", true],
        ["/var/run/secrets/crest", true],
        ["/tmp", false],
      ],
    );
  }
});

test("the API probes start, gate traffic and restart on /healthz (a shared outage must not empty the rotation)", async () => {
  const [api] = podSpec(await prod, "api").containers;
  assert.deepEqual(api.args, ["api"]);
  assert.deepEqual(api.ports, [{ containerPort: appHttpPort, name: "http", protocol: "TCP" }]);
  assert.deepEqual(api.startupProbe, {
    failureThreshold: 30,
    httpGet: { path: "/healthz", port: appHttpPort },
    periodSeconds: 2,
    timeoutSeconds: 2,
  });
  assert.deepEqual(api.readinessProbe, {
    failureThreshold: 2,
    httpGet: { path: "/healthz", port: appHttpPort },
    periodSeconds: 5,
    timeoutSeconds: 3,
  });
  assert.deepEqual(api.livenessProbe, {
    failureThreshold: 3,
    httpGet: { path: "/healthz", port: appHttpPort },
    periodSeconds: 10,
    timeoutSeconds: 2,
  });

  const [worker] = podSpec(await prod, "worker").containers;
  assert.deepEqual(worker.args, ["worker"]);
  assert.equal(worker.startupProbe.failureThreshold * worker.startupProbe.periodSeconds, 180);
  assert.equal(worker.readinessProbe.httpGet.path, "/healthz");
  assert.equal(worker.livenessProbe.httpGet.path, "/healthz");

  const [devApi] = podSpec(await dev, "api").containers;
  assert.equal(devApi.readinessProbe.httpGet.port, 9090);
  assert.equal(devApi.ports[0].containerPort, 9090);
});

test("requests and limits come from the arguments", async () => {
  const [api] = podSpec(await prod, "api").containers;
  assert.deepEqual(api.resources, {
    limits: { cpu: "1", memory: "1Gi" },
    requests: { cpu: "500m", memory: "1Gi" },
  });
  const [worker] = podSpec(await prod, "worker").containers;
  assert.deepEqual(worker.resources, {
    limits: { cpu: "1", memory: "1Gi" },
    requests: { cpu: "500m", memory: "1Gi" },
  });
});

test("the API spreads strictly over every zone and loosely over nodes; the worker loosely over both", async () => {
  const rec = await prod;
  const selector = (mode: string) => ({
    matchLabels: { "app.kubernetes.io/component": mode, "app.kubernetes.io/name": "crest" },
  });
  const spread = (mode: "api" | "worker") =>
    podSpec(rec, mode).topologySpreadConstraints.map((c: Obj) => [
      c.topologyKey,
      c.whenUnsatisfiable,
      c.maxSkew,
      c.minDomains,
    ]);
  assert.deepEqual(spread("api"), [
    ["topology.kubernetes.io/zone", "DoNotSchedule", 1, 3],
    ["kubernetes.io/hostname", "ScheduleAnyway", 1, undefined],
  ]);
  assert.deepEqual(spread("worker"), [
    ["topology.kubernetes.io/zone", "ScheduleAnyway", 1, undefined],
    ["kubernetes.io/hostname", "ScheduleAnyway", 1, undefined],
  ]);
  for (const mode of ["api", "worker"] as const) {
    for (const c of podSpec(rec, mode).topologySpreadConstraints) {
      assert.deepEqual(c.labelSelector, selector(mode));
      assert.deepEqual(c.matchLabelKeys, ["pod-template-hash"]);
    }
  }
});

test("API pods outlive their deregistration: preStop sleep, then the app's grace, inside the kill deadline", async () => {
  const api = podSpec(await prod, "api");
  assert.deepEqual(api.containers[0].lifecycle, { preStop: { sleep: { seconds: 30 } } });
  assert.equal(api.terminationGracePeriodSeconds, 30 + 25 + 5);
  const worker = podSpec(await prod, "worker");
  assert.equal(worker.containers[0].lifecycle, undefined);
  assert.equal(worker.terminationGracePeriodSeconds, 25 + 5);
  const devApi = podSpec(await dev, "api");
  assert.equal(devApi.containers[0].lifecycle, undefined);
  assert.equal(devApi.terminationGracePeriodSeconds, 25 + 5);
  assert.deepEqual(deployment(await prod, "api").spec.strategy, {
    rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 },
    type: "RollingUpdate",
  });
});

test("the HPAs own the replica count, scale up at once and down slowly", async () => {
  const rec = await prod;
  for (const mode of ["api", "worker"]) assert.equal(deployment(rec, mode).spec.replicas, undefined);
  const hpa = (r: typeof rec, mode: string) =>
    k8sObject(r, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", mode).spec;
  const api = hpa(rec, "api");
  assert.deepEqual([api.minReplicas, api.maxReplicas], [3, 30]);
  assert.ok(api.minReplicas <= api.maxReplicas);
  assert.deepEqual(api.scaleTargetRef, { apiVersion: "apps/v1", kind: "Deployment", name: "api" });
  assert.deepEqual(
    api.metrics.map((m: Obj) => [m.type, m.resource?.name, m.resource?.target.averageUtilization]),
    [
      ["Resource", "cpu", 60],
      ["Resource", "memory", 80],
    ],
  );
  assert.deepEqual(api.behavior, {
    scaleDown: {
      policies: [{ periodSeconds: 60, type: "Percent", value: 10 }],
      selectPolicy: "Max",
      stabilizationWindowSeconds: 300,
    },
    scaleUp: {
      policies: [
        { periodSeconds: 15, type: "Percent", value: 100 },
        { periodSeconds: 15, type: "Pods", value: 4 },
      ],
      selectPolicy: "Max",
      stabilizationWindowSeconds: 0,
    },
  });
  assert.deepEqual([hpa(rec, "worker").minReplicas, hpa(rec, "worker").maxReplicas], [3, 12]);
  assert.equal(hpa(rec, "worker").metrics.length, 2);

  const devWorker = hpa(await dev, "worker");
  assert.deepEqual([devWorker.minReplicas, devWorker.maxReplicas], [1, 2]);
  assert.deepEqual(devWorker.metrics[2], {
    pods: { metric: { name: "crest_consumer_lag" }, target: { averageValue: "1000", type: "AverageValue" } },
    type: "Pods",
  });
});

test("the disruption budgets allow one eviction at a time and never hold a drain", async () => {
  for (const mode of ["api", "worker"]) {
    const spec = k8sObject(await prod, "kubernetes:policy/v1:PodDisruptionBudget", mode).spec;
    assert.deepEqual(spec, {
      maxUnavailable: 1,
      selector: { matchLabels: { "app.kubernetes.io/component": mode, "app.kubernetes.io/name": "crest" } },
      unhealthyPodEvictionPolicy: "AlwaysAllow",
    });
  }
});

test("network policies deny ingress by default and admit only the VPC and the smoke Job on the app port", async () => {
  const rec = await prod;
  const policy = (name: string) => k8sObject(rec, "kubernetes:networking.k8s.io/v1:NetworkPolicy", name).spec;
  assert.deepEqual(policy("default-deny-ingress"), { podSelector: {}, policyTypes: ["Ingress"] });
  const smoke = {
    podSelector: {
      matchLabels: { "app.kubernetes.io/component": "smoke", "app.kubernetes.io/name": "crest" },
    },
  };
  assert.deepEqual(policy("api-ingress").ingress, [
    { from: [{ ipBlock: { cidr: "10.30.0.0/16" } }, smoke], ports: [{ port: appHttpPort, protocol: "TCP" }] },
  ]);
  assert.deepEqual(policy("worker-ingress").ingress, [
    { from: [{ ipBlock: { cidr: "10.30.0.0/16" } }], ports: [{ port: appHttpPort, protocol: "TCP" }] },
  ]);
  const egress = policy("egress");
  assert.deepEqual(egress.podSelector, {});
  assert.deepEqual(egress.policyTypes, ["Egress"]);
  assert.deepEqual(
    egress.egress.map((rule: Obj) => [
      rule.to.map((t: Obj) => t.ipBlock?.cidr ?? Object.keys(t).sort().join("+")),
      rule.ports.map((p: Obj) => `${p.protocol}/${p.port}`),
    ]),
    [
      [["namespaceSelector+podSelector"], ["UDP/53", "TCP/53"]],
      [["10.30.0.0/16"], ["TCP/3306", "TCP/6379", "TCP/9096"]],
      [["0.0.0.0/0"], ["TCP/443"]],
      [["podSelector"], [`TCP/${appHttpPort}`]],
    ],
  );
  const devPolicy = k8sObject(await dev, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "api-ingress").spec;
  assert.deepEqual(devPolicy.ingress[0].ports, [{ port: 9090, protocol: "TCP" }]);
});

test("the RuntimeConfig is an immutable ConfigMap, named by its content, mounted where the app reads it", async () => {
  const rec = await prod;
  const configMap = k8sObject(rec, "kubernetes:core/v1:ConfigMap", "runtime-config");
  assert.equal(configMap.immutable, true);
  assert.match(configMap.metadata.name, /^runtime-config-[0-9a-f]{10}$/);
  const file = JSON.parse(configMap.data["runtime-config.json"]);
  assert.deepEqual({ ...file, service: undefined }, { ...runtimeConfig, service: undefined });
  assert.equal(file.service.httpPort, appHttpPort);
  assert.equal(file.service.shutdownGraceSeconds, 25);
  for (const mode of ["api", "worker"] as const) {
    const volume = podSpec(rec, mode).volumes.find((v: Obj) => v.name === "runtime-config");
    assert.deepEqual(volume.configMap, {
      items: [{ key: "runtime-config.json", path: "runtime-config.json" }],
      name: configMap.metadata.name,
    });
  }
  const devConfigMap = k8sObject(await dev, "kubernetes:core/v1:ConfigMap", "runtime-config");
  assert.notEqual(devConfigMap.metadata.name, configMap.metadata.name);
  assert.equal(JSON.parse(devConfigMap.data["runtime-config.json"]).service.httpPort, 9090);
});

test("each mode mounts exactly its secrets from Secrets Manager, and its service account's role may read exactly those", async () => {
  const rec = await prod;
  const stores = [mysqlSecretName(0), mysqlSecretName(1), secretNames.redisAuth, secretNames.kafkaScram];
  const expected = {
    api: [...stores, secretNames.wechatAppSecret, secretNames.sessionSigningKey],
    worker: stores,
    smoke: [secretNames.sessionSigningKey],
  };
  for (const [mode, names] of Object.entries(expected)) {
    const secretClass = k8sObject(
      rec,
      "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass",
      `${mode}-secrets`,
    );
    assert.equal(secretClass.spec.provider, "aws");
    assert.equal(secretClass.spec.parameters.region, "eu-west-1");
    assert.deepEqual(
      parse(secretClass.spec.parameters.objects),
      names.map((name) => ({ objectName: secretArn(name), objectAlias: name })),
    );
    const pod = mode === "smoke" ? (await jobSpec()).template.spec : podSpec(rec, mode as "api");
    assert.equal(pod.serviceAccountName, mode);
    assert.deepEqual(pod.volumes.find((v: Obj) => v.name === "secrets").csi, {
      driver: "secrets-store.csi.k8s.io",
      readOnly: true,
      volumeAttributes: { secretProviderClass: `${mode}-secrets` },
    });
    const account = k8sObject(rec, "kubernetes:core/v1:ServiceAccount", mode);
    assert.equal(
      account.metadata.annotations["eks.amazonaws.com/role-arn"],
      `arn:aws:iam::123456789012:role/crest-test-${mode}`,
    );
    assert.equal(account.automountServiceAccountToken, false);
  }
  assert.deepEqual(
    identities.map((i) => [i.mode, i.namespace, i.serviceAccountName, i.secretArns]),
    Object.entries(expected).map(([mode, names]) => [mode, "crest", mode, names.map(secretArn)]),
  );
});

test("the IRSA policy reads exactly the given secrets and decrypts only through Secrets Manager", async () => {
  const policy = await new Promise<string>((resolve) =>
    secretReaderPolicy(
      [secretArn("b"), secretArn("a"), secretArn("a")],
      ["arn:aws:kms:eu-west-1:123456789012:key/k"],
      "eu-west-1",
    ).apply(resolve),
  );
  assert.deepEqual(JSON.parse(policy).Statement, [
    {
      Sid: "ReadMountedSecrets",
      Effect: "Allow",
      Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
      Resource: [secretArn("a"), secretArn("b")],
    },
    {
      Sid: "DecryptThroughSecretsManager",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: ["arn:aws:kms:eu-west-1:123456789012:key/k"],
      Condition: { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } },
    },
  ]);
});

test("the ALB target group receives the API pods through a Service and a TargetGroupBinding created before them", async () => {
  const rec = await prod;
  const service = k8sObject(rec, "kubernetes:core/v1:Service", "api");
  assert.deepEqual(service.spec, {
    ports: [{ name: "http", port: 80, protocol: "TCP", targetPort: "http" }],
    selector: { "app.kubernetes.io/component": "api", "app.kubernetes.io/name": "crest" },
    type: "ClusterIP",
  });
  const binding = one(rec, "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding");
  assert.deepEqual(binding.inputs.spec, {
    serviceRef: { name: "api", port: 80 },
    targetGroupARN: prodArgs.targetGroupArn,
    targetType: "ip",
  });
  assert.ok(one(rec, "kubernetes:apps/v1:Deployment", "crest-test-api").dependencies.includes(binding.urn));
});

test("the smoke Job runs after both rollouts, the binding, the policies and the CDN, in-cluster first and then through the CDN", async () => {
  const rec = await prod;
  const job = one(rec, "kubernetes:batch/v1:Job");
  const urnOf = (type: string, name: string) => one(rec, type, name).urn;
  for (const urn of [
    urnOf("kubernetes:apps/v1:Deployment", "crest-test-api"),
    urnOf("kubernetes:apps/v1:Deployment", "crest-test-worker"),
    urnOf("kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding", "crest-test-api"),
    urnOf("aws:cloudfront/distribution:Distribution", "cdn"),
    ...ofType(rec, "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((p) => p.urn),
  ]) {
    assert.ok(job.dependencies.includes(urn), `the smoke Job does not wait for ${urn}`);
  }
  const spec = job.inputs.spec as Obj;
  assert.equal(spec.backoffLimit, 1);
  assert.equal(spec.activeDeadlineSeconds, 600);
  assert.equal(spec.ttlSecondsAfterFinished, 86400);
  assert.equal(spec.template.spec.restartPolicy, "Never");
  const run = (c: Obj) => [c.name, c.args, c.env];
  assert.deepEqual(spec.template.spec.initContainers.map(run), [
    [
      "in-cluster",
      ["smoke"],
      [{ name: environmentKeys.smokeBaseUrl, value: "http://api.crest.svc.cluster.local" }],
    ],
  ]);
  assert.deepEqual(spec.template.spec.containers.map(run), [
    [
      "through-cdn",
      ["smoke"],
      [{ name: environmentKeys.smokeBaseUrl, value: "https://d111111abcdef8.cloudfront.net" }],
    ],
  ]);
  const name = (job.inputs.metadata as Obj).name;
  assert.match(name, /^smoke-[0-9a-f]{10}$/);
  // Another image or config is another Job: every deploy that changes them runs the test again.
  assert.notEqual((one(await dev, "kubernetes:batch/v1:Job").inputs.metadata as Obj).name, name);
});

test("a RuntimeConfig that names other secrets than the mounted ones fails the deploy with both lists", () => {
  const service = serviceSettingsSchema.parse({});
  const mounted = secretMounts(prodArgs.secrets).api.map((m) => ({ name: m.name, arn: m.arn as string }));
  assert.doesNotThrow(() => runtimeConfigFile(runtimeConfig, service, mounted));
  const swapped = mounted.map((m) =>
    m.name === "redis-auth" ? { ...m, arn: secretArn("other-redis-auth") } : m,
  );
  assert.throws(
    () => runtimeConfigFile(runtimeConfig, service, swapped),
    new Error(
      `the RuntimeConfig and the mounted secrets disagree: named but not mounted [redis-auth=${secretArn("redis-auth")}]; ` +
        `mounted but not named [redis-auth=${secretArn("other-redis-auth")}]`,
    ),
  );
  assert.throws(
    () =>
      runtimeConfigFile({ ...runtimeConfig, redis: { ...runtimeConfig.redis, port: 0 } }, service, mounted),
    /the RuntimeConfig does not match the app's schema:\nredis.port: /,
  );
});

test("argument checks name the field, the value and what is allowed", () => {
  assert.deepEqual(workloadArgsProblems({ ...prodArgs }), []);
  const problems = workloadArgsProblems({
    ...prodArgs,
    accountId: "12345",
    namespace: "kube-crest",
    image: { context, dockerfile: "Dockerfile.missing", sources: ["../outside", "app/src"] },
    service: { httpPort: 70_000 },
    secrets: { ...prodArgs.secrets, mysqlShards: [], redisAuth: "redis-auth" },
    api: {
      minReplicas: 0,
      maxReplicas: 3,
      cpu: { request: "2", limit: "1" },
      memory: { request: "1GB", limit: "1Gi" },
    },
    worker: { ...prodArgs.worker, maxReplicas: 16, targetCpuUtilization: 150, consumerLagPerPod: 0 },
    availabilityZones: ["eu-west-1a", "eu-west-1a"],
    vpcCidr: "10.30.0.0/33",
    dataStorePorts: [3306, 0],
    targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/x/1",
    cdnUrl: "http://d111111abcdef8.cloudfront.net",
    smokeTimeoutSeconds: 30,
    preStopSleepSeconds: 121,
    keepImages: 0,
  });
  assert.deepEqual(problems, [
    { path: "accountId", value: "12345", allowed: "a 12-digit AWS account id" },
    {
      path: "namespace",
      value: "kube-crest",
      allowed: "a DNS label (a-z, 0-9, -; ≤ 63) not starting with kube-",
    },
    { path: "image.dockerfile", value: "Dockerfile.missing", allowed: "a file under image.context" },
    { path: "image.sources[0]", value: "../outside", allowed: "an existing path inside image.context" },
    { path: "service.httpPort", value: 70_000, allowed: schemaMessage({ httpPort: 70_000 }) },
    { path: "secrets.mysqlShards", value: "0 ARNs", allowed: "one ARN per shard, at least one" },
    { path: "secrets.redisAuth", value: "redis-auth", allowed: "a Secrets Manager secret ARN" },
    // Each field's own limits (the schema), then what the fields demand of each other.
    { path: "api.minReplicas", value: 0, allowed: "an integer from 1 to 1000" },
    { path: "api.memory.request", value: "1GB", allowed: 'a quantity above 0 in Ki, Mi or Gi, e.g. "512Mi"' },
    {
      path: "worker.targetCpuUtilization",
      value: 150,
      allowed: "an integer from 10 to 100 (% of the request)",
    },
    { path: "worker.consumerLagPerPod", value: 0, allowed: "an integer from 1 to 10000000" },
    { path: "api.cpu.limit", value: "1", allowed: "at least the request (2)" },
    {
      path: "worker.maxReplicas",
      value: 16,
      allowed: "at most ordersPartitions (12): a consumer beyond the partitions idles",
    },
    { path: "availabilityZones", value: ["eu-west-1a", "eu-west-1a"], allowed: "1 to 6 distinct AZ names" },
    { path: "vpcCidr", value: "10.30.0.0/33", allowed: 'an IPv4 CIDR, e.g. "10.20.0.0/16"' },
    { path: "dataStorePorts[1]", value: 0, allowed: "an integer from 1 to 65535" },
    {
      path: "targetGroupArn",
      value: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/x/1",
      allowed: "an ELBv2 target group ARN",
    },
    { path: "cdnUrl", value: "http://d111111abcdef8.cloudfront.net", allowed: "an https:// origin URL" },
    { path: "smokeTimeoutSeconds", value: 30, allowed: "an integer from 60 to 3600" },
    { path: "preStopSleepSeconds", value: 121, allowed: "an integer from 0 to 120" },
    { path: "keepImages", value: 0, allowed: "an integer from 1 to 10000" },
  ]);
});

test("argument checks catch what only shows in combination", () => {
  assert.deepEqual(workloadArgsProblems({ ...prodArgs, service: { drainDelaySeconds: 25 } }), [
    {
      path: "service.drainDelaySeconds",
      value: 25,
      allowed: schemaMessage({ drainDelaySeconds: 25 }),
    },
  ]);
  assert.deepEqual(
    workloadArgsProblems({ ...prodArgs, image: { ...prodArgs.image, context: "/nonexistent" } }),
    [{ path: "image.context", value: "/nonexistent", allowed: "an existing directory" }],
  );
  assert.deepEqual(workloadArgsProblems({ ...prodArgs, image: { ...prodArgs.image, sources: [] } }), [
    { path: "image.sources", value: [], allowed: "at least one file or folder the Dockerfile copies" },
  ]);
  assert.deepEqual(
    workloadArgsProblems({ ...prodArgs, api: { ...prodArgs.api, minReplicas: 4, maxReplicas: 3 } }),
    [{ path: "api.maxReplicas", value: 3, allowed: "at least minReplicas (4)" }],
  );
  assert.deepEqual(repositoryNameProblems("Crest_Test"), [
    {
      path: "name",
      value: "Crest_Test",
      allowed: "an ECR repository name: lowercase a-z 0-9 . _ - /, 2–256 long",
    },
  ]);
  assert.deepEqual(repositoryNameProblems("crest-test"), []);
});

test("bad arguments stop the component before any child is declared", async () => {
  await dev;
  const registered: string[] = [];
  await assert.rejects(
    recordProgram(
      "crest",
      "bad",
      () => declareWorkload({ ...workloadArgs(context), vpcCidr: "10.0.0.0/40" }),
      {
        onRegister: (r) => registered.push(r.type),
      },
    ),
    (error: Error) =>
      pulumi.InputPropertiesError.isInstance(error) &&
      error.message.startsWith(
        'invalid arguments for crest:compute:Workload "crest-test":\nvpcCidr: got "10.0.0.0/40"',
      ),
  );
  assert.deepEqual(registered.sort(), [
    "crest:compute:Workload",
    "pulumi:providers:kubernetes",
    "pulumi:pulumi:Stack",
  ]);
});
