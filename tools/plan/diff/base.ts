import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UsageError } from "../project";
import type { RecordedResource } from "../recorder";

/** What the diff needs of the base's plan: a saved `--json` document has it. */
export interface BasePlan {
  /** The ref or file given, for the report. */
  readonly label: string;
  readonly resources: RecordedResource[];
}

const allowed =
  "allowed: a git ref of this repository (branch, tag, commit) or a plan JSON file written by --json";

function readPlanJson(file: string, stack: string): BasePlan {
  let doc: { stack?: unknown; resources?: unknown };
  try {
    doc = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new UsageError(
      `--base: got "${file}", which is not JSON (${(error as Error).message}); ${allowed}`,
    );
  }
  if (!Array.isArray(doc.resources))
    throw new UsageError(`--base: got "${file}", which has no "resources" list; ${allowed}`);
  if (doc.stack !== stack)
    throw new UsageError(
      `--base: got "${file}", a plan of stack ${JSON.stringify(doc.stack)}; allowed: a plan of stack "${stack}"`,
    );
  return { label: file, resources: doc.resources as RecordedResource[] };
}

function commitOf(root: string, ref: string): string {
  try {
    return execFileSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    throw new UsageError(
      `--base: got "${ref}", which is neither a file nor a commit of this repository; ${allowed}`,
    );
  }
}

/**
 * Plans the stack as the base commit has it, with the base's own program and plan tool: a detached
 * `git worktree` of the commit in a temporary directory, sharing this checkout's node_modules, removed
 * afterwards. A stack the base does not have yet has no resources there.
 */
function planAtCommit(root: string, ref: string, stack: string, log: (line: string) => void): BasePlan {
  const commit = commitOf(root, ref);
  const dir = mkdtempSync(join(tmpdir(), "crest-base-"));
  const tree = join(dir, "tree");
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
  git("worktree", "add", "--detach", tree, commit);
  try {
    if (!existsSync(join(tree, `Pulumi.${stack}.yaml`))) {
      log(
        `[plan ${stack}] base ${ref} (${commit.slice(0, 12)}) has no Pulumi.${stack}.yaml: every resource is added`,
      );
      return { label: ref, resources: [] };
    }
    symlinkSync(join(root, "node_modules"), join(tree, "node_modules"), "dir");
    log(`[plan ${stack}] planning the base ${ref} (${commit.slice(0, 12)})`);
    const json = join(dir, "base.json");
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "tools/plan/cli.ts", "--stack", stack, "--json", json],
      {
        cwd: tree,
        encoding: "utf8",
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    // Exit 1 is a plan with blocking findings: its graph is as good as any.
    if ((run.status !== 0 && run.status !== 1) || !existsSync(json)) {
      throw new UsageError(
        `--base: got "${ref}", whose plan of stack "${stack}" failed (exit ${run.status}):\n${run.stderr.trim().split("\n").slice(-8).join("\n")}`,
      );
    }
    return {
      label: ref,
      resources: relocate(readPlanJson(json, stack).resources, tree, root) as RecordedResource[],
    };
  } finally {
    git("worktree", "remove", "--force", tree);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Inputs that hold the checkout's own path (a Docker build context) name the temporary worktree in
 * the base's plan; they are moved to this checkout, where the head was planned, so that where the
 * base was checked out is no change.
 */
function relocate(value: unknown, from: string, to: string): unknown {
  if (typeof value === "string") return value.startsWith(from) ? to + value.slice(from.length) : value;
  if (Array.isArray(value)) return value.map((v) => relocate(v, from, to));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, relocate(v, from, to)]));
}

/** The base's plan: read from a saved plan JSON file, or planned from a git ref. */
export function loadBase(root: string, base: string, stack: string, log: (line: string) => void): BasePlan {
  if (existsSync(base) && statSync(base).isFile()) return readPlanJson(base, stack);
  return planAtCommit(root, base, stack, log);
}
