import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { amiTypes } from "../lib/pins";
import { instanceArchitecture, type NodesPerAz } from "./args";

/**
 * What nodes need and nothing more: joining the cluster and pulling images. Pull-only is narrower
 * than ECR read-only (no listing or describing). The CNI policy is not here: it lives on the
 * aws-node service account's IRSA role, so a pod on the node cannot borrow it.
 */
export const nodeManagedPolicies = [
  "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
  "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
] as const;

/** Root volume of every node: images and pod scratch space; gp3 gives 3000 IOPS at any size. */
const rootVolume = { deviceName: "/dev/xvda", sizeGiB: 50 } as const;

export interface NodeGroupsArgs {
  readonly clusterName: pulumi.Input<string>;
  readonly kubernetesVersion: string;
  readonly availabilityZones: readonly string[];
  readonly privateSubnetIds: readonly pulumi.Input<string>[];
  /** The workload groups plus the EKS cluster security group, which EKS stops adding itself. */
  readonly securityGroupIds: pulumi.Input<string>[];
  readonly instanceTypes: readonly string[];
  readonly nodesPerAz: NodesPerAz;
  /** Resources the node groups wait for: the CNI and kube-proxy, without which nodes never get Ready. */
  readonly dependsOn: pulumi.Resource[];
}

export interface NodeGroups {
  readonly role: aws.iam.Role;
  readonly groups: aws.eks.NodeGroup[];
}

/**
 * One managed node group per AZ, each in that AZ's private subnet. Per-AZ groups let the cluster
 * autoscaler grow the AZ a pending pod needs (its volume's AZ, or the emptiest zone of a spread),
 * and balance the AZs evenly; a single multi-AZ group could only grow "somewhere".
 */
export function nodeGroups(name: string, args: NodeGroupsArgs, parent: pulumi.Resource): NodeGroups {
  const role = new aws.iam.Role(
    `${name}-node`,
    {
      description: `Nodes of the EKS cluster ${name}`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
      }),
    },
    { parent },
  );
  const attachments = nodeManagedPolicies.map(
    (policyArn) =>
      new aws.iam.RolePolicyAttachment(
        `${name}-node-${policyArn.slice(policyArn.lastIndexOf("/") + 1)}`,
        { role: role.name, policyArn },
        { parent },
      ),
  );
  const launchTemplate = new aws.ec2.LaunchTemplate(
    `${name}-node`,
    {
      description: `Nodes of the EKS cluster ${name}: IMDSv2 only, hop limit 1, encrypted gp3 root`,
      // Hop limit 1: the IMDS response dies one hop out, so only host-network processes (kubelet,
      // aws-node) reach it; a pod cannot take the node role's credentials and must use IRSA.
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      },
      blockDeviceMappings: [
        {
          deviceName: rootVolume.deviceName,
          // The account's EBS key: a customer-managed key would need grants for the Auto Scaling
          // service-linked role in its key policy, and nodes hold no state worth a key of their own.
          ebs: {
            volumeType: "gp3",
            volumeSize: rootVolume.sizeGiB,
            encrypted: "true",
            deleteOnTermination: "true",
          },
        },
      ],
      vpcSecurityGroupIds: args.securityGroupIds,
      updateDefaultVersion: true,
      tagSpecifications: ["instance", "volume"].map((resourceType) => ({
        resourceType,
        tags: { Name: `${name}-node` },
      })),
    },
    { parent },
  );

  const architecture = instanceArchitecture(args.instanceTypes[0] ?? "");
  const groups = args.availabilityZones.map(
    (availabilityZone, i) =>
      new aws.eks.NodeGroup(
        `${name}-${availabilityZone}`,
        {
          clusterName: args.clusterName,
          version: args.kubernetesVersion,
          nodeRoleArn: role.arn,
          subnetIds: [args.privateSubnetIds[i] as pulumi.Input<string>],
          amiType: amiTypes[architecture].value,
          capacityType: "ON_DEMAND",
          instanceTypes: [...args.instanceTypes],
          scalingConfig: {
            minSize: args.nodesPerAz.min,
            maxSize: args.nodesPerAz.max,
            desiredSize: args.nodesPerAz.desired,
          },
          updateConfig: { maxUnavailable: 1 },
          nodeRepairConfig: { enabled: true },
          launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
          // EKS puts these discovery tags on each managed group's Auto Scaling group itself; they
          // are repeated here so the plan shows the contract the autoscaler's IAM condition relies on.
          tags: {
            "k8s.io/cluster-autoscaler/enabled": "true",
            [`k8s.io/cluster-autoscaler/${name}`]: "owned",
          },
        },
        {
          parent,
          dependsOn: [...attachments, ...args.dependsOn],
          // The cluster autoscaler owns the desired size once the group exists; resetting it on every
          // deploy would undo its scaling.
          ignoreChanges: ["scalingConfig.desiredSize"],
        },
      ),
  );
  return { role, groups };
}
