import { resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { resolveStackConfig } from "../../stacks/config/load";
import { readProject, readStackSettings } from "./project";
import { type ComputedOutputs, type RecordedResource, type Recording, startRecording } from "./recorder";

export interface Violation {
  readonly policy: string;
  readonly enforcementLevel: "advisory" | "mandatory";
  readonly urn: string;
  readonly message: string;
}

/** The plan document: what `--json` writes, and what the reports are rendered from. */
export interface PlanDocument {
  readonly stack: string;
  readonly project: string;
  readonly resources: RecordedResource[];
  readonly outputs: Record<string, unknown>;
  readonly violations: Violation[];
  readonly summary: { readonly resourceCount: number; readonly byType: Record<string, number> };
}

export interface PlanOptions {
  /** Directory holding `Pulumi.<stack>.yaml`. @default the project root */
  readonly configDir?: string;
  /** Called as each resource registers, for progress display. */
  readonly onRegister?: (resource: RecordedResource, count: number) => void;
  /** Outputs to make known that a preview leaves unknown; tests only (see ComputedOutputs). */
  readonly computedOutputs?: ComputedOutputs;
}

/**
 * Runs the real Pulumi program for one stack in this process, under Pulumi's runtime mocks, the
 * way the Node.js language host runs it under `pulumi preview`: config is validated first (a bad
 * stack file throws StackConfigError before any resource exists), then the program's exported
 * function runs inside the root stack resource.
 */
export async function runPlan(root: string, stack: string, options: PlanOptions = {}): Promise<PlanDocument> {
  const project = readProject(root);
  const settings = readStackSettings(options.configDir ?? root, stack);
  resolveStackConfig(stack, settings.config);
  const module = (await import(resolve(root, project.main))) as { default?: unknown };
  const main = typeof module.default === "function" ? module.default : module;
  if (typeof main !== "function") {
    throw new Error(`${project.main} must export a function (export = async () => …)`);
  }
  const recording = await recordProgram(project.name, stack, () => main(), {
    config: settings.config,
    secretKeys: settings.secretKeys,
    onRegister: options.onRegister,
    computedOutputs: options.computedOutputs,
  });
  return planDocument(project.name, stack, recording);
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
  // it surfaces once, after every registration it started has settled.
  let failure: { error: unknown } | undefined;
  await pulumi.runtime.runInPulumiStack(async () => {
    try {
      return await program();
    } catch (error) {
      failure = { error };
      return {};
    }
  });
  await pulumi.runtime.disconnect();
  if (failure) throw failure.error;
  return finish();
}

function planDocument(project: string, stack: string, { resources, outputs }: Recording): PlanDocument {
  const byType: Record<string, number> = {};
  for (const r of resources) byType[r.type] = (byType[r.type] ?? 0) + 1;
  return {
    stack,
    project,
    resources,
    outputs,
    violations: [],
    summary: {
      resourceCount: resources.length,
      byType: Object.fromEntries(Object.entries(byType).sort(([a], [b]) => a.localeCompare(b))),
    },
  };
}
