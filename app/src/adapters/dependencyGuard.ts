import CircuitBreaker from "opossum";
import { type DependencyFailure, DependencyUnavailableError, DomainError } from "../domain/errors";
import type { Metrics } from "../observability/metrics";

export interface GuardSettings {
  /** A call slower than this fails (the breaker counts it). */
  readonly timeoutMs: number;
  /** Open once this share of calls in the rolling window fail… */
  readonly errorThresholdPercentage?: number;
  /** …and at least this many calls were made in the window. */
  readonly volumeThreshold?: number;
  /** How long an open breaker refuses calls before letting one through (half-open). */
  readonly resetTimeoutMs?: number;
}

const breakerStateValue = { closed: 0, halfOpen: 1, open: 2 } as const;

/**
 * Timeout plus circuit breaker around one dependency (opossum). Every failure surfaces as a
 * DependencyUnavailableError naming the dependency; domain errors thrown by the operation pass
 * through untouched and do not count against the dependency.
 */
export class DependencyGuard {
  private readonly breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;

  constructor(
    readonly dependency: string,
    settings: GuardSettings,
    private readonly metrics: Metrics,
  ) {
    this.breaker = new CircuitBreaker((operation: () => Promise<unknown>) => operation(), {
      name: dependency,
      timeout: settings.timeoutMs,
      errorThresholdPercentage: settings.errorThresholdPercentage ?? 50,
      volumeThreshold: settings.volumeThreshold ?? 5,
      resetTimeout: settings.resetTimeoutMs ?? 2_000,
      rollingCountTimeout: 10_000,
      // The breaker needs counts only: latency is the metrics' job. Percentiles would keep every
      // call's latency for the window and re-sort them for a snapshot each second (the order
      // profile's largest timer cost).
      rollingPercentilesEnabled: false,
      enableSnapshots: false,
      errorFilter: (error: unknown) => error instanceof DomainError,
    });
    const gauge = metrics.breakerState.labels(dependency);
    gauge.set(breakerStateValue.closed);
    this.breaker.on("open", () => gauge.set(breakerStateValue.open));
    this.breaker.on("halfOpen", () => gauge.set(breakerStateValue.halfOpen));
    this.breaker.on("close", () => gauge.set(breakerStateValue.closed));
  }

  async run<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return (await this.breaker.fire(operation)) as T;
    } catch (error) {
      if (error instanceof DomainError) throw error;
      const failure = kindOf(error);
      this.metrics.dependencyFailures.labels(this.dependency, failure).inc();
      throw new DependencyUnavailableError(
        this.dependency,
        failure,
        error instanceof Error ? error.message : String(error),
      );
    }
  }

  shutdown(): void {
    this.breaker.shutdown();
  }
}

function kindOf(error: unknown): DependencyFailure {
  const code = (error as { code?: unknown }).code;
  if (code === "EOPENBREAKER") return "breaker_open";
  if (code === "ETIMEDOUT") return "timeout";
  return "error";
}
