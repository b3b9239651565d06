import type { RecordedResource } from "../../recorder";
import { awsPage, type Finding, knownString, notIn, type ProviderRule } from "../types";

export const nodeTypeSource = awsPage(
  "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html",
);

/**
 * Valkey engine versions ElastiCache offers (engine-versions and SelectEngine pages, which list 9.0),
 * with the parameter group family each one takes.
 */
export const valkeyVersions: Readonly<Record<string, string>> = {
  "7.2": "valkey7",
  "8.0": "valkey8",
  "8.1": "valkey8",
  "8.2": "valkey8",
  "9.0": "valkey9",
};

const graviton = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"];
const intel = ["large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge"];

/**
 * Current-generation node types for Valkey or Redis OSS, by family, with the first Valkey version
 * that runs them. Every current-generation family runs every Valkey version (ElastiCache started
 * Valkey at 7.2); previous-generation families (T2, M3, M4, R3, R4) cannot create new clusters.
 */
export const valkeyNodeFamilies: Readonly<Record<string, { sizes: string[]; sinceValkey: string }>> = {
  "cache.t3": { sizes: ["micro", "small", "medium"], sinceValkey: "7.2" },
  "cache.t4g": { sizes: ["micro", "small", "medium"], sinceValkey: "7.2" },
  "cache.m5": { sizes: intel, sinceValkey: "7.2" },
  "cache.m6g": { sizes: graviton, sinceValkey: "7.2" },
  "cache.m7g": { sizes: graviton, sinceValkey: "7.2" },
  "cache.r5": { sizes: intel, sinceValkey: "7.2" },
  "cache.r6g": { sizes: graviton, sinceValkey: "7.2" },
  "cache.r7g": { sizes: graviton, sinceValkey: "7.2" },
  "cache.r6gd": { sizes: graviton.slice(1), sinceValkey: "7.2" },
  "cache.c7gn": { sizes: graviton, sinceValkey: "7.2" },
};

/** Node types a Valkey engine version runs on. */
export function valkeyNodeTypes(engineVersion: string): string[] {
  return Object.entries(valkeyNodeFamilies)
    .filter(([, f]) => Number.parseFloat(engineVersion) >= Number.parseFloat(f.sinceValkey))
    .flatMap(([family, f]) => f.sizes.map((size) => `${family}.${size}`));
}

/** Engine version and node type of a Valkey replication group, both checked against the tables above. */
export const valkeyNodeType: ProviderRule = {
  id: "valkey-node-type",
  source: `${nodeTypeSource}; versions: ${awsPage("https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html")}`,
  types: ["aws:elasticache/replicationGroup:ReplicationGroup"],
  check(resource: RecordedResource): Finding[] {
    if (knownString(resource.inputs, "engine") !== "valkey") return [];
    const engineVersion = knownString(resource.inputs, "engineVersion");
    if (!engineVersion) return [];
    if (!(engineVersion in valkeyVersions))
      return [notIn("engineVersion", engineVersion, Object.keys(valkeyVersions))];
    const nodeType = knownString(resource.inputs, "nodeType");
    const offered = valkeyNodeTypes(engineVersion);
    return nodeType && !offered.includes(nodeType)
      ? [notIn("nodeType", nodeType, offered, `for Valkey ${engineVersion}, `)]
      : [];
  },
};
