import { resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { resolveStackConfig } from "../../stacks/config/load";
import { readProject, readStackSettings } from "./project";
import { type RecordedResource, startRecording } from "./recorder";

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

/**
 * Runs the real Pulumi program for one stack in this process, under Pulumi's runtime mocks, the
 * way the Node.js language host runs it under `pulumi preview`: config is validated first (a bad
 * stack file throws StackConfigError before any resource exists), then the program's exported
 * function runs inside the root stack resource. One plan per process: the Pulumi runtime is global.
 */
export async function runPlan(
  root: string,
  stack: string,
  onRegister: (resource: RecordedResource, count: number) => void = () => {},
): Promise<PlanDocument> {
  const project = readProject(root);
  const settings = readStackSettings(root, stack);
  resolveStackConfig(stack, settings.config);

  const finish = startRecording(project.name, stack, onRegister);
  pulumi.runtime.setAllConfig(settings.config, settings.secretKeys);
  const program = (await import(resolve(root, project.main))) as { default?: unknown };
  const main = typeof program.default === "function" ? program.default : program;
  if (typeof main !== "function")
    throw new Error(`${project.main} must export a function (export = async () => …)`);
  await pulumi.runtime.runInPulumiStack(async () => main());
  await pulumi.runtime.disconnect();

  const { resources, outputs } = finish();
  const byType: Record<string, number> = {};
  for (const r of resources) byType[r.type] = (byType[r.type] ?? 0) + 1;
  return {
    stack,
    project: project.name,
    resources,
    outputs,
    violations: [],
    summary: {
      resourceCount: resources.length,
      byType: Object.fromEntries(Object.entries(byType).sort(([a], [b]) => a.localeCompare(b))),
    },
  };
}
