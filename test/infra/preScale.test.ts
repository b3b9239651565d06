import assert from "node:assert/strict";
import { test } from "node:test";
import * as k8s from "@pulumi/kubernetes";
import { PreScale } from "../../infra/capacity/preScale";
import { images } from "../../infra/lib/pins";
import { preScaleArgs } from "../../stacks/components";
import { resolveStackConfig } from "../../stacks/config/load";
import { recordProgram } from "../../tools/plan/run";
import { ofType, one } from "../support/recording";
import { prodConfig, testCapacityProfile } from "../support/stackConfig";

// Recorded inputs are plain JSON of any depth; the assertions below are what checks their shape.
// biome-ignore lint/suspicious/noExplicitAny: walking recorded JSON by path
type Obj = Record<string, any>;

const window = { preScaleSchedule: "50 19 * * *", restoreSchedule: "30 20 * * *", timeZone: "Asia/Shanghai" };

const recording = recordProgram("crest", "test", () => {
  const provider = new k8s.Provider("cluster", {});
  new PreScale("crest-test-pre-scale", {
    namespace: "crest",
    autoscalerName: "api",
    preScaleMinReplicas: 13,
    restoreMinReplicas: 3,
    window,
    kubernetesProvider: provider,
  });
});

test("two CronJobs patch the API HPA's minReplicas: up before the window, back after, in the window's time zone", async () => {
  const jobs = ofType(await recording, "kubernetes:batch/v1:CronJob").map((r) => r.inputs as Obj);
  assert.deepEqual(
    jobs.map((job) => [
      job.metadata.name,
      job.spec.schedule,
      job.spec.timeZone,
      job.spec.concurrencyPolicy,
      job.spec.jobTemplate.spec.template.spec.containers[0].args.at(-1),
    ]),
    [
      ["pre-scale", "50 19 * * *", "Asia/Shanghai", "Forbid", '--patch={"spec":{"minReplicas":13}}'],
      ["restore", "30 20 * * *", "Asia/Shanghai", "Forbid", '--patch={"spec":{"minReplicas":3}}'],
    ],
  );
});

test("the Role may get and patch that one HPA and nothing else; the binding names the pre-scale account", async () => {
  const rec = await recording;
  const role = one(rec, "kubernetes:rbac.authorization.k8s.io/v1:Role").inputs as Obj;
  assert.deepEqual(role.rules, [
    {
      apiGroups: ["autoscaling"],
      resources: ["horizontalpodautoscalers"],
      resourceNames: ["api"],
      verbs: ["get", "patch"],
    },
  ]);
  const binding = one(rec, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding").inputs as Obj;
  assert.deepEqual(binding.roleRef, {
    apiGroup: "rbac.authorization.k8s.io",
    kind: "Role",
    name: "pre-scale",
  });
  assert.deepEqual(binding.subjects, [{ kind: "ServiceAccount", name: "pre-scale", namespace: "crest" }]);
  const account = one(rec, "kubernetes:core/v1:ServiceAccount").inputs as Obj;
  assert.equal(account.automountServiceAccountToken, false);
});

test("the pods run restricted, with a short-lived API token and no secrets, from the pinned kubectl image", async () => {
  for (const job of ofType(await recording, "kubernetes:batch/v1:CronJob")) {
    const pod = (job.inputs as Obj).spec.jobTemplate.spec.template.spec;
    assert.equal(pod.automountServiceAccountToken, false);
    assert.equal(pod.securityContext.runAsNonRoot, true);
    const [container] = pod.containers;
    assert.equal(container.image, images.kubectl.value);
    assert.match(container.image, /@sha256:[0-9a-f]{64}$/);
    assert.deepEqual(container.securityContext.capabilities, { drop: ["ALL"] });
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.equal(container.securityContext.allowPrivilegeEscalation, false);
    const token = pod.volumes.find((v: Obj) => v.name === "api-token").projected.sources[0];
    assert.deepEqual(token, { serviceAccountToken: { path: "token", expirationSeconds: 600 } });
    assert.ok(!JSON.stringify(pod.volumes).includes('"secret"'), "no Secret volume");
  }
});

test("a stack with a sale window pre-scales to the least minReplicas the replay finds; without one, nothing", () => {
  const wiring = { namespace: "crest", kubernetesProvider: undefined as never };
  const withWindow = resolveStackConfig(
    "test",
    { ...prodConfig, "crest:capacity": JSON.stringify({ saleWindow: window }) },
    testCapacityProfile,
  );
  // The prod sale (20,000 reads/s and 5,000 order attempts/s in 30 s) needs 13 pods Ready at its start.
  assert.deepEqual(
    { ...preScaleArgs(withWindow, wiring, testCapacityProfile), kubernetesProvider: undefined },
    {
      namespace: "crest",
      kubernetesProvider: undefined,
      autoscalerName: "api",
      preScaleMinReplicas: 13,
      restoreMinReplicas: 3,
      window,
    },
  );
  assert.equal(
    preScaleArgs(resolveStackConfig("test", prodConfig, testCapacityProfile), wiring, testCapacityProfile),
    undefined,
  );
});
