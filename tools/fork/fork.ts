import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ipaddr from "ipaddr.js";
import { parse, parseDocument } from "yaml";
import { hostedZoneIdProblems } from "../../infra/lib/dns";
import { describeProblem, type Problem } from "../../infra/lib/problems";
import { apiDomainNameProblems } from "../../infra/loadbalancer/args";
import { vpcCidrProblems } from "../../infra/network";
import { StackConfigError } from "../../stacks/config/errors";
import { namespace, resolveStackConfig, type StackConfig } from "../../stacks/config/load";
import { isRegionName, type RegionName, regionNames, regions } from "../../stacks/config/regions";
import { crossStackProblems, stackFileName } from "../../stacks/config/siblings";
import { stackNameProblems } from "../../stacks/config/stackName";
import { tierDefaults } from "../../stacks/config/tiers";
import { listStacks, readOtherStacks, readStackSettings } from "../plan/project";
import { chosenCidrProblems, firstFreeCidr, stackCidrs } from "./cidr";
import { diffSettings, effectiveSettings, type SettingsDiff } from "./diff";
import { forkEdge } from "./domain";
import { regionNotes } from "./regionNotes";
import { type ReviewNote, relocateStackFile, type SecretKey } from "./relocate";

export interface ForkRequest {
  /** Directory of the stack files: read, scanned for CIDRs, and written to. */
  readonly configDir: string;
  readonly from?: string;
  readonly to?: string;
  readonly region?: string;
  /** VPC CIDR of the new stack. @default the first free block of the source's size */
  readonly cidr?: string;
  /** Public name (CloudFront alias) of the new stack. @default none (required: the source has one) */
  readonly domain?: string;
  /**
   * Route 53 hosted zone holding `domain`. @default the source's, when `domain` is under or beside
   * the source's name; required otherwise
   */
  readonly hostedZoneId?: string;
  /** Replace an existing `Pulumi.<to>.yaml`. @default false */
  readonly force?: boolean;
}

export interface Fork {
  readonly from: string;
  readonly to: string;
  readonly fromRegion: RegionName;
  readonly toRegion: RegionName;
  readonly cidr: string;
  /** The new stack's public name. */
  readonly domainName: string;
  /** Where the stack file goes. */
  readonly file: string;
  /** The stack file to write: the source's, moved, without secrets. */
  readonly text: string;
  /** The same config with each left-out secret as a placeholder, as the plan treats `secure:` values. */
  readonly stagedFile: string;
  readonly config: StackConfig;
  readonly secrets: SecretKey[];
  readonly notes: ReviewNote[];
  readonly diff: SettingsDiff;
}

/** Bad input to the fork: nothing has been written. The CLI prints one line per problem, exit 2. */
export class ForkInputError extends Error {
  override readonly name = "ForkInputError";
  constructor(
    readonly problems: readonly Problem[],
    heading?: string,
  ) {
    super([...(heading ? [heading] : []), ...problems.map(describeProblem)].join("\n"));
  }
}

const placeholder = "left-out-by-stack-fork";

/**
 * Checks a fork request and builds the new stack file without writing it: the source's config moved
 * to the new region with a free VPC CIDR, validated as a whole with the same resolver `pulumi up`
 * uses. `stagingDir` (a scratch directory) receives the staged file the validation and plan read.
 * Throws ForkInputError, listing every problem found, when the request or the result is invalid.
 */
