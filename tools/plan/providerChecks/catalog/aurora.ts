import type { RecordedResource } from "../../recorder";
import { awsPage, type Finding, knownString, notIn, type ProviderRule } from "../types";

/**
 * What Aurora MySQL accepts, as AWS documents it. These tables hold what AWS offers, not what Crest
 * chooses (that is the pin register's job): a class or log type missing here is one AWS does not list.
 */
export const instanceClassSource = awsPage(
  "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.DBInstanceClass.SupportAurora.html",
);

const standardSizes = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"];

/**
 * Aurora MySQL version 3 instance classes by class type, with the first Aurora MySQL version that
 * offers the type where the page names one (none: every version 3 release). Burstable classes stop
 * at medium/large: db.t3.small and db.t4g.micro/small are not offered for version 3, and db.t2 and
 * db.r3/r4 not at all. Not in the table yet, so refused until someone checks their version rows:
 * the Optimized Reads classes (db.r6gd, db.r6id, db.r8gd) and db.r9g (added to Aurora 2026-11-12).
 */
export const auroraMysqlInstanceClasses: Readonly<Record<string, { sizes: string[]; since?: string }>> = {
  "db.r8g": { sizes: [...standardSizes, "24xlarge", "48xlarge"], since: "3.08.0" },
  "db.r7i": { sizes: [...standardSizes, "24xlarge", "48xlarge"] },
  "db.r7g": { sizes: standardSizes, since: "3.03.1" },
  "db.r6i": { sizes: [...standardSizes, "24xlarge", "32xlarge"] },
  "db.r6g": { sizes: standardSizes },
  "db.r5": {
    sizes: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"],
  },
  "db.x2g": { sizes: standardSizes },
  "db.t4g": { sizes: ["medium", "large"] },
  "db.t3": { sizes: ["medium", "large"] },
};

/** `8.0.mysql_aurora.3.10.3` → [3, 10, 3]: the Aurora MySQL version inside an engine version. */
export function auroraVersion(engineVersion: string): number[] | undefined {
  const match = /^8\.0\.mysql_aurora\.(\d+)\.(\d+)\.(\d+)$/.exec(engineVersion);
  return match ? match.slice(1).map(Number) : undefined;
}

function atLeast(version: readonly number[], minimum: string): boolean {
  const min = minimum.split(".").map(Number);
  for (let i = 0; i < min.length; i++) {
    const a = version[i] ?? 0;
    const b = min[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

/** The classes Aurora MySQL offers at an engine version. */
export function offeredClasses(version: readonly number[]): string[] {
  return Object.entries(auroraMysqlInstanceClasses)
    .filter(([, c]) => version[0] === 3 && (!c.since || atLeast(version, c.since)))
    .flatMap(([type, c]) => c.sizes.map((size) => `${type}.${size}`));
}

export const auroraMysqlInstanceClass: ProviderRule = {
  id: "aurora-mysql-instance-class",
  source: instanceClassSource,
  types: ["aws:rds/clusterInstance:ClusterInstance"],
  check(resource: RecordedResource): Finding[] {
    const engine = knownString(resource.inputs, "engine");
    const engineVersion = knownString(resource.inputs, "engineVersion");
    const instanceClass = knownString(resource.inputs, "instanceClass");
    if (engine !== "aurora-mysql" || !instanceClass || instanceClass === "db.serverless") return [];
    if (!engineVersion) return [];
    const version = auroraVersion(engineVersion);
    if (!version) {
      return [
        {
          path: "engineVersion",
          value: engineVersion,
          allowed: 'an Aurora MySQL version 3 engine version, "8.0.mysql_aurora.3.<minor>.<patch>"',
        },
      ];
    }
    const offered = offeredClasses(version);
    return offered.includes(instanceClass)
      ? []
      : [notIn("instanceClass", instanceClass, offered, `for Aurora MySQL ${version.join(".")}, `)];
  },
};

/** Log types an Aurora MySQL cluster exports to CloudWatch Logs. */
export const auroraMysqlLogTypes = ["audit", "error", "general", "slowquery", "iam-db-auth-error"];

export const auroraMysqlLogExports: ProviderRule = {
  id: "aurora-mysql-log-exports",
  source: awsPage(
    "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Integrating.CloudWatch.html",
  ),
  types: ["aws:rds/cluster:Cluster"],
  check(resource: RecordedResource): Finding[] {
    if (knownString(resource.inputs, "engine") !== "aurora-mysql") return [];
    const exports = resource.inputs.enabledCloudwatchLogsExports;
    if (!Array.isArray(exports)) return [];
    return exports.flatMap((logType, i) =>
      typeof logType === "string" && !auroraMysqlLogTypes.includes(logType)
        ? [notIn(`enabledCloudwatchLogsExports[${i}]`, logType, auroraMysqlLogTypes)]
        : [],
    );
  },
};
