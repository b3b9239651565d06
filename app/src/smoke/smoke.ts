import { randomUUID } from "node:crypto";
import { smokeProbe } from "../domain/smokeProbe";

export interface SmokeOptions {
  /** The API's base URL, e.g. http://crest-api.crest.svc.cluster.local. */
  readonly baseUrl: string;
  /** A session token for the smoke probe's user. */
  readonly token: string;
  /** How long to wait for the order to be persisted. */
  readonly persistTimeoutMs: number;
  readonly requestTimeoutMs?: number;
  readonly print: (line: string) => void;
}

class SmokeFailure extends Error {}

/**
 * Readiness, then one real order through the whole path (API → Redis → Kafka → worker → shard),
 * read back from the order history. Prints one line per check; true when every check passed.
 */
export async function runSmoke(options: SmokeOptions): Promise<boolean> {
  const { print } = options;
  const call = async (path: string, init?: RequestInit) => {
    const url = new URL(path, options.baseUrl);
    try {
      return await fetch(url, {
        ...init,
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${options.token}`,
          ...init?.headers,
        },
        signal: AbortSignal.timeout(options.requestTimeoutMs ?? 5_000),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      throw new Error(
        `${init?.method ?? "GET"} ${url}: ${(error as Error).message}${cause ? ` (${cause})` : ""}`,
      );
    }
  };
  const step = async <T>(name: string, run: () => Promise<{ detail: string; value: T }>): Promise<T> => {
    try {
      const { detail, value } = await run();
      print(`ok   ${name}: ${detail}`);
      return value;
    } catch (error) {
      print(`FAIL ${name}: ${error instanceof Error ? error.message : String(error)}`);
      throw new SmokeFailure(name);
    }
  };

  try {
    await step("readiness", async () => {
      const response = await call("/readyz");
      const body = (await response.json()) as { status?: string; checks?: Record<string, string> };
      const checks = Object.entries(body.checks ?? {});
      for (const [name, result] of checks) print(`${result === "ok" ? "ok  " : "FAIL"}   ${name}: ${result}`);
      if (response.status !== 200) throw new Error(`/readyz answered ${response.status} (${body.status})`);
      return { detail: `${checks.length} dependencies ready`, value: undefined };
    });
    const orderId = await step("place order", async () => {
      const response = await call(`/v1/flash-sales/${smokeProbe.sku}/orders`, {
        method: "POST",
        headers: { "idempotency-key": `smoke-${randomUUID()}` },
        body: JSON.stringify({ quantity: 1 }),
      });
      const body = (await response.json()) as { orderId?: string; error?: { message?: string } };
      if (response.status !== 202 || !body.orderId) {
        throw new Error(
          `expected 202, got ${response.status}: ${body.error?.message ?? JSON.stringify(body)}`,
        );
      }
      return { detail: `202, order ${body.orderId}`, value: body.orderId };
    });
    await step("order persisted", async () => {
      const started = Date.now();
      let lastStatus = "";
      while (Date.now() - started < options.persistTimeoutMs) {
        const response = await call(`/v1/users/${smokeProbe.userId}/orders`).catch((error: Error) => error);
        if (response instanceof Error) lastStatus = response.message;
        else {
          const body = (await response.json()) as { orders?: { orderId: string }[] };
          lastStatus = `HTTP ${response.status}`;
          if (body.orders?.some((o) => o.orderId === orderId)) {
            return { detail: `visible after ${Date.now() - started} ms`, value: undefined };
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error(
        `order ${orderId} not persisted within ${options.persistTimeoutMs} ms (last: ${lastStatus})`,
      );
    });
    return true;
  } catch (error) {
    if (error instanceof SmokeFailure) return false;
    throw error;
  }
}
