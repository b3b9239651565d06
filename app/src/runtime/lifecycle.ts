import { createServer, type RequestListener, type Server } from "node:http";
import type { Logger } from "../observability/logger";

export interface Stoppable {
  /** Stops taking work, finishes what is in flight, and closes every client. */
  stop(): Promise<void>;
}

/** An HTTP server with keep-alive longer than the ALB's 60 s idle timeout (no 502s on reuse). */
export function listen(handler: RequestListener, port: number): Promise<Server> {
  const server = createServer(handler);
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}

/**
 * SIGTERM or SIGINT: stop the service within the grace period, then exit 0; past the deadline,
 * exit 1 so Kubernetes does not wait for a SIGKILL.
 */
export function stopOnSignals(service: Stoppable, graceSeconds: number, logger: Logger): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, graceSeconds }, "shutting down");
    const deadline = setTimeout(() => {
      logger.error({ graceSeconds }, "shutdown exceeded the grace period");
      process.exit(1);
    }, graceSeconds * 1000);
    deadline.unref();
    service.stop().then(
      () => {
        logger.info("shutdown complete");
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: String(error) }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
