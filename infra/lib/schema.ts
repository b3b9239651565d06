import { z } from "zod";
import type { Problem } from "./problems";

/**
 * Component arguments are declared as zod schemas: type, limits, description and baseline default
 * live in one place, and config, docs and checks derive from them. Every error message is an
 * "allowed: …" phrase, so a problem always says what would have been accepted.
 */
export const allowed = (phrase: string) => ({ error: phrase });

/** A whole number from `min` to `max`; `why` says where the limits come from. The one range check. */
export function integer(min: number, max: number, why?: string) {
  const phrase = allowed(`an integer from ${min} to ${max}${why ? ` (${why})` : ""}`);
  return z.number(phrase).int(phrase).min(min, phrase).max(max, phrase);
}

/** A whole number of at least `min`, for limits without a ceiling; `phrase` says what is allowed. */
export function integerAtLeast(min: number, phrase: string) {
  return z.number(allowed(phrase)).int(allowed(phrase)).min(min, allowed(phrase));
}

/**
 * An AWS account id: 12 digits in a string (as a number it would lose leading zeros). `phrase` says
 * what is allowed where the id is typed (a stack file must quote it).
 */
export function accountId(phrase = "a 12-digit AWS account id") {
  return z.string(allowed(phrase)).regex(/^\d{12}$/, allowed(phrase));
}

/** An AWS region's name, by its shape; which regions a stack may use is the config's concern. */
export const regionName = z
  .string(allowed('an AWS region name, e.g. "eu-west-1"'))
  .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, allowed('an AWS region name, e.g. "eu-west-1"'));

/** One value of arguments not declared as a schema, checked with `schema`: its first problem, at `path`. */
export function valueProblems(path: string, value: unknown, schema: z.ZodType): Problem[] {
  const issues = schema.safeParse(value).error?.issues ?? [];
  return issueProblems(issues, value).map((problem) => ({ ...problem, path }));
}

/** The range check of `integer` on one value of arguments not declared as a schema; `undefined` passes. */
export function integerProblems(
  path: string,
  value: unknown,
  min: number,
  max: number,
  why?: string,
): Problem[] {
  return value === undefined ? [] : valueProblems(path, value, integer(min, max, why));
}

/** A zod issue path as Crest prints it: `nodesPerAz.min`, `nodeInstanceTypes[0]`. */
export function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join("");
}

/** The value at a zod issue path; `undefined` where the path leads nowhere. */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (node, segment) =>
      node !== null && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[segment] : undefined,
    input,
  );
}

/** Problems as zod reports them: one per field (the first), named by path, with the value given. */
export function issueProblems(issues: readonly z.core.$ZodIssue[], input: unknown): Problem[] {
  const seen = new Set<string>();
  return issues.flatMap((issue) => {
    const path = pathText(issue.path);
    if (seen.has(path)) return [];
    seen.add(path);
    return [{ path, value: valueAt(input, issue.path), allowed: issue.message }];
  });
}

/**
 * Parses a component's settings: every problem found, and the settings with baseline defaults
 * applied, for the checks across fields. Where a field is bad those checks see its default instead,
 * so one run reports every problem it can; `settings` is undefined only when a required field is bad.
 * Fields the schema does not declare (Pulumi inputs: ids, ARNs) are not its concern.
 */
export function parseSettings<S extends z.ZodType>(
  schema: S,
  input: unknown,
): { settings: z.output<S> | undefined; problems: Problem[] } {
  const result = schema.safeParse(input);
  if (result.success) return { settings: result.data, problems: [] };
  const bad = new Set(result.error.issues.map((issue) => issue.path[0]));
  const rest = Object.fromEntries(Object.entries(input as object).filter(([key]) => !bad.has(key)));
  return { settings: schema.safeParse(rest).data, problems: issueProblems(result.error.issues, input) };
}
