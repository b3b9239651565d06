import { kubernetesVersions } from "../../infra/lib/pins";
import { type Rule, resourceRule } from "../lib/rule";
import { t } from "../lib/types";
import { show } from "../lib/values";

/**
 * Kubernetes minors in EKS standard support: the same table the stack config accepts
 * (infra/lib/pins.ts), so a stack cannot pass the pack on a version its own config would refuse.
 */
const standardSupport = Object.keys(kubernetesVersions);

export const eksVersionSupported = resourceRule<{ supportedVersions: string[] }>({
  id: "reliability-eks-version-supported",
  family: "Kubernetes",
  controls: ["FSBP EKS.2", "CKV_AWS_339"],
  concern: "reliability",
  description:
    "EKS clusters and node groups run a Kubernetes minor in standard support: past it, EKS bills extended " +
    "support and then upgrades the control plane itself. Fix: set version to a minor in standard support " +
    "(infra/lib/pins.ts kubernetesVersions) and upgrade the node groups with it.",
  types: [t.eksCluster, t.eksNodeGroup],
  config: {
    schema: {
      supportedVersions: {
        type: "array",
        items: { type: "string", pattern: "^1\\.\\d+$" },
        description: "Kubernetes minors in EKS standard support.",
      },
    },
    defaults: () => ({ supportedVersions: standardSupport }),
  },
  check: ({ props }, config, report) => {
    const version = props.version;
    if (typeof version === "string" && !config.supportedVersions.includes(version)) {
      report(
        `version is ${show(version)}, not in EKS standard support (${config.supportedVersions.join(", ")})`,
      );
    }
  },
});

export const lifecycleRules: Rule[] = [eksVersionSupported];
