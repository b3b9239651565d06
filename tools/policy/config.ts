import { z } from "zod";

export const enforcementLevels = ["advisory", "mandatory", "remediate", "disabled"] as const;
export type EnforcementLevel = (typeof enforcementLevels)[number];

/** A policy as the pack describes it (GetAnalyzerInfo). */
export interface PolicyInfo {
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly tags: readonly string[];
  readonly configSchema?: {
    readonly properties: Record<string, object>;
    readonly required: readonly string[];
  };
}

/** One policy's settings: what `--policy-pack-config` gives and what Configure sends. */
export interface PolicyConfig {
  readonly enforcementLevel?: EnforcementLevel;
  readonly properties: Record<string, unknown>;
}

/** A stack's policy config is unusable; the plan prints one line per problem and exits 2. */
export class PolicyConfigError extends Error {
  override readonly name = "PolicyConfigError";
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`policy config ${source} has ${problems.length} problem(s):\n${problems.join("\n")}`);
  }
}

const isLevel = (value: unknown): value is EnforcementLevel =>
  typeof value === "string" && (enforcementLevels as readonly string[]).includes(value);
const levelsText = enforcementLevels.map((l) => `"${l}"`).join(", ");

/**
 * Parses a policy pack config file as the Pulumi CLI does (`--policy-pack-config`): a JSON object whose
 * keys are policy names (or "all") and whose values are an enforcement level or an object with an
 * optional `enforcementLevel` and the policy's settings.
 */
export function parsePolicyConfig(text: string, source: string): Map<string, PolicyConfig> {
  const result = new Map<string, PolicyConfig>();
  if (text.trim() === "") return result;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new PolicyConfigError(source, [
      `(file): got invalid JSON (${(error as Error).message}); allowed: a JSON object`,
    ]);
  }
  if (document === null || typeof document !== "object" || Array.isArray(document)) {
    throw new PolicyConfigError(source, [`(file): got ${JSON.stringify(document)}; allowed: a JSON object`]);
  }
  const problems: string[] = [];
  for (const [name, value] of Object.entries(document)) {
    if (typeof value === "string") {
      if (isLevel(value)) result.set(name, { enforcementLevel: value, properties: {} });
      else
        problems.push(`${name}: got ${JSON.stringify(value)}; allowed: an enforcement level (${levelsText})`);
    } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      const { enforcementLevel, ...properties } = value as Record<string, unknown>;
      if (enforcementLevel !== undefined && !isLevel(enforcementLevel)) {
        problems.push(
          `${name}.enforcementLevel: got ${JSON.stringify(enforcementLevel)}; allowed: one of ${levelsText}`,
        );
      } else if (enforcementLevel !== undefined || Object.keys(properties).length > 0) {
        result.set(name, { ...(enforcementLevel ? { enforcementLevel } : {}), properties });
      }
    } else {
      problems.push(`${name}: got ${JSON.stringify(value)}; allowed: an enforcement level or an object`);
    }
  }
  if (problems.length > 0) throw new PolicyConfigError(source, problems);
  return result;
}

function schemaDefaults(policy: PolicyInfo): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
    if ("default" in schema) defaults[key] = (schema as { default: unknown }).default;
  }
  return defaults;
}

/** The engine's applyConfig: "all" sets every policy's level, then each named policy's entry applies. */
function applyConfig(result: Map<string, PolicyConfig>, given: ReadonlyMap<string, PolicyConfig>): void {
  const all = given.get("all")?.enforcementLevel;
  if (all) for (const [name, config] of result) result.set(name, { ...config, enforcementLevel: all });
  for (const [name, config] of given) {
    const current = result.get(name);
    result.set(name, {
      enforcementLevel: config.enforcementLevel ?? current?.enforcementLevel,
      properties: { ...current?.properties, ...config.properties },
    });
  }
}

/**
 * The engine's ReconcilePolicyPackConfig: each policy's default level and schema defaults, then the
 * pack's initial config, then the stack's; every policy's settings are validated against its schema.
 */
export function reconcilePolicyConfig(
  policies: readonly PolicyInfo[],
  initial: ReadonlyMap<string, PolicyConfig>,
  given: ReadonlyMap<string, PolicyConfig>,
  source: string,
): Map<string, PolicyConfig> {
  const result = new Map<string, PolicyConfig>(
    policies.map((p) => [p.name, { enforcementLevel: p.enforcementLevel, properties: schemaDefaults(p) }]),
  );
  applyConfig(result, initial);
  applyConfig(result, given);
  const problems: string[] = [];
  for (const policy of policies) {
    if (!policy.configSchema) continue;
    const schema = z.fromJSONSchema({
      type: "object",
      properties: policy.configSchema.properties,
      required: [...policy.configSchema.required],
    } as Parameters<typeof z.fromJSONSchema>[0]);
    const properties = result.get(policy.name)?.properties ?? {};
    const parsed = schema.safeParse(properties);
    for (const issue of parsed.success ? [] : parsed.error.issues) {
      const path = [policy.name, ...issue.path.map(String)].join(".");
      const value = issue.path.reduce<unknown>(
        (node, key) => (node as Record<PropertyKey, unknown>)?.[key],
        properties,
      );
      problems.push(`${path}: got ${JSON.stringify(value) ?? "nothing"}; allowed: ${issue.message}`);
    }
  }
  if (problems.length > 0) throw new PolicyConfigError(source, problems);
  return result;
}

/**
 * Crest's rules for a stack's config file, stricter than the engine's: every key names a policy of
 * the pack (or "all"), and every entry is an object that says why (`reason`), so silencing a rule
 * for one stack is always a reviewed, explained decision.
 */
export function stackConfigProblems(policies: readonly PolicyInfo[], text: string): string[] {
  const document = JSON.parse(text || "{}") as Record<string, unknown>;
  const names = new Set(policies.map((p) => p.name));
  return Object.entries(document).flatMap(([name, value]) => {
    if (name !== "all" && !names.has(name)) {
      return [
        `${name}: got a policy name the pack does not have; allowed: "all" or one of the pack's policies`,
      ];
    }
    const reason =
      value !== null && typeof value === "object" ? (value as Record<string, unknown>).reason : undefined;
    if (typeof reason !== "string" || reason.trim() === "") {
      return [
        `${name}.reason: got ${JSON.stringify(reason) ?? "nothing"}; allowed: a sentence saying why this stack differs`,
      ];
    }
    return [];
  });
}
