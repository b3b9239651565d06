import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync, statSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { type KillableProcess, trackProcess, untrackProcess } from "./cleanup";

export interface ServerSpec {
  /** How messages name the server: "redis", "mysql shard 0", "kafka". */
  readonly name: string;
  readonly command: string;
  /** Computed at every start, so a first start can differ from a restart. */
  readonly args: () => readonly string[];
  /** The server's own folder; its working directory, which also marks it as ours (see cleanup.ts). */
  readonly cwd: string;
  /** The server's stdout and stderr are appended here. */
  readonly logFile: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly startTimeoutMs: number;
  readonly stopTimeoutMs: number;
  /** Polled until true; `log()` returns what the server logged since this start. */
  readonly isReady: (log: () => string) => Promise<boolean>;
}

const pollIntervalMs = 50;
const tailLines = 40;
const portInUse = /address already in use|Can't start server: Bind on TCP\/IP port|BindException/i;

/** A server that did not come up; the message ends with the tail of its log. */
export class ServerStartError extends Error {
  constructor(
    message: string,
    /** The server could not bind its port: another process took it after it was found free. */
    readonly portInUse: boolean,
  ) {
    super(message);
    this.name = "ServerStartError";
  }
}

export function logTail(text: string, lines = tailLines): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * One server process: started detached (a terminal's Ctrl-C reaches this process, which stops the
 * servers in order) and unreferenced (a forgotten server does not keep Node alive; the exit hook
 * kills it), its output appended to its log file.
 */
export class ServerProcess implements KillableProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<string> | undefined;

  constructor(private readonly spec: ServerSpec) {}

  get running(): boolean {
    return this.child !== undefined;
  }

  async start(): Promise<void> {
    const { spec } = this;
    if (this.child) throw new Error(`${spec.name} is already running`);
    const logOffset = fileSize(spec.logFile);
    const log = () => readFileSync(spec.logFile).subarray(logOffset).toString("utf8");
    const output = openSync(spec.logFile, "a");
    const child = spawn(spec.command, spec.args(), {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      stdio: ["ignore", output, output],
      detached: true,
    });
    closeSync(output);
    child.unref();
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once("error", (error) => resolve(`could not be run (${error.message})`));
      child.once("exit", (code, signal) =>
        resolve(signal ? `was killed by ${signal}` : `exited with code ${code}`),
      );
    });
    trackProcess(this);

    let exitReason: string | undefined;
    void this.exited.then((reason) => {
      exitReason = reason;
    });
    const deadline = performance.now() + spec.startTimeoutMs;
    while (exitReason === undefined && performance.now() < deadline) {
      if (await spec.isReady(log).catch(() => false)) return;
      await sleep(pollIntervalMs);
    }
    const why = exitReason ?? `was not ready after ${spec.startTimeoutMs} ms`;
    await this.stop();
    const written = log();
    const tail = written.trim()
      ? `last lines of ${spec.logFile}:\n${logTail(written)}`
      : `${spec.logFile} is empty`;
    throw new ServerStartError(`${spec.name} ${why}; ${tail}`, portInUse.test(written));
  }

  /** SIGTERM, the server's orderly shutdown; SIGKILL when it takes longer than the stop timeout. */
  async stop(): Promise<void> {
    const { child, exited } = this;
    if (!child || !exited) return;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = new AbortController();
      const timedOut = await Promise.race([
        exited.then(() => false),
        sleep(this.spec.stopTimeoutMs, true, { signal: timer.signal }),
      ]);
      timer.abort();
      if (timedOut) {
        child.kill("SIGKILL");
        await exited;
      }
    }
    this.child = undefined;
    this.exited = undefined;
    untrackProcess(this);
  }

  killNow(): void {
    const { child } = this;
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
}

const portAttempts = 3;

/**
 * Runs `attempt` (find ports, prepare, first start) again when the server found its port taken: a free
 * port can be taken by another process between the probe and the server's own bind.
 */
export async function retryOnPortTaken<T>(
  name: string,
  onProgress: (line: string) => void,
  attempt: () => Promise<T>,
): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ServerStartError && error.portInUse) || tries >= portAttempts) throw error;
      onProgress(`${name}: its port was taken before it could bind it; retrying on a new port`);
    }
  }
}
