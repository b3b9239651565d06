import * as aws from "@pulumi/aws";
import type { RecordedResource } from "../../recorder";
import { awsPackage } from "../awsTypings";
import { awsPage, type Finding, knownString, notIn, type ProviderRule } from "../types";

/**
 * Kubernetes minors EKS creates clusters with on the date checked: 1.34–1.36 in standard support,
 * 1.32–1.33 in extended support (1.31's extended support ended 2026-11-26).
 */
export const eksKubernetesVersions = ["1.32", "1.33", "1.34", "1.35", "1.36"];
const versionsSource = awsPage("https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html");

/** Managed node group AMI types (the API's `amiType` enum), with the architecture each one runs. */
export const eksAmiTypes: Readonly<Record<string, "x86_64" | "arm64" | "windows">> = {
  AL2_x86_64: "x86_64",
  AL2_x86_64_GPU: "x86_64",
  AL2_ARM_64: "arm64",
  AL2023_x86_64_STANDARD: "x86_64",
  AL2023_ARM_64_STANDARD: "arm64",
  AL2023_x86_64_NEURON: "x86_64",
  AL2023_x86_64_NVIDIA: "x86_64",
  AL2023_ARM_64_NVIDIA: "arm64",
  BOTTLEROCKET_x86_64: "x86_64",
  BOTTLEROCKET_ARM_64: "arm64",
  BOTTLEROCKET_x86_64_FIPS: "x86_64",
  BOTTLEROCKET_ARM_64_FIPS: "arm64",
  BOTTLEROCKET_x86_64_NVIDIA: "x86_64",
  BOTTLEROCKET_ARM_64_NVIDIA: "arm64",
  WINDOWS_CORE_2019_x86_64: "windows",
  WINDOWS_FULL_2019_x86_64: "windows",
  WINDOWS_CORE_2022_x86_64: "windows",
  WINDOWS_FULL_2022_x86_64: "windows",
  CUSTOM: "x86_64",
};
export const amiTypeSource = awsPage(
  "https://docs.aws.amazon.com/eks/latest/APIReference/API_Nodegroup.html#AmazonEKS-Type-Nodegroup-amiType",
);

/** Control-plane log types EKS can send to CloudWatch Logs. */
export const eksLogTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

/** EC2 instance types, as the installed provider's typed enum lists them. */
export const ec2InstanceTypes: ReadonlySet<string> = new Set(Object.values(aws.ec2.InstanceType));

export const eksKubernetesVersion: ProviderRule = {
  id: "eks-kubernetes-version",
  source: versionsSource,
  types: ["aws:eks/cluster:Cluster", "aws:eks/nodeGroup:NodeGroup"],
  check(resource: RecordedResource): Finding[] {
    const version = knownString(resource.inputs, "version");
    return version && !eksKubernetesVersions.includes(version)
      ? [notIn("version", version, eksKubernetesVersions)]
      : [];
  },
};

export const eksControlPlaneLogTypes: ProviderRule = {
  id: "eks-control-plane-log-types",
  source: awsPage("https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html"),
  types: ["aws:eks/cluster:Cluster"],
  check(resource: RecordedResource): Finding[] {
    const types = resource.inputs.enabledClusterLogTypes;
    if (!Array.isArray(types)) return [];
    return types.flatMap((t, i) =>
      typeof t === "string" && !eksLogTypes.includes(t)
        ? [notIn(`enabledClusterLogTypes[${i}]`, t, eksLogTypes)]
        : [],
    );
  },
};

export const eksAmiType: ProviderRule = {
  id: "eks-ami-type",
  source: amiTypeSource,
  types: ["aws:eks/nodeGroup:NodeGroup"],
  check(resource: RecordedResource): Finding[] {
    const amiType = knownString(resource.inputs, "amiType");
    return amiType && !(amiType in eksAmiTypes) ? [notIn("amiType", amiType, Object.keys(eksAmiTypes))] : [];
  },
};

export const eksNodeInstanceTypes: ProviderRule = {
  id: "eks-node-instance-type",
  source: `${awsPackage} aws.ec2.InstanceType`,
  types: ["aws:eks/nodeGroup:NodeGroup"],
  check(resource: RecordedResource): Finding[] {
    const types = resource.inputs.instanceTypes;
    if (!Array.isArray(types)) return [];
    return types.flatMap((t, i) =>
      typeof t === "string" && !ec2InstanceTypes.has(t)
        ? [
            {
              path: `instanceTypes[${i}]`,
              value: t,
              allowed: `an EC2 instance type of ${awsPackage}'s aws.ec2.InstanceType`,
            },
          ]
        : [],
    );
  },
};
