import { existsSync, linkSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { formatDiff } from "./diff";
import { type Fork, ForkInputError, prepareFork } from "./fork";
import { type PlanOutcome, planStack } from "./planStack";

/** Exit codes, as documented in the README. */
export const exitCodes = { ok: 0, blockingViolations: 1, badInput: 2, planFailed: 3 } as const;

const usage = `usage: npm run stack:fork -- --from <stack> --to <new stack> --region <region> --domain <name> [--hosted-zone-id <id>] [--cidr <cidr>] [--force] [--dry-run] [--config-dir <dir>]
  --from <stack>      stack to copy (Pulumi.<stack>.yaml)
  --to <name>         name of the new stack; Pulumi.<name>.yaml is written
  --region <region>   region of the new stack, one of stacks/config/regions.ts
  --domain <name>     public name of the new stack (its CloudFront alias); no other stack file's
  --hosted-zone-id <id>  Route 53 zone holding --domain (default: the source's, when --domain is
                      under or beside the source's name)
  --cidr <cidr>       VPC CIDR of the new stack (default: the first block of the source's size, in
                      10.0.0.0/8 order, that overlaps no stack file's VPC)
  --force             replace an existing Pulumi.<name>.yaml
  --dry-run           print the file and plan it; write nothing
  --config-dir <dir>  read, scan and write stack files there instead of the repository root
exit: 0 forked, plan clean · 1 forked, mandatory policy violations · 2 bad input, nothing written ·
      3 the plan or the tool failed to run (a file already written is kept)`;

interface Args {
  readonly from?: string;
  readonly to?: string;
  readonly region?: string;
  readonly cidr?: string;
  readonly domain?: string;
  readonly hostedZoneId?: string;
  readonly force: boolean;
  readonly dryRun: boolean;
  readonly configDir: string;
}

class UsageError extends Error {}

function parse(argv: string[], root: string): Args {
  let values: ReturnType<typeof parseOptions>["values"];
  try {
    values = parseOptions(argv).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const configDir = resolve(values["config-dir"] ?? root);
  if (!existsSync(configDir)) {
    throw new ForkInputError([
      { path: "--config-dir", value: values["config-dir"], allowed: "an existing directory" },
    ]);
  }
  const { from, to, region, cidr, domain, force = false } = values;
  const hostedZoneId = values["hosted-zone-id"];
  return {
    from,
    to,
    region,
    cidr,
    domain,
    hostedZoneId,
    force,
    dryRun: values["dry-run"] ?? false,
    configDir,
  };
}

function parseOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      from: { type: "string" },
      to: { type: "string" },
      region: { type: "string" },
      cidr: { type: "string" },
      domain: { type: "string" },
      "hosted-zone-id": { type: "string" },
      force: { type: "boolean" },
      "dry-run": { type: "boolean" },
      "config-dir": { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  });
}

/**
 * Writes the whole file or nothing: a temporary file in the same directory, then a rename. Without
 * --force a hard link takes the rename's place, so a file created since the checks is never replaced.
 */
