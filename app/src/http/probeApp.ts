import express, { type Express } from "express";
import type { Logger } from "../observability/logger";
import type { Metrics } from "../observability/metrics";
import { finishRoutes } from "./fallback";
import { healthRoutes, type Lifecycle, type ReadinessCheck } from "./routes/health";

/** The worker's HTTP side: /healthz, /readyz and /metrics only. */
export function createProbeApp(
  checks: readonly ReadinessCheck[],
  lifecycle: Lifecycle,
  metrics: Metrics,
  logger: Logger,
): Express {
  const app = express();
  app.disable("x-powered-by");
  app.use(healthRoutes(checks, lifecycle, metrics, logger));
  finishRoutes(app, logger);
  return app;
}
