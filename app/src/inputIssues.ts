import type { z } from "zod";

/**
 * A zod issue as one readable problem: the field's path (under `prefix`, e.g. `body`), what the
 * rule wants, and the value that broke it. Used for RuntimeConfig and HTTP input alike.
 */
export function describeIssue(
  issue: z.core.$ZodIssue,
  input: unknown,
  prefix: readonly string[] = [],
): { field: string; problem: string } {
  const field = [...prefix, ...issue.path.map(String)].join(".") || "(root)";
  if (issue.code === "unrecognized_keys")
    return { field, problem: `unknown field(s) ${issue.keys.join(", ")}` };
  return { field, problem: `${issue.message} (${describeValue(valueAt(input, issue.path))})` };
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function describeValue(value: unknown): string {
  if (value === undefined) return "missing";
  const text = JSON.stringify(value) ?? String(value);
  return `got ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}
