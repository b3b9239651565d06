import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Child processes of a benchmark run (the API, the worker, the bare baseline, plan runs). Each is
 * the leader of its own process group, so stopping it also stops what it started (a plan's policy
 * pack, tsx's esbuild service); its output goes to a log file rather than a pipe, so the benchmark
 * process — which also drives the load — spends no time reading it. Whatever is still running when
 * this process exits is killed.
 */
export interface BenchProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The log written so far. */
  log(): string;
  /** Sends `signal` to the whole group (the fault suite's SIGKILL, SIGSTOP and SIGCONT). */
  signal(signal: NodeJS.Signals): void;
  /** SIGTERM to the group, SIGKILL after `timeoutMs`; resolves once the process has exited. */
  stop(timeoutMs?: number): Promise<void>;
}

export interface ProcessSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  readonly cwd: string;
  readonly logFile: string;
}

const live = new Map<number, ChildProcess>();

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone already
  }
}

/** Kills every process this module started and that is still running (exit hook, signal handler). */
export function killAllNow(): void {
  for (const pid of live.keys()) signalGroup(pid, "SIGKILL");
  live.clear();
}

process.on("exit", killAllNow);

const signalNumbers = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;
let signalled = false;

/** True once the benchmark got a stop signal: what fails after it is the shutdown, not a finding. */
export function interrupted(): boolean {
  return signalled;
}

/**
 * Ctrl-C, SIGTERM, SIGHUP: kill the child processes at once (the servers they talk to are going
 * away anyway). While Redis, MariaDB or Kafka run, tools/services is listening for the same
 * signal: it stops them in order and exits 128 + signal number (stopping them from here as well
 * would race it). Otherwise exit here, with the same code.
 */
export function exitCleanlyOnSignals(progress: (line: string) => void): void {
  for (const signal of Object.keys(signalNumbers) as (keyof typeof signalNumbers)[]) {
    process.once(signal, () => {
      signalled = true;
      progress(`${signal}: stopping every process this benchmark started`);
      killAllNow();
      if (process.listenerCount(signal) === 0) process.exit(128 + signalNumbers[signal]);
    });
  }
}

export function spawnLogged(spec: ProcessSpec): BenchProcess {
  mkdirSync(dirname(spec.logFile), { recursive: true });
  const output = openSync(spec.logFile, "w");
  const child = spawn(spec.command, [...spec.args], {
    cwd: spec.cwd,
    env: spec.env,
    stdio: ["ignore", output, output],
    detached: true,
  });
  closeSync(output);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${spec.name}: could not start ${spec.command}`);
  live.set(pid, child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      live.delete(pid);
      resolve({ code, signal });
    }),
  );
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    name: spec.name,
    pid,
    logFile: spec.logFile,
    exited,
    log: () => readFileSync(spec.logFile, "utf8"),
    signal: (signal) => signalGroup(pid, signal),
    async stop(timeoutMs = 15_000) {
      if (running()) signalGroup(pid, "SIGTERM");
      const timer = setTimeout(() => signalGroup(pid, "SIGKILL"), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function logTail(text: string, lines = 30): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/**
 * Waits until the process logs a line containing `marker` and returns that line; fails with the
 * log's tail when the process exits first or the marker does not come within `timeoutMs`.
 */
export async function waitForLogLine(
  proc: BenchProcess,
  marker: string,
  timeoutMs = 60_000,
): Promise<string> {
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void proc.exited.then((result) => {
    exit = result;
  });
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const line = proc
      .log()
      .split("\n")
      .find((l) => l.includes(marker));
    if (line !== undefined) return line;
    if (exit) {
      const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
      throw new Error(`${proc.name} ${how} before logging "${marker}":\n${logTail(proc.log())}`);
    }
    if (performance.now() > deadline) {
      await proc.stop();
      throw new Error(`${proc.name} did not log "${marker}" within ${timeoutMs} ms:\n${logTail(proc.log())}`);
    }
    await sleep(25);
  }
}
