import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { PlanDocument, Violation } from "../plan/run";

export interface PlanOutcome {
  /** The plan CLI's exit code: 0 clean, 1 mandatory policy violations, 2 bad config, 3 program failed. */
  readonly code: number;
  readonly resourceCount?: number;
  readonly violations: readonly Violation[];
}

/**
 * Runs the offline plan CLI — the program under Pulumi's mocks, and the policy pack with it — for the
 * stack file `stackFile`, in its own process (the Pulumi runtime is global to a process). Its
 * progress goes to stderr as it comes; the outcome is read from the plan's JSON.
 */
export function planStack(root: string, stack: string, stackFile: string): Promise<PlanOutcome> {
  const json = join(dirname(stackFile), "plan.json");
  const args = ["--import", "tsx", join(root, "tools/plan/cli.ts"), "--stack", stack];
  const child = spawn(process.execPath, [...args, "--config-dir", dirname(stackFile), "--json", json], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
  return new Promise((done, fail) => {
    child.on("error", fail);
    child.on("close", (code) => {
      const doc = existsSync(json) ? (JSON.parse(readFileSync(json, "utf8")) as PlanDocument) : undefined;
      done({
        code: code ?? 3,
        resourceCount: doc?.summary.resourceCount,
        violations: doc?.violations ?? [],
      });
    });
  });
}
