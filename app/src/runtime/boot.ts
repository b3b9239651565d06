import { SecretSource } from "../adapters/secrets";
import { JwtSessionTokens } from "../adapters/sessionTokens";
import { ConfigError, loadRuntimeConfig } from "../config/loadConfig";
import { environmentKeys } from "../contract/podEnvironment";
import type { RuntimeConfig } from "../contract/runtimeConfig";
import { smokeProbe } from "../domain/smokeProbe";
import { createLogger, type Logger } from "../observability/logger";
import { Metrics } from "../observability/metrics";
import { runSmoke } from "../smoke/smoke";
import { serveApi } from "./api";
import { readApiCredentials, readSessionSigningKey, readStoreCredentials } from "./credentials";
import { connectDependencies } from "./dependencies";
import { type Stoppable, stopOnSignals } from "./lifecycle";
import { runWorker } from "./worker";

/**
 * The app's composition root. Reads and checks RuntimeConfig, then runs the mode; a bad config exits
 * 78 (EX_CONFIG) naming the field.
 */
export async function boot(
  mode: "api" | "worker" | "smoke",
  stopTracing?: () => Promise<void>,
): Promise<number> {
  let config: RuntimeConfig;
  try {
    config = loadRuntimeConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 78;
  }
  const secrets = new SecretSource();
  if (mode === "smoke") return smoke(config, secrets);

  const logger = createLogger(mode);
  const metrics = new Metrics();
  const service = await startService(mode, config, secrets, metrics, logger);
  stopOnSignals(
    {
      stop: async () => {
        await service.stop();
        await stopTracing?.();
      },
    },
    config.service.shutdownGraceSeconds,
    logger,
  );
  return 0;
}

/**
 * Every secret the mode uses is read once, here, before any client connects; then the clients both
 * modes share, then the mode's own services over them.
 */
async function startService(
  mode: "api" | "worker",
  config: RuntimeConfig,
  secrets: SecretSource,
  metrics: Metrics,
  logger: Logger,
): Promise<Stoppable> {
  const stores = await readStoreCredentials(config, secrets);
  const api = mode === "api" ? await readApiCredentials(config, secrets) : undefined;
  const deps = connectDependencies(config, stores, metrics, logger, `crest-${mode}`);
  return api
    ? serveApi(config, deps, api, metrics, logger)
    : runWorker(config, deps, stores.kafka, metrics, logger);
}

/** environmentKeys.smokeBaseUrl (default: this pod's own API port) and a token signed for the probe user. */
async function smoke(config: RuntimeConfig, secrets: SecretSource): Promise<number> {
  const signingKey = await readSessionSigningKey(config, secrets);
  const { token } = await new JwtSessionTokens(signingKey, 300).issue(smokeProbe.userId);
  const baseUrl = process.env[environmentKeys.smokeBaseUrl] || `http://127.0.0.1:${config.service.httpPort}`;
  const print = (line: string) => process.stdout.write(`${line}\n`);
  print(`smoke test against ${baseUrl}`);
  const passed = await runSmoke({
    baseUrl,
    token,
    persistTimeoutMs: Number(process.env.CREST_SMOKE_TIMEOUT_MS) || 60_000,
    print,
  });
  print(passed ? "smoke test passed" : "smoke test FAILED");
  return passed ? 0 : 1;
}
