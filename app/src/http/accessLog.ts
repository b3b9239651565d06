import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";
import type { Logger } from "../observability/logger";

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
 * Request ids and one JSON line per request: "request completed" (info; warn for 4xx), "request
 * errored" (error, 5xx) or "request aborted" (warn, the client went away first), with `req`
 * { id, method, url }, `res` { statusCode } and `responseTime` in ms: the line pino-http wrote,
 * for less CPU per request (`npm run bench`, cached read): pino-http builds a child logger, with
 * serialized and redacted bindings, for every request and listens for three events, where this
 * listens for one and logs once.
 */
export function accessLog(logger: Logger, ignore: (url: string) => boolean): RequestHandler {
  return (req, res, next) => {
    const header = req.headers["x-request-id"];
    const id = typeof header === "string" && givenId.test(header) ? header : randomUUID();
    res.setHeader("X-Request-Id", id);
    req.id = id;
    if (!ignore(req.url)) {
      const started = Date.now();
      const described = describeRequest(req);
      // "close" follows "finish" for every response, and also comes alone when the client left.
      res.once("close", () => {
        const line = {
          req: described,
          res: { statusCode: res.statusCode },
          responseTime: Date.now() - started,
        };
        if (!res.writableFinished) logger.warn(line, "request aborted");
        else if (res.statusCode >= 500) logger.error(line, "request errored");
        else if (res.statusCode >= 400) logger.warn(line, "request completed");
        else logger.info(line, "request completed");
      });
    }
    next();
  };
}
