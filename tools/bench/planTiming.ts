import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { logTail, spawnLogged } from "../../app/bench/processes";

export const root = resolve(__dirname, "../..");

/** A plan takes seconds; one still running after this has hung. */
const commandTimeoutMs = 180_000;

/** Runs `node --import tsx <args>` in a fresh process from the repository root; wall time in seconds. */
export async function timeNodeCommand(
  name: string,
  args: readonly string[],
  logFile: string,
  okExitCodes: readonly number[] = [0],
): Promise<number> {
  const started = performance.now();
  const child = spawnLogged({
    name,
    command: process.execPath,
    args: ["--import", "tsx", ...args],
    env: { ...process.env } as Record<string, string>,
    cwd: root,
    logFile,
  });
  const timer = setTimeout(() => void child.stop(1_000), commandTimeoutMs);
  const { code, signal } = await child.exited;
  clearTimeout(timer);
  const seconds = (performance.now() - started) / 1000;
  if (code === null || !okExitCodes.includes(code)) {
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    throw new Error(`${name} ${how}:\n${logTail(child.log())}`);
  }
  return seconds;
}

export interface PlanTiming {
  readonly label: string;
  readonly stack: string;
  readonly resources: number;
  /** What `npm run plan` costs: a fresh process, SDK loading included. */
  readonly wallSeconds: number;
  /** The plan's own figure: program run and policy review, as it prints it. */
  readonly planSeconds: number;
}

/**
 * One offline plan (`tools/plan/cli.ts`) in a fresh process. Exit code 1 (blocking policy
 * violations) still is a complete plan, so it is timed like any other.
 */
export async function timePlan(
  label: string,
  stack: string,
  options: { readonly configDir?: string; readonly workDir: string },
): Promise<PlanTiming> {
  const json = join(options.workDir, `plan-${label}.json`);
  const logFile = join(options.workDir, `plan-${label}.log`);
  const args = ["tools/plan/cli.ts", "--stack", stack, "--json", json];
  if (options.configDir) args.push("--config-dir", options.configDir);
  const wallSeconds = await timeNodeCommand(`plan ${label}`, args, logFile, [0, 1]);
  const doc = JSON.parse(readFileSync(json, "utf8")) as { summary: { resourceCount: number } };
  const reported = /resources recorded and reviewed in ([\d.]+) s/.exec(readFileSync(logFile, "utf8"));
  return {
    label,
    stack,
    resources: doc.summary.resourceCount,
    wallSeconds,
    planSeconds: reported ? Number(reported[1]) : Number.NaN,
  };
}
