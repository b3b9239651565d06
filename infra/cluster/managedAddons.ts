import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/**
 * VPC CNI settings: network policy enforcement on, so the workload's NetworkPolicy objects are
 * enforced by the CNI's eBPF agent instead of being silently ignored.
 */
export const vpcCniConfiguration = { enableNetworkPolicy: "true" } as const;

/**
 * An EKS managed add-on. The add-on version is left to EKS, which installs the default build for
 * the cluster's Kubernetes minor; pinning would need `describe-addon-versions`, a cloud lookup the
 * offline plan cannot make. Conflicts resolve to this configuration: the code is the source of truth.
 */
export function eksAddon(
  name: string,
  args: {
    readonly clusterName: pulumi.Input<string>;
    readonly addonName: "vpc-cni" | "kube-proxy" | "coredns";
    readonly configurationValues?: object;
    readonly serviceAccountRoleArn?: pulumi.Input<string>;
  },
  opts: pulumi.CustomResourceOptions,
): aws.eks.Addon {
  return new aws.eks.Addon(
    `${name}-${args.addonName}`,
    {
      clusterName: args.clusterName,
      addonName: args.addonName,
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      ...(args.configurationValues ? { configurationValues: JSON.stringify(args.configurationValues) } : {}),
      ...(args.serviceAccountRoleArn ? { serviceAccountRoleArn: args.serviceAccountRoleArn } : {}),
    },
    opts,
  );
}
