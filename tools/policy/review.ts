import { existsSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import {
  type EnforcementLevel,
  type PolicyConfig,
  PolicyConfigError,
  type PolicyInfo,
  parsePolicyConfig,
  reconcilePolicyConfig,
  stackConfigProblems,
} from "./config";
import type { AnalyzerInput, Diagnostic, PolicyPackProcess, StackContext } from "./pack";
import { engineValue, providerOf, type WireGraph, type WireResource } from "./wire";

/** One finding, as the plan's JSON lists it. */
export interface Violation {
  readonly policy: string;
  readonly enforcementLevel: "advisory" | "mandatory";
  readonly urn: string;
  /** What is wrong with this resource or stack. */
  readonly message: string;
  /** The policy's description: what it requires and how to fix a violation. */
  readonly fix: string;
}

/** How the pack was set up for the stack, for the reports. */
export interface PolicySummary {
  readonly pack: string;
  /** The stack's policy config file, relative to the project, or null when the stack has none. */
  readonly configFile: string | null;
  readonly rules: Readonly<Record<"mandatory" | "advisory" | "disabled", number>>;
  /** Each entry of the stack's config file: a policy set differently for this stack, and why. */
  readonly stackSettings: readonly {
    readonly policy: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly reason: string;
  }[];
  /** Per control family (from each policy's `family:` tag): its rules and the published controls they cite. */
  readonly coverage: Readonly<
    Record<string, { readonly rules: number; readonly controls: readonly string[] }>
  >;
}

/** Counts the pack's rules and cited controls per family, from the tags GetAnalyzerInfo lists. */
function coverageOf(policies: readonly PolicyInfo[]): PolicySummary["coverage"] {
  const families = new Map<string, { rules: number; controls: Set<string> }>();
  for (const policy of policies) {
    const family = policy.tags.find((t) => t.startsWith("family:"))?.slice("family:".length) ?? "(none)";
    const entry = families.get(family) ?? { rules: 0, controls: new Set<string>() };
    entry.rules++;
    for (const tag of policy.tags)
      if (tag.startsWith("control:")) entry.controls.add(tag.slice("control:".length));
    families.set(family, entry);
  }
  return Object.fromEntries(
    [...families.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([family, { rules, controls }]) => [family, { rules, controls: [...controls].sort() }]),
  );
}

export interface PolicyReview {
  readonly summary: PolicySummary;
  readonly violations: Violation[];
  /** Each resource's Analyze input as JSON, by URN: what a later pass compares against. */
  readonly analyzed: ReadonlyMap<string, string>;
}

export type PolicyProgress =
  | { readonly phase: "configured"; readonly pack: string; readonly rules: number }
  | {
      readonly phase: "review";
      /** Which recording of the program is reviewed: as a preview has it, or with resolved values. */
      readonly pass: ReviewPass;
      readonly done: number;
      readonly total: number;
    };

export type ReviewPass = "preview" | "resolved";

export interface ReviewOptions {
  readonly root: string;
  readonly context: StackContext;
  /** The stack's policy config file (`--policy-pack-config`); absent means tier defaults only. */
  readonly configFile?: string;
  readonly onProgress?: (event: PolicyProgress) => void;
}

/** How many Analyze calls are in flight at once: enough to keep the pack busy, few enough to stay small. */
const concurrency = 32;

function analyzerInputs(
  graph: WireGraph,
  context: StackContext,
): { each: AnalyzerInput[]; stack: AnalyzerInput[] } {
  const byUrn = new Map(graph.resources.map((r) => [r.urn, r]));
  const input = (r: WireResource, properties: Record<string, unknown>): AnalyzerInput => {
    const provider = providerOf(r, byUrn, context);
    return {
      urn: r.urn,
      type: r.type,
      name: r.name,
      properties: engineValue(properties) as Record<string, unknown>,
      options: r.options,
      ...(provider ? { provider } : {}),
      parent: r.parent,
      dependencies: r.dependencies,
      propertyDependencies: r.propertyDependencies,
    };
  };
  return {
    // Analyze reads a resource's inputs; AnalyzeStack its outputs, which a preview of a create makes
    // its inputs (custom resources) or what it registered (components).
    each: graph.resources.map((r) => input(r, r.properties)),
    stack: graph.resources.map((r) => input(r, r.custom ? r.properties : (graph.outputs.get(r.urn) ?? {}))),
  };
}

/**
 * Reads the stack's config file: the CLI's parsing, then Crest's own rules (known policy names, a
 * reason on every entry). Every problem is reported at once.
 */
function loadStackConfig(root: string, file: string | undefined, policies: readonly PolicyInfo[]) {
  if (!file || !existsSync(file))
    return { source: null, given: new Map<string, PolicyConfig>(), text: "", problems: [] };
  const inProject = relative(root, file);
  const source = inProject && !inProject.startsWith("..") ? inProject : file;
  const text = readFileSync(file, "utf8");
  try {
    return {
      source,
      given: parsePolicyConfig(text, source),
      text,
      problems: stackConfigProblems(policies, text),
    };
  } catch (error) {
    if (!(error instanceof PolicyConfigError)) throw error;
    return { source, given: new Map<string, PolicyConfig>(), text: "{}", problems: [...error.problems] };
  }
}

function violationOf(d: Diagnostic, urn: string, fixes: ReadonlyMap<string, string>): Violation {
  // The pack reports `description\nfinding`; the description is kept apart as the fix.
  const finding = d.message.startsWith(d.description)
    ? d.message.slice(d.description.length).trim()
    : d.message;
  return {
    policy: d.policy,
    enforcementLevel: d.enforcementLevel === "advisory" ? "advisory" : "mandatory",
    urn,
    message: finding || "violates the policy",
    fix: fixes.get(d.policy) ?? d.description,
  };
}

export const byLevelPolicyUrn = (a: Violation, b: Violation) =>
  a.enforcementLevel.localeCompare(b.enforcementLevel) * -1 ||
  a.policy.localeCompare(b.policy) ||
  a.urn.localeCompare(b.urn) ||
  a.message.localeCompare(b.message);

/** The pack, configured for one stack: what GetAnalyzerInfo said and the settings sent with Configure. */
export interface ConfiguredPack {
  readonly pack: PolicyPackProcess;
  readonly options: ReviewOptions;
  readonly fixes: ReadonlyMap<string, string>;
  readonly summary: PolicySummary;
}

/**
 * Sets the pack up as `pulumi preview` does before the program runs: ConfigureStack, GetAnalyzerInfo,
 * then Configure with each policy's tier default, the pack's initial config and the stack's config
 * file, reconciled and validated against the policies' schemas.
 */
export async function configurePack(
  pack: PolicyPackProcess,
  options: ReviewOptions,
): Promise<ConfiguredPack> {
  await pack.configureStack(options.context);
  const info = await pack.info();
  const stackConfig = loadStackConfig(options.root, options.configFile, info.policies);
  const source = stackConfig.source ?? "(defaults)";
  let config: Map<string, PolicyConfig>;
  try {
    config = reconcilePolicyConfig(info.policies, info.initialConfig, stackConfig.given, source);
  } catch (error) {
    if (!(error instanceof PolicyConfigError)) throw error;
    throw new PolicyConfigError(source, [...stackConfig.problems, ...error.problems]);
  }
  if (stackConfig.problems.length > 0) throw new PolicyConfigError(source, stackConfig.problems);
  await pack.configure(config);
  const name = `${info.name}@${info.version}`;
  options.onProgress?.({ phase: "configured", pack: name, rules: info.policies.length });

  const rules = { mandatory: 0, advisory: 0, disabled: 0 };
  for (const policy of info.policies) {
    const level = config.get(policy.name)?.enforcementLevel ?? policy.enforcementLevel;
    rules[level === "remediate" ? "mandatory" : level]++;
  }
  const document = JSON.parse(stackConfig.text || "{}") as Record<string, { reason?: string }>;
  return {
    pack,
    options,
    fixes: new Map(info.policies.map((p) => [p.name, p.description])),
    summary: {
      pack: name,
      configFile: stackConfig.source,
      rules,
      stackSettings: Object.entries(document).map(([policy, entry]) => ({
        policy,
        enforcementLevel:
          (policy === "all" ? stackConfig.given.get("all") : config.get(policy))?.enforcementLevel ??
          "advisory",
        reason: entry.reason ?? "",
      })),
      coverage: coverageOf(info.policies),
    },
  };
}

/**
 * Reviews a recorded program with the configured pack, as `pulumi preview` does: Analyze for every
 * resource in registration order, then AnalyzeStack over the whole stack. Given an `earlier` review
 * of the same program, a resource whose Analyze input is the same as then is not sent again: the
 * pack's resource rules would find what they found then (AnalyzeStack always runs in full).
 */
export async function reviewStack(
  configured: ConfiguredPack,
  graph: WireGraph,
  pass: ReviewPass = "preview",
  earlier?: PolicyReview,
): Promise<PolicyReview> {
  const { pack, options, fixes } = configured;
  const inputs = analyzerInputs(graph, options.context);
  const analyzed = new Map(inputs.each.map((r) => [r.urn, JSON.stringify(r)]));
  const changed = inputs.each.filter((r) => earlier?.analyzed.get(r.urn) !== analyzed.get(r.urn));
  const total = changed.length + 1;
  const violations: Violation[] = [];
  for (let start = 0; start < changed.length; start += concurrency) {
    const batch = changed.slice(start, start + concurrency);
    const results = await Promise.all(batch.map((r) => pack.analyze(r)));
    results.forEach((diagnostics, i) => {
      // The engine files a resource's diagnostics under that resource, whatever URN the pack names.
      for (const d of diagnostics) violations.push(violationOf(d, batch[i]?.urn ?? d.urn, fixes));
    });
    options.onProgress?.({ phase: "review", pass, done: start + batch.length, total });
  }
  const stackUrn = graph.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? "";
  for (const d of await pack.analyzeStack(inputs.stack))
    violations.push(violationOf(d, d.urn || stackUrn, fixes));
  options.onProgress?.({ phase: "review", pass, done: total, total });
  return { summary: configured.summary, violations: violations.sort(byLevelPolicyUrn), analyzed };
}