export function prepareFork(request: ForkRequest, stagingDir: string): Fork {
  const { configDir } = request;
  const { names, problems } = checkNames(request);
  if (!names) throw new ForkInputError(problems);
  const { from, to, region: toRegion } = names;
  const source = readSource(configDir, from);
  const fromRegion = source.config.region;
  const others = readOtherStacks(configDir, to);
  const taken = stackCidrs(others.stacks);
  const cidr = request.cidr ?? firstFreeCidr(prefixOf(source.config.network.vpcCidr), taken.cidrs);
  const sourceEdge = { stack: from, ...source.config.edge };
  const { edge, problems: edgeProblems } = forkEdge({ ...request, to }, sourceEdge, others.stacks);
  problems.push(
    ...stackNameProblems(namespace, to, source.config).map((p) => ({ ...p, path: "--to" })),
    ...azNeedProblems(toRegion, source.config),
    ...(request.cidr === undefined ? [] : chosenCidrProblems(request.cidr, taken.cidrs)),
    ...edgeProblems,
  );
  if (!cidr) {
    problems.push({
      path: "--cidr",
      value: undefined,
      allowed: `a free VPC CIDR: RFC 1918 space has no free /${prefixOf(source.config.network.vpcCidr)} left`,
    });
  }
  if (problems.length > 0 || !cidr || !edge) throw new ForkInputError(problems);

  const doc = parseDocument(source.text);
  const moved = relocateStackFile(doc, {
    fromRegion,
    toRegion,
    availabilityZones: azCounterparts(source.config.network.availabilityZones, fromRegion, toRegion),
    fromCidr: source.config.network.vpcCidr,
    toCidr: cidr,
    fromDomain: sourceEdge.domainName,
    toDomain: edge.domainName,
    fromZone: sourceEdge.hostedZoneId,
    toZone: edge.hostedZoneId,
  });
  doc.commentBefore = [
    ` Forked from Pulumi.${from}.yaml (${fromRegion} → ${toRegion}) by \`npm run stack:fork\`.`,
    ...(doc.commentBefore ? [doc.commentBefore] : []),
  ].join("\n");
  const notes = [
    ...moved.notes,
    ...edge.notes,
    ...taken.skipped.map((stack) => ({
      path: stackFileName(stack),
      value: "(no readable crest:network.vpcCidr)",
      message: "not checked for overlap: the program refuses that stack, so it has no VPC",
    })),
    ...others.unreadable.map((stack) => ({
      path: stackFileName(stack),
      value: "(not a readable stack file)",
      message: "not checked for a shared VPC CIDR or public name: the plan refuses that stack",
    })),
  ];

  // The staged file holds a placeholder where each secret was, as the plan reads any `secure:`
  // value; the file written for the team holds no trace of them.
  for (const secret of moved.secrets) doc.setIn(["config", ...secret.yamlPath, "secure"], placeholder);
  const stagedFile = join(stagingDir, `Pulumi.${to}.yaml`);
  writeFileSync(stagedFile, render(doc));
  for (const secret of moved.secrets) doc.deleteIn(["config", ...secret.yamlPath]);

  const staged = readStackSettings(stagingDir, to).config;
  const config = resolveForked(to, staged);
  // What the plan refuses across stack files, checked on the file as written.
  const shared = crossStackProblems({ stack: to, config: staged }, others.stacks);
  if (shared.length > 0)
    throw new ForkInputError(shared, `the config of "${to}" would be invalid; nothing was written:`);
  const diff = diffSettings(
    effectiveSettings(fileConfig(source.text), source.config),
    effectiveSettings(fileConfig(readFileSync(stagedFile, "utf8")), config),
    new Set(moved.secrets.map((s) => s.key)),
  );
  notes.push(...regionNotes(config));
  return {
    from,
    to,
    fromRegion,
    toRegion,
    cidr,
    domainName: edge.domainName,
    file: join(configDir, `Pulumi.${to}.yaml`),
    text: render(doc),
    stagedFile,
    config,
    secrets: moved.secrets,
    notes,
    diff,
  };
}

