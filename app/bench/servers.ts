import { join } from "node:path";
import type { RuntimeConfigInput } from "../src/contract/runtimeConfig";
import { freeLoopbackPort } from "../test/support/appProcess";
import type { LocalStack } from "../test/support/localStack";
import { type BenchProcess, spawnLogged, waitForLogLine } from "./processes";

const appRoot = join(__dirname, "..");

export type ServiceSettings = NonNullable<RuntimeConfigInput["service"]>;

/** A server the benchmark started: its process, where it answers, and when it said it was ready. */
export interface StartedServer {
  readonly process: BenchProcess;
  readonly baseUrl: string;
  /** Epoch ms of the readiness log line (the app's own pino `time`), else when it was seen. */
  readonly readyAt: number;
}

/** Where a started process writes its log and, when profiling, its CPU profile (`<name>.cpuprofile`). */
export interface Launch {
  readonly logDir: string;
  readonly profileDir?: string;
}

/** What every benchmark process of the app starts with: no drain delay, a short shutdown. */
const benchDefaults: ServiceSettings = { drainDelaySeconds: 0, shutdownGraceSeconds: 10 };

/** As in the deployed image (NODE_ENV=production, info logs); only PATH is taken from this process. */
function baseEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? "", NODE_ENV: "production", LOG_LEVEL: "info" };
}

function readyTime(line: string): number {
  try {
    const time = (JSON.parse(line) as { time?: unknown }).time;
    if (typeof time === "number") return time;
  } catch {
    // not a pino line
  }
  return Date.now();
}

async function startNode(
  name: string,
  script: string,
  args: readonly string[],
  env: Record<string, string>,
  launch: Launch,
  port: number,
  marker: string,
): Promise<StartedServer> {
  // Written when the process exits after SIGTERM (the app exits through process.exit).
  const profile = launch.profileDir
    ? ["--cpu-prof", `--cpu-prof-dir=${launch.profileDir}`, `--cpu-prof-name=${name}.cpuprofile`]
    : [];
  const child = spawnLogged({
    name,
    command: process.execPath,
    args: [...profile, "--import", "tsx", script, ...args],
    env: { ...baseEnv(), ...env },
    cwd: appRoot,
    logFile: join(launch.logDir, `${name}.log`),
  });
  const line = await waitForLogLine(child, marker);
  return { process: child, baseUrl: `http://127.0.0.1:${port}`, readyAt: readyTime(line) };
}

/**
 * Runs `main.ts api|worker` as a child process on the local stack, with the config inline and the
 * secrets as CREST_SECRET_* variables. `ordersTopic` points the app at another orders topic; `port`
 * restarts a process where its clients already connect (default: a free port).
 */
export async function startAppMode(
  stack: LocalStack,
  mode: "api" | "worker",
  options: { name: string; launch: Launch; settings?: ServiceSettings; ordersTopic?: string; port?: number },
): Promise<StartedServer> {
  const port = options.port ?? (await freeLoopbackPort());
  const config = stack.config({ ...benchDefaults, ...options.settings, httpPort: port });
  const configured: RuntimeConfigInput = options.ordersTopic
    ? {
        ...config,
        kafka: { ...config.kafka, topics: { ...config.kafka.topics, orders: options.ordersTopic } },
      }
    : config;
  const env = { ...stack.secretEnv(), CREST_RUNTIME_CONFIG_JSON: JSON.stringify(configured) };
  const marker = mode === "api" ? "api listening" : "worker consuming";
  return startNode(options.name, join(appRoot, "src", "main.ts"), [mode], env, options.launch, port, marker);
}

/** The bare Express baseline (bareServer.ts), serving `catalogBody` as its constant GET answer. */
export async function startBareServer(catalogBody: string, launch: Launch): Promise<StartedServer> {
  const port = await freeLoopbackPort();
  const env = { BENCH_BARE_PORT: String(port), BENCH_BARE_BODY: catalogBody };
  return startNode("bare", join(__dirname, "bareServer.ts"), [], env, launch, port, "bare listening");
}
