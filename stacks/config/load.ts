import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { Problem } from "../../infra/lib/problems";
import { pathText, valueAt } from "../../infra/lib/schema";
import type { CapacityProfile } from "../../tools/capacity/profile";
import { capacityProblems, stackCapacityProfile } from "./capacity";
import { crossFieldProblems, regionProblems, tierProblems } from "./checks";
import { StackConfigError } from "./errors";
import { isRegionName, type RegionName, regions } from "./regions";
import { keysAt, type StackConfigInput, stackConfigSchema } from "./schema";
import { stackNameProblems } from "./stackName";
import { tierDefaults } from "./tiers";
import type { StackConfig } from "./types";

export type { StackConfig } from "./types";

/**
 * Pulumi namespaces a project's own config keys by the project's name, so this is also the project
 * name that prefixes every component's name (`crest-<stack>-…`).
 */
export const namespace = "crest";

/**
 * Reads the stack's config from the Pulumi runtime. The only function in Crest that touches Pulumi
 * config; everything else receives the typed result.
 */
export function loadStackConfig(): StackConfig {
  return resolveStackConfig(pulumi.getStack(), pulumi.runtime.allConfig());
}

/**
 * Validates raw config — Pulumi's flat map of `namespace:key` to string, structured values as JSON —
 * and applies the tier defaults. Throws a StackConfigError listing every problem at once.
 */
/**
 * @param capacityProfile the measured per-pod throughput the sizing check uses.
 * @default the checked-in profile (bench/capacity-profile.json)
 */
export function resolveStackConfig(
  stack: string,
  raw: Readonly<Record<string, string>>,
  capacityProfile: CapacityProfile = stackCapacityProfile(),
): StackConfig {
  const { input, problems } = parseRaw(raw);
  const parsed = stackConfigSchema.safeParse(input);
  const issues = parsed.success ? [] : parsed.error.issues;
  problems.push(...issues.flatMap((issue) => toProblems(issue, input)));
  // Unknown keys and bad values do not stop the deeper checks, which see the tier default in place
  // of a bad value, so one run reports every problem it can.
  const usable = parsed.success ? parsed : stackConfigSchema.safeParse(withoutBadKeys(input, issues));
  if (usable.success) {
    const config = applyTierDefaults(stack, usable.data);
    problems.push(
      ...dedupeByPath([
        ...stackNameProblems(namespace, stack, config),
        ...regionProblems(config, usable.data.network.availabilityZones !== undefined),
        ...crossFieldProblems(config),
        ...tierProblems(config),
      ]),
    );
    // Sizing needs every other setting sound: a bad size elsewhere is reported first, on its own.
    if (problems.length === 0) problems.push(...capacityProblems(config, capacityProfile));
    if (problems.length === 0) return config;
  }
  throw new StackConfigError(stack, problems);
}

function parseRaw(raw: Readonly<Record<string, string>>): {
  input: Record<string, unknown>;
  problems: Problem[];
} {
  const input: Record<string, unknown> = {};
  const problems: Problem[] = [];
  for (const [fullKey, value] of Object.entries(raw).sort(([a], [b]) => a.localeCompare(b))) {
    const [ns, key] = splitKey(fullKey);
    if (ns === "aws" && key === "region" && raw[`${namespace}:region`] !== value) {
      problems.push({
        path: fullKey,
        value,
        allowed: `unset, or equal to ${namespace}:region (Crest's AWS provider takes its region from ${namespace}:region)`,
      });
    }
    if (ns !== namespace) continue;
    if (/^[[{]/.test(value.trim())) {
      try {
        input[key] = JSON.parse(value);
      } catch {
        problems.push({ path: fullKey, value, allowed: "valid structured (YAML map or list) config" });
      }
    } else {
      input[key] = value;
    }
  }
  return { input, problems };
}

function splitKey(fullKey: string): [string, string] {
  const colon = fullKey.indexOf(":");
  return colon < 0 ? ["", fullKey] : [fullKey.slice(0, colon), fullKey.slice(colon + 1)];
}

function keyOf(path: readonly PropertyKey[]): string {
  return `${namespace}:${pathText(path)}`;
}

function toProblems(issue: z.core.$ZodIssue, input: unknown): Problem[] {
  if (issue.code === "unrecognized_keys") {
    const known = keysAt(issue.path);
    return issue.keys.map((key) => ({
      path: keyOf([...issue.path, key]),
      value: valueAt(input, [...issue.path, key]),
      allowed: `no such key; known keys here: ${known.join(", ")}`,
    }));
  }
  return [{ path: keyOf(issue.path), value: valueAt(input, issue.path), allowed: issue.message }];
}

/** The input without the keys the issues are about: unknown keys, and the key holding each bad value. */
function withoutBadKeys(input: Record<string, unknown>, issues: readonly z.core.$ZodIssue[]): unknown {
  const copy = structuredClone(input);
  const remove = (path: readonly PropertyKey[]) => {
    // The innermost map key on the path: a bad list item drops the whole list.
    const last = path.findLastIndex((segment) => typeof segment === "string");
    const node = valueAt(copy, path.slice(0, last));
    if (last >= 0 && isMap(node)) delete node[path[last] as string];
  };
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) remove([...issue.path, key]);
    } else {
      remove(issue.path);
    }
  }
  return copy;
}

function applyTierDefaults(stack: string, input: StackConfigInput): StackConfig {
  const defaults = tierDefaults[input.tier];
  const regionAzs: readonly string[] = isRegionName(input.region) ? regions[input.region] : [];
  return {
    stack,
    tier: input.tier,
    region: input.region as RegionName,
    accountId: input.accountId,
    owner: input.owner,
    costCenter: input.costCenter,
    protect: defaults.protect,
    network: {
      ...withDefaults(defaults.network, input.network),
      availabilityZones:
        input.network.availabilityZones ?? regionAzs.slice(0, defaults.availabilityZoneCount),
    },
    mysql: withDefaults(defaults.mysql, input.mysql),
    redis: withDefaults(defaults.redis, input.redis),
    kafka: withDefaults(defaults.kafka, input.kafka),
    storage: {
      ...withDefaults(defaults.storage, input.storage),
      drRegion: input.storage?.drRegion as RegionName | undefined,
    },
    cluster: withDefaults(defaults.cluster, input.cluster),
    workload: withDefaults(defaults.workload, input.workload),
    edge: withDefaults(defaults.edge, input.edge),
    wechat: withDefaults(defaults.wechat, input.wechat),
    capacity: withDefaults(defaults.capacity, input.capacity),
  };
}

/**
 * A tier default with the stack file's keys laid over it, map by map, so setting `nodesPerAz.max`
 * keeps the tier's `min` and `desired`. Lists replace; an absent key never overrides a default.
 */
function withDefaults<T extends object, I extends object>(defaults: T, input: I | undefined): T & I {
  const merged: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, value] of Object.entries(input ?? {})) {
    if (value === undefined) continue;
    const base = merged[key];
    merged[key] = isMap(base) && isMap(value) ? withDefaults(base, value) : value;
  }
  return merged as T & I;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function dedupeByPath(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(p.path) && seen.add(p.path));
}
