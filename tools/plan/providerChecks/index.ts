import { describeProblem } from "../../../infra/lib/problems";
import type { RecordedResource } from "../recorder";
import { awsTypedInputs } from "./awsTypings";
import { auroraMysqlInstanceClass, auroraMysqlLogExports } from "./catalog/aurora";
import { albSslPolicy, cloudFrontSecurityPolicy, wafManagedRuleGroup } from "./catalog/edge";
import {
  eksAmiType,
  eksControlPlaneLogTypes,
  eksKubernetesVersion,
  eksNodeInstanceTypes,
} from "./catalog/eks";
import { valkeyNodeType } from "./catalog/elasticache";
import { mskBrokerSize, mskKafkaVersion } from "./catalog/msk";
import {
  auroraPerformanceInsightsClass,
  eksNodeArchitecture,
  mskBrokersPerSubnet,
  s3LifecycleTransitionDays,
  valkeyParameterGroupFamily,
} from "./crossField";
import { kubernetesSchema } from "./kubernetes";
import type { ProviderRule, ProviderViolation } from "./types";

export type { ProviderRule, ProviderViolation } from "./types";

/** Every provider check the plan runs, in report order. */
export const providerRules: readonly ProviderRule[] = [
  awsTypedInputs,
  kubernetesSchema,
  auroraMysqlInstanceClass,
  auroraMysqlLogExports,
  auroraPerformanceInsightsClass,
  valkeyNodeType,
  valkeyParameterGroupFamily,
  mskKafkaVersion,
  mskBrokerSize,
  mskBrokersPerSubnet,
  eksKubernetesVersion,
  eksControlPlaneLogTypes,
  eksAmiType,
  eksNodeInstanceTypes,
  eksNodeArchitecture,
  albSslPolicy,
  cloudFrontSecurityPolicy,
  wafManagedRuleGroup,
  s3LifecycleTransitionDays,
];

/**
 * Runs the rules over the recorded resources — what the mocks accepted — and returns every input AWS
 * or a provider would refuse, sorted by resource and input path.
 */
export async function checkProviderInputs(
  resources: readonly RecordedResource[],
  rules: readonly ProviderRule[] = providerRules,
): Promise<ProviderViolation[]> {
  const violations: ProviderViolation[] = [];
  for (const resource of resources) {
    for (const rule of rules) {
      if (rule.types !== "*" && !rule.types.includes(resource.type)) continue;
      for (const finding of await rule.check(resource, resources))
        violations.push({
          ...finding,
          urn: resource.urn,
          rule: rule.id,
          source: finding.source ?? rule.source,
        });
    }
  }
  return violations.sort((a, b) => a.urn.localeCompare(b.urn) || a.path.localeCompare(b.path));
}

/** `<urn>: <path>: got <value>; allowed: <…> [rule <id>; source <source>]`: one line per refused input. */
export function describeViolation(v: ProviderViolation): string {
  return `${v.urn}: ${describeProblem(v)} [rule ${v.rule}; source ${v.source}]`;
}

/** The plan's error when recorded inputs would be refused: a program error (exit 3), one line each. */
export class ProviderCheckError extends Error {
  constructor(readonly violations: readonly ProviderViolation[]) {
    super(
      `plan: ${violations.length} input(s) AWS or a provider would refuse (the mocks accept any value):\n` +
        violations.map(describeViolation).join("\n"),
    );
    this.name = "ProviderCheckError";
  }
}
