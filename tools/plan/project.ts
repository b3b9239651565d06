import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { StackFileConfig } from "../../stacks/config/siblings";

/** A usage or input error of the plan tool itself; the CLI prints it and exits with code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export interface ProjectFile {
  readonly name: string;
  readonly main: string;
}

/** The stack's config as the Pulumi CLI hands it to a program: `ns:key` → string. */
export interface StackSettings {
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
}

export function readProject(root: string): ProjectFile {
  const doc = parse(readFileSync(join(root, "Pulumi.yaml"), "utf8")) as { name?: unknown; main?: unknown };
  if (typeof doc?.name !== "string") throw new UsageError("Pulumi.yaml: `name` must be a string");
  return { name: doc.name, main: typeof doc.main === "string" ? doc.main : "." };
}

export function listStacks(root: string): string[] {
  return readdirSync(root)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/**
 * Reads `Pulumi.<stack>.yaml` and serializes it the way the CLI does for PULUMI_CONFIG: scalars as
 * strings, maps and lists as JSON. `secure:` values cannot be decrypted without the stack's secrets
 * provider, so they become a placeholder that is registered as secret and never printed.
 */
export function readStackSettings(root: string, stack: string): StackSettings {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(stack)) {
    throw new UsageError(`--stack: got "${stack}"; allowed: a stack name of letters, digits, _ . -`);
  }
  const file = join(root, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) {
    throw new UsageError(`--stack: got "${stack}"; allowed: one of ${listStacks(root).join(", ")}`);
  }
  const doc = (parse(readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    if (isSecure(value)) {
      config[key] = `offline-plan-placeholder:${key}`;
      secretKeys.push(key);
    } else {
      config[key] = typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
    }
  }
  return { config, secretKeys };
}

/**
 * Every stack file in `dir` but `except`'s, for the checks across stacks. A file that cannot be read
 * as a stack file is left out and named in `unreadable`: its own plan reports it.
 */
export function readOtherStacks(
  dir: string,
  except: string,
): { readonly stacks: StackFileConfig[]; readonly unreadable: string[] } {
  const stacks: StackFileConfig[] = [];
  const unreadable: string[] = [];
  for (const stack of listStacks(dir).filter((s) => s !== except)) {
    try {
      stacks.push({ stack, config: readStackSettings(dir, stack).config });
    } catch {
      unreadable.push(stack);
    }
  }
  return { stacks, unreadable };
}

function isSecure(value: unknown): boolean {
  return typeof value === "object" && value !== null && Object.keys(value).length === 1 && "secure" in value;
}
