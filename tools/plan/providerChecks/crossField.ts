import type { RecordedResource } from "../recorder";
import { eksAmiTypes } from "./catalog/eks";
import { valkeyVersions } from "./catalog/elasticache";
import { awsPage, type Finding, isKnown, knownString, type ProviderRule } from "./types";

/**
 * Rules AWS states between two inputs (or two resources): each is checked only when every value it
 * reads is known in the plan.
 */

/** Aurora MySQL classes without Performance Insights (Database Insights) support. */
const noPerformanceInsights = /^db\.(t2|t3)\.|^db\.t4g\.(micro|small)$/;

export const auroraPerformanceInsightsClass: ProviderRule = {
  id: "aurora-performance-insights-class",
  source: awsPage(
    "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_PerfInsights.Overview.Engines.html",
  ),
  types: ["aws:rds/clusterInstance:ClusterInstance"],
  check(resource: RecordedResource): Finding[] {
    const instanceClass = knownString(resource.inputs, "instanceClass");
    if (
      knownString(resource.inputs, "engine") !== "aurora-mysql" ||
      resource.inputs.performanceInsightsEnabled !== true
    )
      return [];
    return instanceClass && noPerformanceInsights.test(instanceClass)
      ? [
          {
            path: "instanceClass",
            value: instanceClass,
            allowed:
              "with performanceInsightsEnabled, a class other than db.t2.*, db.t3.*, db.t4g.micro, db.t4g.small",
          },
        ]
      : [];
  },
};

export const mskBrokersPerSubnet: ProviderRule = {
  id: "msk-brokers-per-subnet",
  source: awsPage("https://docs.aws.amazon.com/msk/latest/developerguide/msk-create-cluster.html"),
  types: ["aws:msk/cluster:Cluster"],
  check(resource: RecordedResource): Finding[] {
    const subnets = (resource.inputs.brokerNodeGroupInfo as { clientSubnets?: unknown } | undefined)
      ?.clientSubnets;
    const brokers = resource.inputs.numberOfBrokerNodes;
    if (!Array.isArray(subnets) || typeof brokers !== "number") return [];
    if (subnets.length < 2 || subnets.length > 3) {
      return [
        {
          path: "brokerNodeGroupInfo.clientSubnets",
          value: subnets,
          allowed: "2 or 3 subnets in distinct AZs",
        },
      ];
    }
    return brokers % subnets.length === 0
      ? []
      : [
          {
            path: "numberOfBrokerNodes",
            value: brokers,
            allowed: `a multiple of the ${subnets.length} client subnets (MSK spreads brokers evenly over them)`,
          },
        ];
  },
};

export const valkeyParameterGroupFamily: ProviderRule = {
  id: "valkey-parameter-group-family",
  source: awsPage("https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html"),
  types: ["aws:elasticache/replicationGroup:ReplicationGroup"],
  check(resource: RecordedResource, plan: readonly RecordedResource[]): Finding[] {
    const engineVersion = knownString(resource.inputs, "engineVersion");
    const family = engineVersion ? valkeyVersions[engineVersion] : undefined;
    if (knownString(resource.inputs, "engine") !== "valkey" || !family) return [];
    // The group's name is computed in a preview; the group itself is among the dependencies.
    return plan
      .filter(
        (r) =>
          r.type === "aws:elasticache/parameterGroup:ParameterGroup" && resource.dependencies.includes(r.urn),
      )
      .flatMap((group) => {
        const groupFamily = knownString(group.inputs, "family");
        return groupFamily && groupFamily !== family
          ? [
              {
                path: "parameterGroupName",
                value: `${group.urn} (family ${groupFamily})`,
                allowed: `a parameter group of family ${family} for Valkey ${engineVersion}`,
              },
            ]
          : [];
      });
  },
};

/** Storage classes an object must stay in for 30 days before S3 lifecycle moves it on. */
const infrequentAccess = new Set(["STANDARD_IA", "ONEZONE_IA"]);
const minimumDays = 30;

interface Transition {
  readonly days?: unknown;
  readonly noncurrentDays?: unknown;
  readonly storageClass?: unknown;
}

/**
 * S3 lifecycle minimums: a transition to Standard-IA or One Zone-IA at 30 days or more after creation
 * (or after becoming noncurrent), and a later transition out of either at least 30 days after it.
 */
export const s3LifecycleTransitionDays: ProviderRule = {
  id: "s3-lifecycle-transition-days",
  source: awsPage(
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html",
  ),
  types: ["aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"],
  check(resource: RecordedResource): Finding[] {
    const rules = resource.inputs.rules;
    if (!Array.isArray(rules)) return [];
    return rules.flatMap((rule: Record<string, unknown>, r) =>
      (
        [
          ["transitions", "days"],
          ["noncurrentVersionTransitions", "noncurrentDays"],
        ] as const
      ).flatMap(([list, dayKey]) => {
        const transitions = (Array.isArray(rule[list]) ? rule[list] : []) as Transition[];
        const dated = transitions
          .map((t, i) => ({
            days: t[dayKey],
            storageClass: t.storageClass,
            path: `rules[${r}].${list}[${i}].${dayKey}`,
          }))
          .filter(
            (t): t is { days: number; storageClass: string; path: string } =>
              typeof t.days === "number" && typeof t.storageClass === "string" && isKnown(t.storageClass),
          )
          .sort((a, b) => a.days - b.days);
        return dated.flatMap((t, i): Finding[] => {
          const previous = dated[i - 1];
          if (infrequentAccess.has(t.storageClass) && t.days < minimumDays)
            return [
              {
                path: t.path,
                value: t.days,
                allowed: `at least ${minimumDays} days before ${t.storageClass}`,
              },
            ];
          if (
            previous &&
            infrequentAccess.has(previous.storageClass) &&
            t.days - previous.days < minimumDays
          ) {
            return [
              {
                path: t.path,
                value: t.days,
                allowed: `at least ${previous.days + minimumDays} (${minimumDays} days in ${previous.storageClass} before ${t.storageClass})`,
              },
            ];
          }
          return [];
        });
      }),
    );
  },
};

/** `t4g.large` → arm64: a "g" among the attribute letters after the generation means AWS Graviton. */
export function architectureOf(instanceType: string): "arm64" | "x86_64" {
  return /^[a-z]+\d+[a-z-]*g[a-z-]*\./.test(instanceType) ? "arm64" : "x86_64";
}

export const eksNodeArchitecture: ProviderRule = {
  id: "eks-node-architecture",
  source: awsPage("https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html"),
  types: ["aws:eks/nodeGroup:NodeGroup"],
  check(resource: RecordedResource): Finding[] {
    const amiType = knownString(resource.inputs, "amiType");
    const architecture = amiType ? eksAmiTypes[amiType] : undefined;
    const types = resource.inputs.instanceTypes;
    if (!architecture || architecture === "windows" || !Array.isArray(types)) return [];
    return types.flatMap((t, i) =>
      typeof t === "string" && isKnown(t) && architectureOf(t) !== architecture
        ? [
            {
              path: `instanceTypes[${i}]`,
              value: t,
              allowed: `an ${architecture} instance type for amiType ${amiType}`,
            },
          ]
        : [],
    );
  },
};
