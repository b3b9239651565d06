import assert from "node:assert/strict";
import { test } from "node:test";
import {
  allocatable,
  instanceTypes,
  kubeReservedMillicores,
  nodesPerAzFor,
  podsPerNode,
} from "../../tools/capacity/nodes";

const type = (name: string) => {
  const found = instanceTypes[name];
  assert.ok(found, name);
  return found;
};

test("kube-reserved CPU follows the EKS AMI bands", () => {
  assert.equal(kubeReservedMillicores(2), 70); // 60 + 10
  assert.equal(kubeReservedMillicores(4), 80); // 60 + 10 + 5 + 5
  assert.equal(kubeReservedMillicores(8), 90); // + 4 × 2.5
});

test("allocatable of the node types Crest uses, computed by hand", () => {
  // m7g.xlarge: 4 vCPU, 16 GiB, 58 pods. CPU 4000 − 80; memory 16384 − (11 × 58 + 255 = 893) − 100.
  assert.deepEqual(allocatable(type("m7g.xlarge")), { millicores: 3920, memoryMiB: 15391, pods: 58 });
  // t4g.large: 2 vCPU, 8 GiB, 35 pods. CPU 2000 − 70; memory 8192 − (11 × 35 + 255 = 640) − 100.
  assert.deepEqual(allocatable(type("t4g.large")), { millicores: 1930, memoryMiB: 7452, pods: 35 });
});

test("pods per node after the DaemonSets (245m, 240 MiB, 4 pods)", () => {
  // prod API pod 500m/1Gi on m7g.xlarge: CPU ⌊3675/500⌋ = 7, memory ⌊15151/1024⌋ = 14, slots 54 → 7.
  assert.equal(podsPerNode(type("m7g.xlarge"), { millicores: 500, memoryMiB: 1024 }), 7);
  // dev API pod 250m/512Mi on t4g.large: CPU ⌊1685/250⌋ = 6, memory ⌊7212/512⌋ = 14 → 6.
  assert.equal(podsPerNode(type("t4g.large"), { millicores: 250, memoryMiB: 512 }), 6);
  // Memory binds for a memory-heavy pod: ⌊7212/4096⌋ = 1.
  assert.equal(podsPerNode(type("t4g.large"), { millicores: 100, memoryMiB: 4096 }), 1);
});

test("nodes per AZ for pods spread evenly over the zones", () => {
  assert.equal(nodesPerAzFor(30, 3, 7), 2); // 10 per zone → ⌈10/7⌉
  assert.equal(nodesPerAzFor(22, 3, 7), 2); // 8 per zone
  assert.equal(nodesPerAzFor(21, 3, 7), 1);
});
