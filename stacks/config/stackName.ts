import { eksClusterDerivedNames } from "../../infra/cluster/args";
import { autonameSuffixLength, type DerivedNames, lowerCaseName, nameBudget } from "../../infra/lib/names";
import type { Problem } from "../../infra/lib/problems";
import { shardedMysqlDerivedNames } from "../../infra/mysql";
import { redisClusterDerivedNames } from "../../infra/redis";
import { tieredStorageDerivedNames } from "../../infra/storage";
import { type ComponentKey, componentName } from "../components";
import type { StackConfig } from "./types";

/** The components whose names prefix AWS names with a length limit, and those names, for this config. */
function derivedNames(config: StackConfig): [ComponentKey, DerivedNames][] {
  return [
    ["mysql", shardedMysqlDerivedNames(config.mysql)],
    ["redis", redisClusterDerivedNames],
    ["storage", tieredStorageDerivedNames],
    ["cluster", eksClusterDerivedNames],
  ];
}

/**
 * The longest stack name whose generated names all fit: for each component, the longest name its
 * derived names allow, less what `<project>-` and the component's suffix take; the tightest wins.
 */
export function longestStackName(
  project: string,
  config: StackConfig,
): { readonly length: number; readonly reason: string } {
  const room = derivedNames(config).map(([component, derived]) => {
    const { maxLength, tightest } = nameBudget(derived);
    return { component, tightest, length: maxLength - componentName(project, "", component).length };
  });
  const { component, tightest, length } = room.reduce((a, b) => (b.length < a.length ? b : a));
  const autonamed = tightest.autonamed ? `, Pulumi's ${autonameSuffixLength}-character suffix included` : "";
  return {
    length,
    reason:
      `${componentName(project, "<stack>", component)}${tightest.suffix} names the ${tightest.what}, ` +
      `which AWS caps at ${tightest.maxLength} characters${autonamed}`,
  };
}

/**
 * Stack names Crest can deploy. Pulumi allows letters, digits, `-`, `_` and `.`, but the stack name
 * goes into AWS names that allow less: lower case (S3 buckets, ElastiCache and RDS identifiers), no
 * `_` or `.` and no double or trailing hyphen (RDS, ElastiCache), and few characters.
 */
export function stackNameProblems(project: string, stack: string, config: StackConfig): Problem[] {
  const longest = longestStackName(project, config);
  if (lowerCaseName.test(stack) && stack.length <= longest.length) return [];
  return [
    {
      path: "stack name",
      value: stack,
      allowed:
        `lower-case letters, digits and single hyphens, starting with a letter, at most ${longest.length} ` +
        `characters (${longest.reason})`,
    },
  ];
}
