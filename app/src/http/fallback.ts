import type { Express } from "express";
import { NotFoundError } from "../domain/errors";
import type { Logger } from "../observability/logger";
import { errorHandler } from "./errorHandler";
import { HttpError } from "./httpErrors";

/** The parts of Express's router layers this reads: a route's methods and its path matcher. */
interface RouterLayer {
  readonly route?: { readonly methods: Readonly<Record<string, boolean>> };
  readonly handle?: { readonly stack?: readonly RouterLayer[] };
  match(path: string): unknown;
}

/**
 * Ends an app's routes: a known path asked with a method it does not serve is 405 with `Allow`,
 * an unknown path 404; then the one error handler.
 */
export function finishRoutes(app: Express, logger: Logger): void {
  app.use((req) => {
    const allowed = allowedMethods((app.router as unknown as { stack: RouterLayer[] }).stack, req.path);
    if (allowed.size > 0) {
      const allow = [...allowed].join(", ");
      throw new HttpError(
        405,
        "method_not_allowed",
        `${req.method} ${req.path}: allowed ${allow}`,
        undefined,
        {
          Allow: allow,
        },
      );
    }
    throw new NotFoundError(`no route ${req.method} ${req.path}`);
  });
  app.use(errorHandler(logger));
}

function allowedMethods(stack: readonly RouterLayer[], path: string): Set<string> {
  const allowed = new Set<string>();
  for (const layer of stack) {
    if (layer.route) {
      if (!layer.match(path)) continue;
      for (const method of Object.keys(layer.route.methods)) {
        if (method === "_all") continue;
        allowed.add(method.toUpperCase());
        if (method === "get") allowed.add("HEAD");
      }
    } else if (layer.handle?.stack) {
      for (const method of allowedMethods(layer.handle.stack, path)) allowed.add(method);
    }
  }
  return allowed;
}
