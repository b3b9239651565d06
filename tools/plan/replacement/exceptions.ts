import { existsSync, readFileSync } from "node:fs";

/** The policy whose stack config lists the replacements a change may make (policies/rules). */
export const exceptionPolicy = "reliability-deletion-protection";

/**
 * The stateful or protected resources the stack's policy config allows a change to replace or
 * delete, by resource name or URN, with the reason given. The pack has validated the file's shape
 * (the policy's config schema) before the review reads it.
 */
export function replacementExceptions(configFile: string | undefined): ReadonlyMap<string, string> {
  if (!configFile || !existsSync(configFile)) return new Map();
  const document = JSON.parse(readFileSync(configFile, "utf8")) as Record<
    string,
    { allowReplacement?: { resource: string; reason: string }[] } | string
  >;
  const entry = document[exceptionPolicy];
  const allowed = typeof entry === "object" ? (entry.allowReplacement ?? []) : [];
  return new Map(allowed.map((a) => [a.resource, a.reason]));
}
