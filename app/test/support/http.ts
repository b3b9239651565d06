import { Agent, request } from "node:http";

/** The fields the app's JSON replies carry (each route uses some); text replies arrive in `text`. */
export interface ReplyBody {
  readonly error?: {
    readonly code: string;
    readonly message: string;
    readonly field?: string;
    readonly dependency?: string;
  };
  readonly orderId?: string;
  readonly replayed?: boolean;
  readonly orders?: readonly {
    readonly orderId: string;
    readonly sku: string;
    readonly acceptedAt: string;
    readonly status: string;
    readonly rejectReason?: string;
  }[];
  readonly nextCursor?: string;
  readonly items?: readonly { readonly sku: string; readonly name: string }[];
  readonly status?: string;
  readonly checks?: Readonly<Record<string, string>>;
  readonly token?: string;
  readonly userId?: string;
  readonly granted?: boolean;
  readonly totalPoints?: number;
  readonly requestId?: string;
  readonly text?: string;
}

export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: ReplyBody;
  readonly ms: number;
}

/** A bounded pool of keep-alive connections: many requests in flight over few sockets. */
export function connectionPool(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets });
}

/** One JSON request; `body` may be a string to send raw bytes. Bounded by its own timeout. */
export function call(
  baseUrl: string,
  method: string,
  path: string,
  options: {
    body?: unknown;
    headers?: Record<string, string>;
    token?: string;
    agent?: Agent;
    timeoutMs?: number;
  } = {},
): Promise<Reply> {
  const started = performance.now();
  const payload =
    options.body === undefined
      ? undefined
      : typeof options.body === "string"
        ? options.body
        : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, baseUrl),
      {
        method,
        agent: options.agent,
        timeout: options.timeoutMs ?? 10_000,
        headers: {
          ...(payload === undefined ? {} : { "content-type": "application/json" }),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let body: ReplyBody = { text };
          try {
            body = text ? (JSON.parse(text) as ReplyBody) : {};
          } catch {
            // not JSON (e.g. /metrics): keep the text
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            ms: performance.now() - started,
          });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on("error", reject);
    req.end(payload);
  });
}

/** Polls until `check` returns a value (not undefined), or fails after the timeout. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<T> {
  const started = Date.now();
  let lastError: unknown;
  while (Date.now() - started < timeoutMs) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(
    `${what}: not within ${timeoutMs} ms${lastError ? ` (last error: ${String(lastError)})` : ""}`,
  );
}
