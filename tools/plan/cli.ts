import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { StackConfigError } from "../../stacks/config/errors";
import { UsageError } from "./project";
import type { RecordedResource } from "./recorder";
import { formatJson, formatMarkdown, formatSummary } from "./report";
import { runPlan } from "./run";

/** Exit codes, as documented in the README. */
export const exitCodes = { ok: 0, blockingViolations: 1, badInput: 2, programError: 3 } as const;

const usage = `usage: npm run plan -- --stack <name> [--json <file>] [--out <dir>] [--config-dir <dir>]
  --stack <name>   stack to plan (a Pulumi.<name>.yaml next to Pulumi.yaml)
  --config-dir <dir>  read Pulumi.<name>.yaml from this directory instead
  --json <file>    write the plan document as JSON
  --out <dir>      write a Markdown report (plan-<stack>.md) for a pull-request comment`;

function parse(argv: string[]) {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        stack: { type: "string" },
        json: { type: "string" },
        out: { type: "string" },
        "config-dir": { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    });
    if (!values.stack) throw new UsageError("--stack: got nothing; allowed: a stack name, e.g. --stack dev");
    return { stack: values.stack, json: values.json, out: values.out, configDir: values["config-dir"] };
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

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

async function main(argv: string[]): Promise<number> {
  const args = parse(argv);
  const root = resolve(__dirname, "../..");
  const started = performance.now();
  const doc = await runPlan(root, args.stack, {
    configDir: args.configDir && resolve(args.configDir),
    onRegister: progress(args.stack),
  });
  if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stderr.write(
    `[plan ${args.stack}] ${doc.summary.resourceCount} resources recorded in ${seconds} s\n`,
  );
  process.stdout.write(formatSummary(doc));
  if (args.json) write(resolve(args.json), formatJson(doc));
  if (args.out) write(join(resolve(args.out), `plan-${args.stack}.md`), formatMarkdown(doc));
  return doc.violations.some((v) => v.enforcementLevel === "mandatory")
    ? exitCodes.blockingViolations
    : exitCodes.ok;
}

function fail(error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`plan: ${error.message}\n${usage}\n`);
    return exitCodes.badInput;
  }
  if (StackConfigError.is(error)) {
    process.stderr.write(`${error.message}\n`);
    return exitCodes.badInput;
  }
  process.stderr.write(`plan: the program failed: ${(error as Error)?.stack ?? String(error)}\n`);
  return exitCodes.programError;
}

process.on("unhandledRejection", (error) => process.exit(fail(error)));
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => process.exit(fail(error)),
);
