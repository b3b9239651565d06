import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { StackConfigError } from "../../stacks/config/errors";
import { resolveStackConfig } from "../../stacks/config/load";
import { PolicyConfigError } from "../policy/config";
import { formatCostMarkdown, formatCostSummary } from "./cost/format";
import { planCost } from "./cost/fromPlan";
import { loadBase } from "./diff/base";
import { type ChangeReview, formatChangeMarkdown, formatChangeSummary, reviewChange } from "./diff/review";
import { renderManifests } from "./manifests";
import { stackFlowchart } from "./picture/flowchart";
import { readStackSettings, UsageError } from "./project";
import { ProviderCheckError } from "./providerChecks";
import type { RecordedResource } from "./recorder";
import { replacementExceptions } from "./replacement/exceptions";
import { formatJson, formatMarkdown, formatSummary } from "./report";
import { blocks, type PolicyProgress, runPlan } from "./run";

/** Exit codes, as documented in the README. */
export const exitCodes = { ok: 0, blockingViolations: 1, badInput: 2, programError: 3 } as const;

const usage = `usage: npm run plan -- --stack <name> [--json <file>] [--out <dir>] [--config-dir <dir>] [--manifests <dir>] [--policy-config <file>] [--base <ref|file>]
  --stack <name>   stack to plan (a Pulumi.<name>.yaml next to Pulumi.yaml)
  --config-dir <dir>  read Pulumi.<name>.yaml from this directory instead
  --json <file>    write the plan document as JSON
  --out <dir>      write a Markdown report (plan-<stack>.md) for a pull-request comment
  --manifests <dir>  write every Kubernetes object as YAML, one file per object
  --policy-config <file>  the stack's policy pack config (default: policies/config/<stack>.json if present)
  --base <ref|file>  review the change against a git ref (planned in a temporary worktree) or a saved --json plan`;

function parse(argv: string[]) {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        stack: { type: "string" },
        json: { type: "string" },
        out: { type: "string" },
        "config-dir": { type: "string" },
        manifests: { type: "string" },
        "policy-config": { type: "string" },
        base: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    });
    if (!values.stack) throw new UsageError("--stack: got nothing; allowed: a stack name, e.g. --stack dev");
    return {
      stack: values.stack,
      json: values.json,
      out: values.out,
      configDir: values["config-dir"],
      manifests: values.manifests,
      policyConfig: values["policy-config"],
      base: values.base,
    };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message);
  }
}

function progress(stack: string): (resource: RecordedResource, count: number) => void {
  if (process.stderr.isTTY) {
    return (resource, count) =>
      process.stderr.write(`\r\x1b[K[plan ${stack}] ${count} resources — ${resource.type}`);
  }
  return (resource, count) => {
    if (!resource.custom)
      process.stderr.write(`[plan ${stack}] ${count} resources — ${resource.type} ${resource.name}\n`);
  };
}

function policyProgress(stack: string): (event: PolicyProgress) => void {
  return (event) => {
    if (event.phase === "configured") {
      if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
      process.stderr.write(`[plan ${stack}] policy pack ${event.pack}: ${event.rules} rules configured\n`);
    } else if (process.stderr.isTTY) {
      process.stderr.write(
        `\r\x1b[K[plan ${stack}] policy review (${event.pass}) ${event.done}/${event.total}`,
      );
    } else if (event.done === event.total) {
      process.stderr.write(
        `[plan ${stack}] policy review (${event.pass}): ${event.total - 1} resources and the stack\n`,
      );
    }
  };
}

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

async function main(argv: string[]): Promise<number> {
  const args = parse(argv);
  const root = resolve(__dirname, "../..");
  if (args.policyConfig && !existsSync(resolve(args.policyConfig))) {
    throw new UsageError(
      `--policy-config: got "${args.policyConfig}"; allowed: an existing policy pack config file`,
    );
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  // The base is read (or planned) first, so a bad --base fails before the head is planned.
  const base = args.base === undefined ? undefined : loadBase(root, args.base, args.stack, log);
  const started = performance.now();
  const doc = await runPlan(root, args.stack, {
    configDir: args.configDir && resolve(args.configDir),
    onRegister: progress(args.stack),
    policyConfig: args.policyConfig && resolve(args.policyConfig),
    onPolicyProgress: policyProgress(args.stack),
  });
  if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stderr.write(
    `[plan ${args.stack}] ${doc.summary.resourceCount} resources recorded and reviewed in ${seconds} s\n`,
  );
  const { tier, region } = resolveStackConfig(
    args.stack,
    readStackSettings(args.configDir ? resolve(args.configDir) : root, args.stack).config,
  );
  let diff: ChangeReview | undefined;
  if (base) {
    const exceptions = replacementExceptions(
      doc.policy.configFile ? resolve(root, doc.policy.configFile) : undefined,
    );
    diff = reviewChange(base.label, base.resources, doc.resources, tier === "prod", exceptions);
  }
  const cost = planCost(doc.resources, base?.resources, tier, region);
  const diffBlocks = (diff?.findings ?? []).filter((v) => v.enforcementLevel === "mandatory").length;
  process.stdout.write(formatSummary(doc));
  process.stdout.write(`\n${formatCostSummary(cost, cost.delta)}`);
  if (diff) process.stdout.write(`\n${formatChangeSummary(diff)}`);
  if (args.json) write(resolve(args.json), formatJson({ ...doc, ...(diff ? { diff } : {}), cost }));
  if (args.out)
    write(
      join(resolve(args.out), `plan-${args.stack}.md`),
      formatMarkdown(doc, {
        picture: stackFlowchart(doc.resources, diff),
        change: diff && formatChangeMarkdown(diff),
        cost: formatCostMarkdown(cost, cost.delta),
        blockingFindings: diffBlocks,
      }),
    );
  if (args.manifests) {
    const manifests = renderManifests(doc.resources);
    for (const m of manifests) write(join(resolve(args.manifests), m.file), m.yaml);
    process.stderr.write(
      `[plan ${args.stack}] ${manifests.length} Kubernetes manifests written to ${args.manifests}\n`,
    );
  }
  return blocks(doc) || diffBlocks > 0 ? exitCodes.blockingViolations : exitCodes.ok;
}

function fail(error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`plan: ${error.message}\n${usage}\n`);
    return exitCodes.badInput;
  }
  if (error instanceof PolicyConfigError) {
    process.stderr.write(`${error.message}\n`);
    return exitCodes.badInput;
  }
  if (StackConfigError.is(error)) {
    process.stderr.write(`${error.message}\n`);
    return exitCodes.badInput;
  }
  if (error instanceof ProviderCheckError) {
    process.stderr.write(`${error.message}\n`);
    return exitCodes.programError;
  }
  process.stderr.write(`plan: the program failed: ${(error as Error)?.stack ?? String(error)}\n`);
  return exitCodes.programError;
}

process.on("unhandledRejection", (error) => process.exit(fail(error)));
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => process.exit(fail(error)),
);
