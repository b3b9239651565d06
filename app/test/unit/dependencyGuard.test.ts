import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DependencyGuard } from "../../src/adapters/dependencyGuard";
import { DependencyUnavailableError, NotFoundError } from "../../src/domain/errors";
import { Metrics } from "../../src/observability/metrics";

async function breakerState(metrics: Metrics, dependency: string): Promise<number | undefined> {
  const metric = await metrics.breakerState.get();
  return metric.values.find((v) => v.labels.dependency === dependency)?.value;
}

describe("DependencyGuard (timeout + circuit breaker)", () => {
  it("turns a call slower than the timeout into DependencyUnavailableError naming the dependency", async () => {
    const guard = new DependencyGuard("slow-db", { timeoutMs: 50 }, new Metrics());
    const started = performance.now();
    await assert.rejects(
      guard.run(() => new Promise((resolve) => setTimeout(resolve, 2_000))),
      (error: unknown) =>
        error instanceof DependencyUnavailableError &&
        error.message === "slow-db unavailable: timed out" &&
        error.failure === "timeout",
    );
    assert.ok(performance.now() - started < 1_000, "the caller waited for the slow call");
    guard.shutdown();
  });

  it("opens after repeated failures, refuses calls without running them, and closes again after the reset time", async () => {
    const metrics = new Metrics();
    const guard = new DependencyGuard(
      "flaky",
      { timeoutMs: 100, volumeThreshold: 3, resetTimeoutMs: 200 },
      metrics,
    );
    for (let i = 0; i < 3; i++) {
      await assert.rejects(
        guard.run(() => Promise.reject(new Error("connect ECONNREFUSED 10.0.0.7:6379"))),
        (error: unknown) =>
          error instanceof DependencyUnavailableError &&
          error.message === "flaky unavailable: request failed" &&
          error.detail === "connect ECONNREFUSED 10.0.0.7:6379",
        "the client's text (and its address) is kept for the logs, out of the message",
      );
    }
    assert.equal(await breakerState(metrics, "flaky"), 2);
    let ran = false;
    await assert.rejects(
      guard.run(async () => {
        ran = true;
      }),
      /flaky unavailable: circuit open$/,
    );
    assert.equal(ran, false);
    await new Promise((resolve) => setTimeout(resolve, 250));
    assert.equal(await guard.run(async () => "back"), "back");
    assert.equal(await breakerState(metrics, "flaky"), 0);
    guard.shutdown();
  });

  it("passes domain errors through without counting them against the dependency", async () => {
    const metrics = new Metrics();
    const guard = new DependencyGuard("db", { timeoutMs: 100, volumeThreshold: 2 }, metrics);
    for (let i = 0; i < 5; i++) {
      await assert.rejects(
        guard.run(() => Promise.reject(new NotFoundError("no such sku"))),
        NotFoundError,
      );
    }
    assert.equal(await breakerState(metrics, "db"), 0);
    assert.equal(await guard.run(async () => "still closed"), "still closed");
    guard.shutdown();
  });
});