function writeStackFile(fork: Fork, force: boolean): void {
  const temp = join(dirname(fork.file), `.${basename(fork.file)}.${process.pid}.tmp`);
  writeFileSync(temp, fork.text, { flag: "wx" });
  try {
    if (force) renameSync(temp, fork.file);
    else linkSync(temp, fork.file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    throw new ForkInputError([
      {
        path: "--to",
        value: fork.to,
        allowed: `a stack that does not exist yet (${fork.file} appeared meanwhile)`,
      },
    ]);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** A config key as one shell word. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9:._/-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

function forkReport(fork: Fork, dryRun: boolean): string {
  const lines = [
    `Fork ${fork.from} (${fork.fromRegion}) → ${fork.to} (${fork.toRegion}), VPC ${fork.cidr}, public name ${fork.domainName}`,
    dryRun ? `Dry run: would write ${fork.file}:` : `Wrote ${fork.file}`,
    ...(dryRun ? ["", fork.text.trimEnd(), ""] : []),
    "",
    `Settings, ${fork.from} → ${fork.to}:`,
    ...formatDiff(fork.diff),
  ];
  if (fork.notes.length > 0) {
    lines.push(
      "",
      "Review by hand:",
      ...fork.notes.map((n) => `  ${n.path} = ${JSON.stringify(n.value)}: ${n.message}`),
    );
  }
  lines.push("");
  if (fork.secrets.length === 0) {
    lines.push(`Secrets: ${fork.from} has none.`);
  } else {
    lines.push(
      `Secrets left out (encrypted with ${fork.from}'s key). After \`pulumi stack init ${fork.to}\`, set each:`,
      ...fork.secrets.map((s) => {
        const path = s.yamlPath.length > 1 ? " --path" : "";
        return `  pulumi config set --secret${path} ${shellWord(s.key)} <value> --stack ${shellWord(fork.to)}`;
      }),
    );
  }
  return `${lines.join("\n")}\n`;
}

function planReport(fork: Fork, outcome: PlanOutcome, dryRun: boolean): string {
  const mandatory = outcome.violations.filter((v) => v.enforcementLevel === "mandatory").length;
  const secrets = fork.secrets.length > 0 ? `, ${fork.secrets.length} secret(s) as placeholders` : "";
  const counts =
    outcome.resourceCount === undefined
      ? "no plan document (see the errors above)"
      : `${outcome.resourceCount} resources, ${outcome.violations.length} violations (${mandatory} mandatory)`;
  const lines = [
    "",
    `Plan of ${fork.to} (offline, with the policy pack${secrets}): exit ${outcome.code} — ${counts}`,
    ...outcome.violations.map((v) => `  [${v.enforcementLevel}] ${v.policy}: ${v.message} (${v.urn})`),
  ];
  if (dryRun) {
    lines.push("Dry run: nothing was written.");
  } else if (outcome.code === 0) {
    const setSecrets = fork.secrets.length > 0 ? ", set the secrets above" : "";
    lines.push(
      `Next: review ${basename(fork.file)} in a pull request, then \`pulumi stack init ${fork.to}\`${setSecrets}, ` +
        `\`pulumi preview --stack ${fork.to}\` and \`pulumi up --stack ${fork.to}\` (README: "Open a new region").`,
    );
  } else {
    lines.push(
      `${basename(fork.file)} is kept: its config is valid, and the plan's findings are fixed in it or in the code. ` +
        `Re-run \`npm run plan -- --stack ${fork.to}\` after the fix, or delete the file to drop the fork.`,
    );
  }
  return `${lines.join("\n")}\n`;
}

function exitCodeOf(outcome: PlanOutcome): number {
  if (outcome.code === exitCodes.ok) return exitCodes.ok;
  return outcome.code === exitCodes.blockingViolations ? exitCodes.blockingViolations : exitCodes.planFailed;
}

async function main(argv: string[]): Promise<number> {
  const root = resolve(__dirname, "../..");
  const args = parse(argv, root);
  const staging = mkdtempSync(join(tmpdir(), "crest-fork-"));
  try {
    const fork = prepareFork(args, staging);
    if (!args.dryRun) writeStackFile(fork, args.force);
    process.stdout.write(forkReport(fork, args.dryRun));
    const outcome = await planStack(root, fork.to, fork.stagedFile);
    process.stdout.write(planReport(fork, outcome, args.dryRun));
    return exitCodeOf(outcome);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function fail(error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`fork: ${error.message}\n${usage}\n`);
    return exitCodes.badInput;
  }
  if (error instanceof ForkInputError) {
    process.stderr.write(`${error.message.replace(/^/gm, "fork: ")}\n`);
    return exitCodes.badInput;
  }
  process.stderr.write(`fork: failed: ${(error as Error)?.stack ?? String(error)}\n`);
  return exitCodes.planFailed;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => process.exit(fail(error)),
);
