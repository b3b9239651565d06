import autocannon from "autocannon";
import { cpuMsByName, type WatchedProcess } from "./cpuTime";

/** One closed-loop load run: `connections` keep-alive clients, each sending as soon as it is answered. */
export interface LoadSpec {
  readonly title: string;
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly method?: "GET" | "POST";
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Called before every request; returns the headers that vary per request (token, idempotency key). */
  readonly perRequestHeaders?: () => Record<string, string>;
  /** Processes whose CPU time per request is reported: the server and what it calls. */
  readonly watch?: readonly WatchedProcess[];
}

export interface LoadFigures {
  readonly connections: number;
  readonly durationSeconds: number;
  /** Successful (2xx) answers per second; the other answers are counted in `statusCounts`. */
  readonly requestsPerSecond: number;
  /** Latency percentiles of the 2xx answers, in milliseconds. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly ok: number;
  readonly statusCounts: Record<string, number>;
  /** Connection errors and timeouts (no HTTP answer at all). */
  readonly errors: number;
  /** CPU time (user + system) per answered request, in µs, by watched process name. */
  readonly cpuUsPerRequest: Record<string, number>;
}

/** What one autocannon run measured, before runs are combined. */
interface RawRun {
  readonly durationSeconds: number;
  /** Latencies of the 2xx answers, ms, unsorted. */
  readonly latencies: Float64Array;
  readonly statusCounts: Record<string, number>;
  readonly errors: number;
  readonly cpuMs: Record<string, number>;
}

/** Latencies of 2xx answers, kept in a growing typed array (autocannon's own histogram rounds to whole ms). */
class LatencyRecorder {
  private values = new Float64Array(1 << 16);
  private count = 0;

  record(ms: number): void {
    if (this.count === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.count++] = ms;
  }

  recorded(): Float64Array {
    return this.values.slice(0, this.count);
  }
}

async function runOnce(spec: LoadSpec): Promise<RawRun> {
  const latencies = new LatencyRecorder();
  const perRequest = spec.perRequestHeaders;
  const options: autocannon.Options = {
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationSeconds,
    method: spec.method ?? "GET",
    headers: { "content-type": "application/json", ...spec.headers },
    ...(spec.body === undefined ? {} : { body: spec.body }),
    ...(perRequest
      ? {
          requests: [
            {
              setupRequest: (request) => ({ ...request, headers: { ...request.headers, ...perRequest() } }),
            },
          ],
        }
      : {}),
    title: spec.title,
  };
  const cpuBefore = cpuMsByName(spec.watch ?? []);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error: unknown, done) => (error ? reject(error) : resolve(done)));
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.record(responseTime);
    });
  });
  const cpuAfter = cpuMsByName(spec.watch ?? []);
  const cpuMs: Record<string, number> = {};
  for (const [name, after] of Object.entries(cpuAfter)) cpuMs[name] = after - (cpuBefore[name] ?? after);
  const statusCounts: Record<string, number> = {};
  for (const [status, stats] of Object.entries(result.statusCodeStats ?? {}))
    statusCounts[status] = stats.count ?? 0;
  return {
    durationSeconds: result.duration,
    latencies: latencies.recorded(),
    statusCounts,
    errors: result.errors + result.timeouts,
    cpuMs,
  };
}

/** The p-th percentile (0–100) of sorted values, nearest rank. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** Several runs against one server as if they were one: totals over total time, percentiles over all answers. */
function combine(runs: readonly RawRun[], connections: number): LoadFigures {
  const durationSeconds = runs.reduce((sum, r) => sum + r.durationSeconds, 0);
  const sorted = new Float64Array(runs.reduce((sum, r) => sum + r.latencies.length, 0));
  let offset = 0;
  for (const run of runs) {
    sorted.set(run.latencies, offset);
    offset += run.latencies.length;
  }
  sorted.sort();
  const statusCounts: Record<string, number> = {};
  const cpuMs: Record<string, number> = {};
  for (const run of runs) {
    for (const [status, count] of Object.entries(run.statusCounts))
      statusCounts[status] = (statusCounts[status] ?? 0) + count;
    for (const [name, ms] of Object.entries(run.cpuMs)) cpuMs[name] = (cpuMs[name] ?? 0) + ms;
  }
  const answered = Object.values(statusCounts).reduce((sum, n) => sum + n, 0);
  const cpuUsPerRequest: Record<string, number> = {};
  if (answered > 0)
    for (const [name, ms] of Object.entries(cpuMs)) cpuUsPerRequest[name] = (ms * 1000) / answered;
  return {
    connections,
    durationSeconds,
    requestsPerSecond: sorted.length / durationSeconds,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    ok: sorted.length,
    statusCounts,
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    cpuUsPerRequest,
  };
}

/** The same load against the app and the bare baseline. */
export interface Comparison {
  readonly app: LoadFigures;
  readonly bare: LoadFigures;
  /** The app during its warm-up: what a pod costs in its first seconds under this load (absent in older runs). */
  readonly appWarmUp?: LoadFigures;
  /** app rps / bare rps. */
  readonly rpsRatio: number;
}

/** Where one server answers, and the processes whose CPU time its requests cost. */
export interface Target {
  readonly url: string;
  readonly watch: readonly WatchedProcess[];
}

function describe(server: string, figures: LoadFigures): string {
  const cpu = Object.entries(figures.cpuUsPerRequest)
    .map(([name, us]) => `${name} ${Math.round(us)}`)
    .join(" + ");
  return (
    `${server}: ${Math.round(figures.requestsPerSecond)} rps, p50 ${figures.p50Ms.toFixed(1)} ms, ` +
    `p99 ${figures.p99Ms.toFixed(1)} ms, CPU µs per request: ${cpu || "n/a"}`
  );
}

/** Warm-up before a later comparison on servers a first one warmed: a new connection count settles. */
export const settleSeconds = 2;

/**
 * App and bare baseline under the same load, each warmed up first, then measured in the order
 * app, bare, bare, app (half the duration each), so a machine that gets busier or quieter during
 * the comparison shifts both figures alike rather than the ratio. The warm-up is what lets V8 and
 * the Kafka broker's JVM compile their hot paths: in the first seconds of orders the broker spent
 * ~7 × its steady CPU per order (README, "Warm-up"), a cost of a fresh process, not of an order.
 */
export async function compareWithBaseline(
  spec: Omit<LoadSpec, "url" | "title" | "watch" | "durationSeconds">,
  targets: { readonly app: Target; readonly bare: Target },
  timing: { readonly durationSeconds: number; readonly warmUpSeconds: number },
  progress: (line: string) => void,
): Promise<Comparison> {
  const half = Math.max(1, Math.round(timing.durationSeconds / 2));
  const run = (server: "app" | "bare", durationSeconds: number) =>
    runOnce({ ...spec, ...targets[server], title: server, durationSeconds });
  progress(`warming up app and bare (${timing.warmUpSeconds} s each)`);
  const appWarmUp = combine([await run("app", timing.warmUpSeconds)], spec.connections);
  await run("bare", timing.warmUpSeconds);
  progress(`${spec.connections} connections: app, bare, bare, app, ${half} s each`);
  const app1 = await run("app", half);
  const bare1 = await run("bare", half);
  const bare2 = await run("bare", half);
  const app2 = await run("app", half);
  const app = combine([app1, app2], spec.connections);
  const bare = combine([bare1, bare2], spec.connections);
  progress(describe("app warm-up", appWarmUp));
  progress(describe("app", app));
  progress(describe("bare", bare));
  return { app, bare, appWarmUp, rpsRatio: app.requestsPerSecond / bare.requestsPerSecond };
}
