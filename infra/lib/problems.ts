import * as pulumi from "@pulumi/pulumi";

/** One thing wrong with an argument or a config key: where, what it was, and what is allowed. */
export interface Problem {
  /** Dotted path of the offending field, e.g. `vpcCidr` or `crest:network.vpcCidr`. */
  readonly path: string;
  /** The value that was given; `undefined` when the field is missing. */
  readonly value: unknown;
  /** What would have been accepted, phrased to complete "allowed: …". */
  readonly allowed: string;
}

export function showValue(value: unknown): string {
  if (value === undefined) return "nothing";
  return JSON.stringify(value) ?? String(value);
}

/** `path: got <value>; allowed: <allowed>` — the one line every Crest validation error prints. */
export function describeProblem(problem: Problem): string {
  return `${problem.path}: got ${showValue(problem.value)}; allowed: ${problem.allowed}`;
}

/**
 * Throws the engine's structured input error when a component's arguments are invalid. Called in a
 * component constructor before any child resource is declared, so nothing is half-registered.
 */
export function assertValidArgs(type: string, name: string, problems: readonly Problem[]): void {
  if (problems.length === 0) return;
  throw new pulumi.InputPropertiesError({
    message: `invalid arguments for ${type} "${name}":\n${problems.map(describeProblem).join("\n")}`,
    errors: problems.map((p) => ({
      propertyPath: p.path,
      reason: `got ${showValue(p.value)}; allowed: ${p.allowed}`,
    })),
  });
}
