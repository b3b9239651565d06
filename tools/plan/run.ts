import { join, resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { stackCapacityProfile } from "../../stacks/config/capacity";
import { StackConfigError } from "../../stacks/config/errors";
import { resolveStackConfig } from "../../stacks/config/load";
import { crossStackProblems } from "../../stacks/config/siblings";
import { type CapacityReport, capacityReport } from "../capacity/report";
import { PolicyPackProcess, type StackContext } from "../policy/pack";
import {
  byLevelPolicyUrn,
  configurePack,
  type PolicyProgress,
  type PolicyReview,
  type PolicySummary,
  reviewStack,
  type Violation,
} from "../policy/review";
import { readOtherStacks, readProject, readStackSettings } from "./project";
import { checkProviderInputs, ProviderCheckError } from "./providerChecks";
import { type ComputedOutputs, type RecordedResource, type Recording, startRecording } from "./recorder";
import { resolvedOutputs } from "./resolvedOutputs";
import { type PassSummary, passSummary } from "./unknowns";

export type { PolicyProgress, PolicySummary, Violation };

/** The plan document: what `--json` writes, and what the reports are rendered from. */
export interface PlanDocument {
  readonly stack: string;
  readonly project: string;
  readonly resources: RecordedResource[];
  readonly outputs: Record<string, unknown>;
  /** How the policy pack was set up for this stack. */
  readonly policy: PolicySummary;
  readonly violations: Violation[];
  readonly summary: { readonly resourceCount: number; readonly byType: Record<string, number> };
  /**
   * What each pass left unknown: `preview` is the program as a preview sees it (the resources above);
   * `resolved` the same program with realistic outputs for computed values (resolvedOutputs.ts).
   */
  readonly passes: { readonly preview: PassSummary; readonly resolved: PassSummary };
  /** The declared sale: each size's need at its peak against the configured maximum, and its replay. */
  readonly capacity: CapacityReport;
}

export interface PlanOptions {
  /** Directory holding `Pulumi.<stack>.yaml`. @default the project root */
  readonly configDir?: string;
  /** Called as each resource registers, for progress display. */
  readonly onRegister?: (resource: RecordedResource, count: number) => void;
  /** Outputs to make known that a preview leaves unknown; tests only (see ComputedOutputs). */
  readonly computedOutputs?: ComputedOutputs;
  /**
   * The stack's policy pack config (what `pulumi preview --policy-pack-config` takes).
   * @default `policies/config/<stack>.json` when it exists, else the pack's tier defaults only
   */
  readonly policyConfig?: string;
  /** Called as the policy pack starts and as resources are reviewed, for progress display. */
  readonly onPolicyProgress?: (event: PolicyProgress) => void;
}

/** How long a failed program's registrations may take to settle before its error is reported. */
const failureGraceMs = 5_000;

/** The organization a stack on a self-managed backend belongs to, as the CLI names it. */
const organization = "organization";

/**
 * Runs the real Pulumi program for one stack in this process, under Pulumi's runtime mocks, the
 * way the Node.js language host runs it under `pulumi preview`: config is validated first (a bad
 * stack file throws StackConfigError before any resource exists), then the program's exported
 * function runs inside the root stack resource.
 */
export async function runPlan(root: string, stack: string, options: PlanOptions = {}): Promise<PlanDocument> {
  const project = readProject(root);
  const configDir = options.configDir ?? root;
  const settings = readStackSettings(configDir, stack);
  const config = resolveStackConfig(stack, settings.config);
  const { accountId, region } = config;
  // The program sees only its own stack's config; the plan, which sees the stack files, checks
  // what two stacks may not share.
  const others = readOtherStacks(configDir, stack).stacks;
  const shared = crossStackProblems({ stack, config: settings.config }, others);
  if (shared.length > 0) throw new StackConfigError(stack, shared);
  const context: StackContext = {
    stack,
    project: project.name,
    organization,
    config: settings.config,
    secretKeys: settings.secretKeys,
  };
  // The pack starts and is configured while the program runs, as the CLI loads policy packs before
  // it runs the program.
  const starting = PolicyPackProcess.start(join(root, "policies"), context);
  const configuring = starting.then((pack) =>
    configurePack(pack, {
      root,
      context,
      configFile: options.policyConfig ?? join(root, "policies", "config", `${stack}.json`),
      onProgress: options.onPolicyProgress,
    }),
  );
  configuring.catch(() => {}); // awaited below, once the program has run
  const closePack = () =>
    starting.then(
      (pack) => pack.close(),
      () => {},
    );
  try {
    const program = await programOf(root, project.main);
    const record = (onRegister: PlanOptions["onRegister"], computedOutputs?: ComputedOutputs) =>
      recordProgram(project.name, stack, program, {
        config: settings.config,
        secretKeys: settings.secretKeys,
        onRegister,
        computedOutputs,
      });
    const preview = await record(options.onRegister, options.computedOutputs);
    // What the mocks accepted but AWS or a provider would refuse fails the plan like a program error.
    const refused = await checkProviderInputs(preview.resources);
    if (refused.length > 0) throw new ProviderCheckError(refused);
    // The pack reviews the preview pass while this process records the resolved one.
    const previewReview = configuring.then((pack) => reviewStack(pack, preview.wire, "preview"));
    previewReview.catch(() => {}); // awaited below
    const resolved = await record(undefined, resolvedOutputs({ accountId, region }));
    const earlier = await previewReview;
    // Resources the resolved values left as they were are not analyzed again: same input, same findings.
    const reviews = {
      preview: earlier,
      resolved: await reviewStack(await configuring, resolved.wire, "resolved", earlier),
    };
    const capacity = capacityReport(config, stackCapacityProfile());
    return { ...planDocument(project.name, stack, { preview, resolved }, reviews), capacity };
  } finally {
    closePack();
  }
}

/** The project's Pulumi program: the function its main module exports (default or `export =`). */
export async function programOf(root: string, main: string): Promise<() => unknown> {
  const module = (await import(resolve(root, main))) as { default?: unknown };
  const program = typeof module.default === "function" ? module.default : module;
  if (typeof program !== "function")
    throw new Error(`${main} must export a function (export = async () => …)`);
  return () => program();
}

/**
 * Runs any function as a Pulumi program under the recording mocks and returns what it registered:
 * the plan runs the stack this way, and component tests run a single component. Programs run one
 * after another, never concurrently: the Pulumi runtime is global to the process.
 */
export async function recordProgram(
  project: string,
  stack: string,
  program: () => unknown,
  options: {
    config?: Record<string, string>;
    secretKeys?: string[];
    onRegister?: (resource: RecordedResource, count: number) => void;
    computedOutputs?: ComputedOutputs;
  } = {},
): Promise<Recording> {
  const finish = startRecording(project, stack, options.onRegister ?? (() => {}), options.computedOutputs);
  pulumi.runtime.setAllConfig(options.config ?? {}, options.secretKeys);
  // The program's own error is caught inside the stack and rethrown once the runtime is idle, so
  // it surfaces once, after every registration it started has settled. A program that failed
  // half-way may leave a resource waiting forever (a deferred output never resolved): after a grace
  // period its error is reported anyway, instead of a plan that never ends.
  let failure: { error: unknown } | undefined;
  let reportFailure: (error: unknown) => void = () => {};
  const failedWithoutSettling = new Promise<never>((_, reject) => {
    reportFailure = (error) => setTimeout(() => reject(error), failureGraceMs).unref();
  });
  failedWithoutSettling.catch(() => {});
  await Promise.race([
    (async () => {
      await pulumi.runtime.runInPulumiStack(async () => {
        try {
          return await program();
        } catch (error) {
          failure = { error };
          reportFailure(error);
          return {};
        }
      });
      await pulumi.runtime.disconnect();
    })(),
    failedWithoutSettling,
  ]);
  if (failure) throw failure.error;
  return finish();
}

/** Whether the plan must fail the pull request: any mandatory violation, from either pass. */
export function blocks(doc: PlanDocument): boolean {
  return doc.violations.some((v) => v.enforcementLevel === "mandatory");
}

/** A finding only the resolved pass makes says so; the preview pass's findings are kept as they are. */
export const resolvedOnly = "(judged on resolved values)";

function mergedViolations(reviews: Record<"preview" | "resolved", PolicyReview>): Violation[] {
  const key = (v: Violation) => `${v.policy}\n${v.urn}\n${v.message}`;
  const seen = new Set(reviews.preview.violations.map(key));
  const added = reviews.resolved.violations
    .filter((v) => !seen.has(key(v)))
    .map((v) => ({ ...v, message: `${v.message} ${resolvedOnly}` }));
  return [...reviews.preview.violations, ...added].sort(byLevelPolicyUrn);
}

function planDocument(
  project: string,
  stack: string,
  recordings: Record<"preview" | "resolved", Recording>,
  reviews: Record<"preview" | "resolved", PolicyReview>,
): Omit<PlanDocument, "capacity"> {
  const { resources, outputs } = recordings.preview;
  const byType: Record<string, number> = {};
  for (const r of resources) byType[r.type] = (byType[r.type] ?? 0) + 1;
  return {
    stack,
    project,
    resources,
    outputs,
    policy: reviews.preview.summary,
    violations: mergedViolations(reviews),
    summary: {
      resourceCount: resources.length,
      byType: Object.fromEntries(Object.entries(byType).sort(([a], [b]) => a.localeCompare(b))),
    },
    passes: {
      preview: passSummary(resources, false),
      resolved: passSummary(recordings.resolved.resources, true),
    },
  };
}
