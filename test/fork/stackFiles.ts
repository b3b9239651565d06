import { copyFileSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { listStacks } from "../../tools/plan/project";
import { repoRoot, runTool, tempDir } from "../support/cli";

/** A scratch directory holding a copy of the repository's stack files, so a fork never writes into it. */
export function copyOfStackFiles(): string {
  const dir = tempDir("fork");
  for (const stack of listStacks(repoRoot)) {
    copyFileSync(join(repoRoot, `Pulumi.${stack}.yaml`), join(dir, `Pulumi.${stack}.yaml`));
  }
  return dir;
}

/** Every file in `dir` (hidden and temporary ones too) with its content. */
export function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), "utf8")]));
}

export function runForkCli(args: readonly string[]) {
  return runTool("tools/fork/cli.ts", args);
}
