import type { Rule } from "../lib/rule";
import { budgetRules } from "./budget";
import { costRules } from "./cost";
import { kubernetesRules } from "./kubernetes";
import { kubernetesHardeningRules } from "./kubernetesHardening";
import { lifecycleRules } from "./lifecycle";
import { backupRules } from "./reliability/backup";
import { dataStoreReliabilityRules } from "./reliability/dataStores";
import { networkReliabilityRules } from "./reliability/network";
import { workloadReliabilityRules } from "./reliability/workloads";
import { bucketSecurityRules } from "./security/buckets";
import { dataStoreRules } from "./security/dataStores";
import { edgeSecurityRules } from "./security/edge";
import { identitySecurityRules } from "./security/identity";
import { loadBalancerExposureRules } from "./security/loadBalancerExposure";
import { loggingRules } from "./security/logging";
import { networkSecurityRules } from "./security/network";
import { nodeVolumeRules } from "./security/nodeVolumes";
import { permissionRules } from "./security/permissions";
import { resourcePolicyRules } from "./security/resourcePolicies";
import { secretRotationRules } from "./security/secretRotation";
import { wafRulesAndLogging } from "./security/waf";
import { taggingRules } from "./tagging";

/** Every rule of the pack, grouped by concern. */
export const rules: readonly Rule[] = [
  ...dataStoreRules,
  ...bucketSecurityRules,
  ...networkSecurityRules,
  ...edgeSecurityRules,
  ...wafRulesAndLogging,
  ...loadBalancerExposureRules,
  ...loggingRules,
  ...secretRotationRules,
  ...nodeVolumeRules,
  ...identitySecurityRules,
  ...permissionRules,
  ...resourcePolicyRules,
  ...dataStoreReliabilityRules,
  ...backupRules,
  ...networkReliabilityRules,
  ...workloadReliabilityRules,
  ...kubernetesRules,
  ...kubernetesHardeningRules,
  ...lifecycleRules,
  ...costRules,
  ...budgetRules,
  ...taggingRules,
];
