import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";
import type { Logger } from "../observability/logger";
import type { Metrics } from "../observability/metrics";

declare module "http" {
  interface IncomingMessage {
    /** X-Request-Id: the caller's when it is well-formed, else a new UUID. */
    id: string;
  }
}

/** How a request appears in log lines (never its headers, which carry tokens). */
export function describeRequest(req: { id: string; method?: string; originalUrl?: string; url?: string }) {
  return { id: req.id, method: req.method, url: req.originalUrl ?? req.url };
}

const givenId = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Request ids, one JSON line per request and its latency by route pattern (not by URL, which would
 * explode the label set), from one "close" listener. The line is "request completed" (info; warn
 * for 4xx), "request errored" (error, 5xx) or "request aborted" (warn, the client went away first),
 * with `req` { id, method, url }, `res` { statusCode } and `responseTime` in ms: what pino-http
 * wrote, for less CPU per request (`npm run bench`, cached read): pino-http builds a child logger
 * per request and listens for three events. Probe paths get an id but no line. Completed requests
 * go to `accessLogger` (buffered, see createAccessLogger); 5xx and aborted ones to `logger` at once.
 */
export function observeRequests(
  logger: Logger,
  accessLogger: Logger,
  metrics: Metrics,
  ignore: (url: string) => boolean,
): RequestHandler {
  // The line holds only the request line and the status, never a header or a body: the logger's
  // redaction (a walk of every top-level field for its `*.token`-style paths) would only double
  // the cost of each line.
  const problems = logger.child({}, { redact: { paths: [] } });
  const latency = new LatencyByRoute(metrics);
  return (req, res, next) => {
    const header = req.headers["x-request-id"];
    const id = typeof header === "string" && givenId.test(header) ? header : randomUUID();
    res.setHeader("X-Request-Id", id);
    req.id = id;
    const logged = !ignore(req.url);
    const described = logged ? describeRequest(req) : undefined;
    const started = performance.now();
    // "close" follows "finish" for every response, and also comes alone when the client left.
    res.once("close", () => {
      const elapsedMs = performance.now() - started;
      const finished = res.writableFinished;
      if (finished) latency.observe(req.method, routeOf(req), res.statusCode, elapsedMs / 1000);
      if (!described) return;
      const line = {
        req: described,
        res: { statusCode: res.statusCode },
        responseTime: Math.round(elapsedMs),
      };
      if (!finished) problems.warn(line, "request aborted");
      else if (res.statusCode >= 500) problems.error(line, "request errored");
      else if (res.statusCode >= 400) accessLogger.warn(line, "request completed");
      else accessLogger.info(line, "request completed");
    });
    next();
  };
}

function routeOf(req: { baseUrl: string; route?: { path?: unknown } }): string {
  return req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : "unmatched";
}

/**
 * The latency histogram's children by label values, looked up by one string instead of
 * prom-client's per-call label validation and hashing. Bounded by routes × methods × statuses.
 */
class LatencyByRoute {
  private readonly children = new Map<string, { observe(seconds: number): void }>();

  constructor(private readonly metrics: Metrics) {}

  observe(method: string, route: string, statusCode: number, seconds: number): void {
    const key = `${method} ${route} ${statusCode}`;
    let child = this.children.get(key);
    if (!child) {
      child = this.metrics.httpDuration.labels({ method, route, status: String(statusCode) });
      this.children.set(key, child);
    }
    child.observe(seconds);
  }
}
