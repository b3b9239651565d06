import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { Comparison } from "../../app/bench/httpLoad";
import type { BenchDocument } from "../../tools/bench/results";
import { capacityProfileOf, readCapacityProfile } from "../../tools/capacity/profile";

// The run the checked-in profile names: a new `npm run bench` rewrites both, and this follows.
const source = readCapacityProfile().source;
const doc = JSON.parse(readFileSync(source, "utf8")) as BenchDocument;

test("the profile is the bench run's costliest API CPU time per request, scaled to each tier's CPU request", () => {
  const profile = capacityProfileOf(doc, source);
  // The costliest of the runs at 50 and 200 connections and of their warm-ups (a cold pod's first seconds).
  const apiUs = (c: Pick<Comparison, "app" | "appWarmUp">) =>
    Math.max(c.app.cpuUsPerRequest.api ?? 0, c.appWarmUp?.cpuUsPerRequest.api ?? 0);
  const readUs = Math.max(...(doc.app?.cachedRead?.byConnections ?? []).map(apiUs));
  const orders = doc.app?.orderPlacement;
  const orderUs = orders ? apiUs(orders) : 0;
  assert.equal(profile.cachedReadsPerCpuSecond, Math.floor(1e6 / readUs));
  assert.equal(profile.orderAttemptsPerCpuSecond, Math.floor(1e6 / orderUs));
  const prod = profile.apiPods.find((p) => p.tier === "prod");
  assert.deepEqual(prod, {
    tier: "prod",
    cpuRequestMillicores: 500,
    cachedReadsPerSecond: Math.floor((1e6 / readUs) * 0.5),
    orderAttemptsPerSecond: Math.floor((1e6 / orderUs) * 0.5),
  });
  assert.equal(profile.source, source);
  assert.equal(profile.measuredAt, doc.startedAt);
});

test("the checked-in profile is the one the bench run derives", () => {
  assert.deepEqual(readCapacityProfile(), capacityProfileOf(doc, source));
});

test("a cold pod's warm-up costs count when they are the costlier", () => {
  const orders = doc.app?.orderPlacement;
  assert.ok(orders, "the profile's run has the order phase");
  const warm = orders.app.cpuUsPerRequest.api ?? 0;
  const cold = { ...orders.app, cpuUsPerRequest: { ...orders.app.cpuUsPerRequest, api: warm * 2 } };
  const withColdStart = { ...doc, app: { ...doc.app, orderPlacement: { ...orders, appWarmUp: cold } } };
  assert.equal(
    capacityProfileOf(withColdStart, source).orderAttemptsPerCpuSecond,
    Math.floor(1e6 / (warm * 2)),
  );
  const withoutWarmUp = { ...doc, app: { ...doc.app, orderPlacement: { ...orders, appWarmUp: undefined } } };
  assert.equal(capacityProfileOf(withoutWarmUp, source).orderAttemptsPerCpuSecond, Math.floor(1e6 / warm));
});

test("a run without the app phases cannot make a profile", () => {
  assert.throws(
    () => capacityProfileOf({ ...doc, app: undefined }, "partial.json"),
    /cachedRead, orderPlacement and pipeline/,
  );
});

test("a profile without its figures is refused, naming the field", () => {
  const file = join(mkdtempSync(join(tmpdir(), "crest-profile-")), "profile.json");
  writeFileSync(file, JSON.stringify({ cachedReadsPerCpuSecond: 100, orderAttemptsPerCpuSecond: 0 }));
  assert.throws(() => readCapacityProfile(file), /orderAttemptsPerCpuSecond must be a positive number/);
});
