import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startLocalStack } from "../test/support/localStack";
import { benchCachedRead, type CachedReadFigures, fetchCatalogBody } from "./cachedRead";
import { localServiceProcesses } from "./cpuTime";
import { applySchema, seedCatalogHome } from "./fixtures";
import { benchOrderPlacement, type OrderPlacementFigures, orderBenchSettings } from "./orderPlacement";
import { benchPipeline, type PipelineFigures } from "./pipeline";
import { interrupted } from "./processes";
import { type Launch, type StartedServer, startAppMode, startBareServer } from "./servers";

export const appPhases = ["read", "orders", "pipeline"] as const;
export type AppPhase = (typeof appPhases)[number];

export interface AppBenchOptions {
  readonly phases: ReadonlySet<AppPhase>;
  readonly durationSeconds: number;
  readonly warmUpSeconds: number;
  readonly readConnections: readonly number[];
  readonly orderConnections: number;
  readonly orderUsers: number;
  readonly pipelineOrders: number;
  readonly batchSizes: readonly number[];
  /** Listed catalog items, i.e. the size of the home page the read phase serves. */
  readonly catalogItems: number;
  /** Where the app processes write their logs (and CPU profiles, when asked for). */
  readonly launch: Launch;
  readonly progress: (line: string) => void;
}

export interface AppFigures {
  readonly expressVersion: string;
  readonly cachedRead?: CachedReadFigures;
  readonly orderPlacement?: OrderPlacementFigures;
  readonly pipeline?: PipelineFigures;
}

/** The Express the app resolves, which the bare baseline resolves too (one copy in node_modules). */
function expressVersion(): string {
  const manifest = require.resolve("express/package.json", { paths: [join(__dirname, "..")] });
  return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
}

/**
 * Phases 1–3 on one local stack (Redis, two MariaDB shards, Kafka): the API and the bare baseline
 * for the HTTP phases, then one worker per batch size. Everything started here is stopped before
 * it returns or throws (on Ctrl-C, see exitCleanlyOnSignals).
 */
export async function benchApp(options: AppBenchOptions): Promise<AppFigures> {
  const { progress } = options;
  const stack = await startLocalStack((line) => progress(`services: ${line}`));
  const servers: StartedServer[] = [];
  try {
    await applySchema(stack);
    await seedCatalogHome(stack, options.catalogItems);
    let cachedRead: CachedReadFigures | undefined;
    let orderPlacement: OrderPlacementFigures | undefined;
    if (options.phases.has("read") || options.phases.has("orders")) {
      progress("starting the API and the bare Express baseline");
      const api = await startAppMode(stack, "api", {
        name: "api",
        launch: options.launch,
        settings: orderBenchSettings,
      });
      servers.push(api);
      const bare = await startBareServer(await fetchCatalogBody(api.baseUrl), options.launch);
      servers.push(bare);
      // An order costs CPU in Redis and Kafka too, on the same cores: their time counts for the app.
      const targets = {
        app: { url: api.baseUrl, watch: [{ name: "api", pid: api.process.pid }, ...localServiceProcesses()] },
        bare: { url: bare.baseUrl, watch: [{ name: "bare", pid: bare.process.pid }] },
      };
      const timing = { durationSeconds: options.durationSeconds, warmUpSeconds: options.warmUpSeconds };
      if (options.phases.has("read")) {
        progress("phase 1: cached catalog read");
        cachedRead = await benchCachedRead(targets, {
          ...timing,
          connections: options.readConnections,
          progress,
        });
      }
      if (options.phases.has("orders")) {
        progress("phase 2: order placement");
        orderPlacement = await benchOrderPlacement(stack, targets, {
          ...timing,
          connections: options.orderConnections,
          users: options.orderUsers,
          progress,
        });
      }
      await Promise.all(servers.splice(0).map((s) => s.process.stop()));
    }
    let pipeline: PipelineFigures | undefined;
    if (options.phases.has("pipeline")) {
      progress("phase 3: order pipeline (Kafka → worker → MySQL shards)");
      pipeline = await benchPipeline(stack, {
        batchSizes: options.batchSizes,
        orders: options.pipelineOrders,
        launch: options.launch,
        progress,
      });
    }
    return { expressVersion: expressVersion(), cachedRead, orderPlacement, pipeline };
  } finally {
    // After a stop signal tools/services is already stopping the servers; stopping them twice races.
    if (!interrupted()) {
      await Promise.allSettled(servers.map((s) => s.process.stop()));
      await stack.stop();
    }
  }
}
