import type { Server } from "node:http";
import { DependencyGuard } from "../adapters/dependencyGuard";
import { MysqlCatalogRepository } from "../adapters/mysql/catalogRepository";
import { MysqlSignInRepository } from "../adapters/mysql/signInRepository";
import { RedisRateLimiter } from "../adapters/redis/rateLimiter";
import { JwtSessionTokens } from "../adapters/sessionTokens";
import { WeChatCode2Session } from "../adapters/wechat/code2Session";
import type { RuntimeConfig } from "../contract/runtimeConfig";
import { Catalog } from "../domain/catalog";
import { PlaceOrder } from "../domain/placeOrder";
import { SessionService } from "../domain/session";
import { DailySignIn } from "../domain/signIn";
import { TieredCache } from "../domain/tieredCache";
import { createHttpApp } from "../http/app";
import type { Lifecycle } from "../http/routes/health";
import { createAccessLogger, type Logger } from "../observability/logger";
import type { Metrics } from "../observability/metrics";
import type { ApiCredentials } from "./credentials";
import type { SharedDependencies } from "./dependencies";
import { listen, type Stoppable } from "./lifecycle";

/** API mode: the domain services over the shared clients, served over HTTP. */
export async function serveApi(
  config: RuntimeConfig,
  deps: SharedDependencies,
  credentials: ApiCredentials,
  metrics: Metrics,
  logger: Logger,
): Promise<Stoppable> {
  const settings = config.service;
  const tokens = new JwtSessionTokens(credentials.sessionSigningKey, settings.sessionTtlSeconds);
  const wechatGuard = new DependencyGuard("wechat", { timeoutMs: settings.timeouts.wechatMs }, metrics);
  const wechat = new WeChatCode2Session(
    {
      apiBaseUrl: config.wechat.apiBaseUrl,
      appId: config.wechat.appId,
      appSecret: credentials.wechatAppSecret,
    },
    wechatGuard,
    settings.timeouts.wechatMs,
  );
  const catalogCache = new TieredCache(deps.sharedCache, settings.cache, (tier, result) =>
    metrics.cacheLookups.labels("catalog", tier, result).inc(),
  );
  const catalog = new Catalog(new MysqlCatalogRepository(deps.pools), catalogCache);
  const placeOrder = new PlaceOrder({
    rateLimiter: new RedisRateLimiter(deps.redis, deps.redisGuard, settings.rateLimit),
    catalog,
    ledger: deps.ledger,
    soldCounter: deps.soldCounter,
    publisher: deps.producer,
    record: (outcome) => metrics.orders.labels(outcome).inc(),
    onLedgerFailure: (step, orderId, error) =>
      logger.error({ orderId, step, err: String(error) }, "stock ledger update failed"),
    defaultPerUserLimit: settings.orders.perUserLimit,
  });
  const lifecycle: Lifecycle = { draining: false };
  const app = createHttpApp({
    sessions: new SessionService(wechat, tokens),
    tokens,
    catalog,
    placeOrder,
    orderHistory: deps.orderHistory,
    signIn: new DailySignIn(new MysqlSignInRepository(deps.pools), settings.signIn),
    readiness: deps.readiness,
    lifecycle,
    metrics,
    logger,
    accessLogger: createAccessLogger(logger),
    bodyLimitBytes: settings.bodyLimitBytes,
    maxQuantity: settings.orders.maxQuantity,
  });
  const server: Server = await listen(app, settings.httpPort);
  logger.info({ port: settings.httpPort }, "api listening");

  return {
    async stop() {
      lifecycle.draining = true;
      // Keep serving while load balancers notice the failing /healthz and deregister the pod.
      await new Promise((resolve) => setTimeout(resolve, settings.drainDelaySeconds * 1000));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      wechatGuard.shutdown();
      await deps.close();
    },
  };
}
