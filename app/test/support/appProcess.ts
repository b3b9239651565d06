import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";

const appRoot = join(__dirname, "..", "..");

export interface AppProcess {
  readonly port: number;
  readonly baseUrl: string;
  /** Every line the process printed (stdout and stderr), JSON logs included. */
  readonly lines: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  signal(signal: NodeJS.Signals): void;
  /** SIGTERM, then wait for the exit (SIGKILL after the timeout). */
  stop(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** Runs `main.ts <mode>` (through tsx, as in development) with the config inline and secrets in env. */
export function runApp(mode: string, env: Record<string, string>, port = 0): AppProcess {
  const lines: string[] = [];
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", join(appRoot, "src", "main.ts"), mode],
    {
      cwd: appRoot,
      env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "info", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const collect = (chunk: Buffer) => lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    lines,
    exited,
    signal: (signal) => child.kill(signal),
    async stop(timeoutMs = 15_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** Starts a long-running mode and waits for its "listening"/"consuming" log line. */
export async function startApp(
  mode: "api" | "worker",
  env: Record<string, string>,
  port: number,
  timeoutMs = 30_000,
): Promise<AppProcess> {
  const app = runApp(mode, env, port);
  const marker = mode === "api" ? "api listening" : "worker consuming";
  const started = Date.now();
  while (!app.lines.some((line) => line.includes(marker))) {
    const exited = await Promise.race([app.exited, new Promise((r) => setTimeout(() => r(undefined), 50))]);
    if (exited) throw new Error(`${mode} exited before starting:\n${app.lines.join("\n")}`);
    if (Date.now() - started > timeoutMs) {
      await app.stop();
      throw new Error(`${mode} did not start within ${timeoutMs} ms:\n${app.lines.join("\n")}`);
    }
  }
  return app;
}
