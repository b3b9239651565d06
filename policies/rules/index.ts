import type { Rule } from "../lib/rule";
import { budgetRules } from "./budget";
import { costRules } from "./cost";
import { kubernetesRules } from "./kubernetes";
import { kubernetesHardeningRules } from "./kubernetesHardening";
import { dataStoreReliabilityRules } from "./reliability/dataStores";
import { networkReliabilityRules } from "./reliability/network";
import { workloadReliabilityRules } from "./reliability/workloads";
import { bucketSecurityRules } from "./security/buckets";
import { dataStoreRules } from "./security/dataStores";
import { edgeSecurityRules } from "./security/edge";
import { identitySecurityRules } from "./security/identity";
import { networkSecurityRules } from "./security/network";
import { permissionRules } from "./security/permissions";
import { resourcePolicyRules } from "./security/resourcePolicies";
import { taggingRules } from "./tagging";

/** Every rule of the pack, grouped by concern. */
export const rules: readonly Rule[] = [
  ...dataStoreRules,
  ...bucketSecurityRules,
  ...networkSecurityRules,
  ...edgeSecurityRules,
  ...identitySecurityRules,
  ...permissionRules,
  ...resourcePolicyRules,
  ...dataStoreReliabilityRules,
  ...networkReliabilityRules,
  ...workloadReliabilityRules,
  ...kubernetesRules,
  ...kubernetesHardeningRules,
  ...costRules,
  ...budgetRules,
  ...taggingRules,
];
