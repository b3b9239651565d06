import express, { type Express, type RequestHandler } from "express";
import type { Catalog } from "../domain/catalog";
import type { OrderHistory } from "../domain/orderHistory";
import type { PlaceOrder } from "../domain/placeOrder";
import type { SessionTokens } from "../domain/ports";
import type { SessionService } from "../domain/session";
import type { DailySignIn } from "../domain/signIn";
import type { Logger } from "../observability/logger";
import type { Metrics } from "../observability/metrics";
import { accessLog } from "./accessLog";
import { authenticate } from "./authenticate";
import { limitBodyDepth, requireJsonBodies } from "./bodyRules";
import { finishRoutes } from "./fallback";
import { catalogRoutes } from "./routes/catalog";
import { healthRoutes, type Lifecycle, type ReadinessCheck } from "./routes/health";
import { orderRoutes } from "./routes/orders";
import { sessionRoutes } from "./routes/session";
import { signInRoutes } from "./routes/signIn";

export interface HttpDependencies {
  readonly sessions: SessionService;
  readonly tokens: SessionTokens;
  readonly catalog: Catalog;
  readonly placeOrder: PlaceOrder;
  readonly orderHistory: OrderHistory;
  readonly signIn: DailySignIn;
  readonly readiness: readonly ReadinessCheck[];
  readonly lifecycle: Lifecycle;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly bodyLimitBytes: number;
  readonly maxQuantity: number;
}

const probePaths = new Set(["/healthz", "/readyz", "/metrics"]);

export function createHttpApp(deps: HttpDependencies): Express {
  const app = express();
  app.disable("x-powered-by");
  app.use(accessLog(deps.logger, (url) => probePaths.has(url)));
  app.use(routeLatency(deps.metrics));
  app.use(requireJsonBodies());
  app.use(express.json({ limit: deps.bodyLimitBytes }));
  app.use(limitBodyDepth());

  const authenticated = authenticate(deps.tokens);
  app.use(healthRoutes(deps.readiness, deps.lifecycle, deps.metrics, deps.logger));
  app.use(sessionRoutes(deps.sessions));
  app.use(catalogRoutes(deps.catalog));
  app.use(orderRoutes(deps.placeOrder, deps.orderHistory, authenticated, deps.maxQuantity));
  app.use(signInRoutes(deps.signIn, authenticated));
  finishRoutes(app, deps.logger);
  return app;
}

/** Latency per route pattern (not per URL, which would explode the label set). */
function routeLatency(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const end = metrics.httpDuration.startTimer();
    res.on("finish", () => {
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : "unmatched";
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}
