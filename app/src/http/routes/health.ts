import { Router } from "express";
import { DependencyUnavailableError } from "../../domain/errors";
import type { Logger } from "../../observability/logger";
import type { Metrics } from "../../observability/metrics";

export interface ReadinessCheck {
  readonly name: string;
  /** Resolves when the dependency answers; each check carries its own timeout. */
  check(): Promise<void>;
}

export interface Lifecycle {
  draining: boolean;
}

/**
 * /healthz: the process serves (liveness, and 503 once draining so load balancers let go).
 * /readyz: every dependency answers — Redis, each MySQL shard (writer and reader), Kafka. A
 * failing check reads "<dependency> unavailable: <kind>"; the client library's words and the
 * addresses in them go to the log, not to this public body.
 */
export function healthRoutes(
  checks: readonly ReadinessCheck[],
  lifecycle: Lifecycle,
  metrics: Metrics,
  logger: Logger,
): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.status(lifecycle.draining ? 503 : 200).json({ status: lifecycle.draining ? "draining" : "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    const results = await Promise.all(
      checks.map(async ({ name, check }) => {
        try {
          await check();
          return [name, "ok"] as const;
        } catch (error) {
          const detail = error instanceof DependencyUnavailableError ? error.detail : String(error);
          logger.warn({ check: name, err: detail }, "readiness check failed");
          return [
            name,
            error instanceof DependencyUnavailableError ? error.message : `${name} unavailable`,
          ] as const;
        }
      }),
    );
    const ready = !lifecycle.draining && results.every(([, result]) => result === "ok");
    res.status(ready ? 200 : 503).json({
      status: ready ? "ready" : lifecycle.draining ? "draining" : "unavailable",
      checks: Object.fromEntries(results),
    });
  });
  router.get("/metrics", async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
