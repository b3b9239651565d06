import express, { type Express } from "express";
import type { Catalog } from "../domain/catalog";
import type { OrderHistory } from "../domain/orderHistory";
import type { PlaceOrder } from "../domain/placeOrder";
import type { SessionTokens } from "../domain/ports";
import type { SessionService } from "../domain/session";
import type { DailySignIn } from "../domain/signIn";
import type { Logger } from "../observability/logger";
import type { Metrics } from "../observability/metrics";
import { authenticate } from "./authenticate";
import { jsonBodies } from "./bodyRules";
import { finishRoutes } from "./fallback";
import { observeRequests } from "./observeRequests";
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
  /** Where completed requests' lines go (buffered: createAccessLogger). */
  readonly accessLogger: Logger;
  readonly bodyLimitBytes: number;
  readonly maxQuantity: number;
}

const probePaths = new Set(["/healthz", "/readyz", "/metrics"]);

export function createHttpApp(deps: HttpDependencies): Express {
  const app = express();
  app.disable("x-powered-by");
  // The one public, cacheable page (the catalog home) carries an ETag hashed once per cache refresh;
  // the other answers are per user or per attempt, where Express's SHA-1 of every body buys nothing.
  app.set("etag", false);
  app.use(observeRequests(deps.logger, deps.accessLogger, deps.metrics, (url) => probePaths.has(url)));
  app.use(jsonBodies(deps.bodyLimitBytes));

  // Each router is a stop on every request's way through: the hot paths (catalog, orders) first.
  const authenticated = authenticate(deps.tokens);
  app.use(catalogRoutes(deps.catalog));
  app.use(orderRoutes(deps.placeOrder, deps.orderHistory, authenticated, deps.maxQuantity));
  app.use(sessionRoutes(deps.sessions));
  app.use(signInRoutes(deps.signIn, authenticated));
  app.use(healthRoutes(deps.readiness, deps.lifecycle, deps.metrics, deps.logger));
  finishRoutes(app, deps.logger);
  return app;
}