/** Flag checks that read no stack file: presence, names, region, existence of the target. */
function checkNames(request: ForkRequest): {
  names?: { from: string; to: string; region: RegionName };
  problems: Problem[];
} {
  const problems: Problem[] = [];
  const { from, to, region } = request;
  const stacks = listStacks(request.configDir);
  if (!from || !stacks.includes(from)) {
    problems.push({
      path: "--from",
      value: from,
      allowed: `one of the stacks in ${request.configDir}: ${stacks.join(", ") || "(none)"}`,
    });
  }
  // Its characters and length are checked with the source's config, which sets the longest allowed.
  if (!to) {
    problems.push({ path: "--to", value: to, allowed: "the name of the new stack" });
  } else if (to === from) {
    problems.push({ path: "--to", value: to, allowed: "a stack name other than --from" });
  } else if (stacks.includes(to) && !request.force) {
    problems.push({
      path: "--to",
      value: to,
      allowed: `a stack that does not exist yet (Pulumi.${to}.yaml exists; add --force to replace it)`,
    });
  }
  if (!region || !isRegionName(region)) {
    problems.push({
      path: "--region",
      value: region,
      allowed: `one of the regions in stacks/config/regions.ts: ${regionNames.join(", ")}`,
    });
  }
  if (request.cidr !== undefined) problems.push(...vpcCidrProblems("--cidr", request.cidr));
  if (request.domain !== undefined) problems.push(...apiDomainNameProblems("--domain", request.domain));
  if (request.hostedZoneId !== undefined) {
    problems.push(...hostedZoneIdProblems("--hosted-zone-id", request.hostedZoneId));
  }
  if (problems.length > 0 || !from || !to || !region || !isRegionName(region)) return { problems };
  return { names: { from, to, region }, problems };
}

interface Source {
  readonly text: string;
  readonly config: StackConfig;
}

/** The source's file and validated config; a source that is not valid cannot be forked. */
function readSource(configDir: string, from: string): Source {
  try {
    const config = resolveStackConfig(from, readStackSettings(configDir, from).config);
    return { text: readFileSync(join(configDir, `Pulumi.${from}.yaml`), "utf8"), config };
  } catch (error) {
    const why = StackConfigError.is(error) ? error.problems.map(describeProblem) : [(error as Error).message];
    throw new ForkInputError([
      {
        path: "--from",
        value: from,
        allowed: `a stack whose config is valid; fix Pulumi.${from}.yaml first: ${why.join(" | ")}`,
      },
    ]);
  }
}

function azNeedProblems(region: RegionName, source: StackConfig): Problem[] {
  const need = tierDefaults[source.tier].rules.minAvailabilityZones;
  const azCount = regions[region].length;
  if (azCount >= need) return [];
  return [
    {
      path: "--region",
      value: region,
      allowed:
        `a region with at least ${need} AZs for tier ${source.tier} (${region} has ${azCount}): ` +
        regionNames.filter((r) => regions[r].length >= need).join(", "),
    },
  ];
}

function resolveForked(to: string, raw: Record<string, string>): StackConfig {
  try {
    return resolveStackConfig(to, raw);
  } catch (error) {
    if (!StackConfigError.is(error)) throw error;
    throw new ForkInputError(error.problems, `the config of "${to}" would be invalid; nothing was written:`);
  }
}

function prefixOf(cidr: string): number {
  return ipaddr.IPv4.parseCIDR(cidr)[1];
}

/**
 * Pairs the source's AZs, in the stack's order and then the rest of its region, with the new
 * region's AZs in table order: a stack on N AZs lands on the first N of the new region.
 */
export function azCounterparts(
  stackAzs: readonly string[],
  fromRegion: RegionName,
  toRegion: RegionName,
): Map<string, string> {
  const fromOrder = [...stackAzs, ...regions[fromRegion].filter((az) => !stackAzs.includes(az))];
  const toOrder: readonly string[] = regions[toRegion];
  return new Map(fromOrder.slice(0, toOrder.length).map((az, i) => [az, toOrder[i] as string]));
}

function fileConfig(text: string): Record<string, unknown> {
  return ((parse(text) ?? {}) as { config?: Record<string, unknown> }).config ?? {};
}

function render(doc: ReturnType<typeof parseDocument>): string {
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
