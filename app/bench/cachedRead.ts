import { metricValue } from "../test/integration/context";
import { type Comparison, compareWithBaseline, settleSeconds, type Target } from "./httpLoad";

export const catalogPath = "/v1/catalog/home";

export interface CachedReadFigures {
  readonly path: string;
  readonly bodyBytes: number;
  /** Share of the app's catalog lookups answered by the in-process L1 cache during the runs. */
  readonly l1HitRatio: number;
  readonly byConnections: readonly (Comparison & { readonly connections: number })[];
}

/** The app's catalog answer, which the bare baseline then serves as its constant body. */
export async function fetchCatalogBody(appUrl: string): Promise<string> {
  const response = await fetch(new URL(catalogPath, appUrl));
  if (!response.ok) throw new Error(`GET ${catalogPath}: ${response.status} ${await response.text()}`);
  return response.text();
}

/** Phase 1: the cached catalog read against a bare Express route, at each connection count. */
export async function benchCachedRead(
  servers: { readonly app: Target; readonly bare: Target },
  options: {
    readonly connections: readonly number[];
    readonly durationSeconds: number;
    readonly warmUpSeconds: number;
    readonly progress: (line: string) => void;
  },
): Promise<CachedReadFigures> {
  const body = await fetchCatalogBody(servers.app.url);
  const l1Lookups = async () => {
    const count = (result: string) =>
      metricValue(servers.app.url, "crest_cache_lookups_total", { cache: "catalog", tier: "l1", result });
    return { hits: await count("hit"), misses: await count("miss") };
  };
  const before = await l1Lookups();
  const byConnections: (Comparison & { connections: number })[] = [];
  for (const [i, connections] of options.connections.entries()) {
    const comparison = await compareWithBaseline(
      { connections, method: "GET" },
      {
        app: { ...servers.app, url: `${servers.app.url}${catalogPath}` },
        bare: { ...servers.bare, url: `${servers.bare.url}${catalogPath}` },
      },
      // The first comparison warmed both servers: later ones only let the new connection count settle.
      { ...options, warmUpSeconds: i === 0 ? options.warmUpSeconds : settleSeconds },
      options.progress,
    );
    byConnections.push({ connections, ...comparison });
  }
  const after = await l1Lookups();
  const hits = after.hits - before.hits;
  return {
    path: `GET ${catalogPath}`,
    bodyBytes: Buffer.byteLength(body),
    l1HitRatio: hits / (hits + after.misses - before.misses),
    byConnections,
  };
}
