import type * as pulumi from "@pulumi/pulumi";
import ipaddr from "ipaddr.js";
import { logRetentionProblems } from "../lib/logs";
import { type DerivedName, nameBudget } from "../lib/names";
import { instanceTypes, kubernetesVersions } from "../lib/pins";
import { accountIdProblems, availabilityZoneProblems } from "../lib/placement";
import type { Problem } from "../lib/problems";

export { defaultKubernetesVersion, type KubernetesVersion, kubernetesVersions } from "../lib/pins";

/** Managed node group sizes in one AZ. */
export interface NodesPerAz {
  /** Nodes the AZ never goes below. @default 2 */
  readonly min: number;
  /** Ceiling the autoscaler may grow the AZ to. @default 10 */
  readonly max: number;
  /** Nodes at creation; the autoscaler owns the number afterwards. @default 2 */
  readonly desired: number;
}

export interface EksClusterArgs {
  /** Account the cluster lives in; scopes key policies and role trust. @default none (required) */
  readonly accountId: string;
  /** Region of the cluster; the add-ons are told it because IMDS is closed to pods. @default none (required) */
  readonly region: string;
  /** VPC of the private subnets; the load balancer controller is told it. @default none (required) */
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets, one per AZ, in the order of `availabilityZones`. @default none (required) */
  readonly privateSubnetIds: readonly pulumi.Input<string>[];
  /** AZ names matching `privateSubnetIds`; one managed node group each. @default none (required) */
  readonly availabilityZones: readonly string[];
  /**
   * Security groups every node carries besides the EKS cluster security group: the workload group
   * the data stores admit. @default none (required)
   */
  readonly nodeSecurityGroupIds: readonly pulumi.Input<string>[];
  /** Kubernetes minor of the control plane and nodes; one of `kubernetesVersions`. @default `defaultKubernetesVersion` (infra/lib/pins.ts) */
  readonly kubernetesVersion?: string;
  /**
   * EC2 instance types of every node group, all of one architecture. Graviton (arm64) types need an
   * arm64 (or multi-arch) image of every workload. @default `instanceTypes.nodes.component` (infra/lib/pins.ts)
   */
  readonly nodeInstanceTypes?: readonly string[];
  /** Node counts of each AZ's node group. @default { min: 2, max: 10, desired: 2 } */
  readonly nodesPerAz?: NodesPerAz;
  /**
   * Also serve the API endpoint publicly (to `publicAccessCidrs` only); the private endpoint is
   * always on. @default false
   */
  readonly endpointPublicAccess?: boolean;
  /** Public CIDRs allowed to reach a public endpoint; required with `endpointPublicAccess`. @default [] */
  readonly publicAccessCidrs?: readonly string[];
  /** Days the control-plane logs are kept in CloudWatch Logs. @default 365 */
  readonly logRetentionDays?: number;
  /** Deletion protection and Pulumi `protect` on the cluster. @default true */
  readonly protect?: boolean;
}

export const defaultNodesPerAz: NodesPerAz = { min: 2, max: 10, desired: 2 };
export const defaultNodeInstanceTypes = instanceTypes.nodes.component.value;

/** EKS default quota "Nodes per managed node group" (adjustable; raise the quota first). */
export const maxNodesPerNodeGroup = 450;
/** CreateNodegroup takes 0–20 instance types; an empty list would silently mean t3.medium. */
const maxInstanceTypes = 20;
/** EKS quota "Public endpoint access CIDR ranges per cluster" (not adjustable). */
const maxPublicAccessCidrs = 40;
/** A network interface holds 5 security groups by default; the cluster security group is one. */
const maxNodeSecurityGroups = 4;
/** Network's subnet plan carves private subnets for up to 6 AZs; EKS needs subnets in 2. */
const availabilityZoneRange = { min: 2, max: 6, why: "EKS needs subnets in 2; one node group per AZ" };

const instanceTypePattern = /^([a-z][a-z0-9-]*)\.([a-z0-9]+)$/;
/** Graviton families carry a `g` right after the generation: m7g, c7gn, t4g, r8gd, g5g, im4gn. */
const gravitonFamily = /^[a-z]+\d+g[a-z]*$/;

export type NodeArchitecture = "arm64" | "x86_64";

export function instanceArchitecture(instanceType: string): NodeArchitecture {
  const family = instanceType.split(".")[0] ?? "";
  return gravitonFamily.test(family) ? "arm64" : "x86_64";
}

/**
 * A node group is autonamed `<cluster>-<AZ>` within EKS's 63 characters
 * (https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html), and AZ names run
 * to 15 characters (ap-southeast-1a).
 */
export const eksClusterDerivedNames: [DerivedName] = [
  { what: "EKS node group name", suffix: "-ap-southeast-1a", autonamed: true, maxLength: 63 },
];

/** Longest cluster name whose derived names still fit. */
const maxClusterNameLength = nameBudget(eksClusterDerivedNames).maxLength;

/** EKS cluster name rules (CreateCluster: alphanumeric first, then - and _), within the derived-name budget. */
export function clusterNameProblems(name: string): Problem[] {
  const pattern = new RegExp(`^[0-9A-Za-z][A-Za-z0-9_-]{0,${maxClusterNameLength - 1}}$`);
  return pattern.test(name)
    ? []
    : [
        {
          path: "name",
          value: name,
          allowed:
            `an EKS cluster name: 1–${maxClusterNameLength} of A-Z a-z 0-9 - _, starting with a letter or digit ` +
            "(node group names add the AZ and a suffix within EKS's 63)",
        },
      ];
}

export function eksClusterArgsProblems(args: EksClusterArgs): Problem[] {
  const problems = [
    ...accountIdProblems(args.accountId),
    ...availabilityZoneProblems(args.region, args.availabilityZones, availabilityZoneRange),
  ];
  if (args.privateSubnetIds.length !== args.availabilityZones.length) {
    problems.push({
      path: "privateSubnetIds",
      value: `${args.privateSubnetIds.length} subnet ids`,
      allowed: `one private subnet per availability zone: ${args.availabilityZones.length}, in the order of availabilityZones`,
    });
  }
  const groups = args.nodeSecurityGroupIds.length;
  if (groups < 1 || groups > maxNodeSecurityGroups) {
    problems.push({
      path: "nodeSecurityGroupIds",
      value: `${groups} security group ids`,
      allowed:
        `1 to ${maxNodeSecurityGroups} security group ids (the data stores admit the workload group; ` +
        "a node's network interface holds 5 groups and the EKS cluster security group takes one)",
    });
  }
  const version = args.kubernetesVersion;
  if (version !== undefined && !Object.hasOwn(kubernetesVersions, version)) {
    problems.push({
      path: "kubernetesVersion",
      value: version,
      allowed: `one of ${Object.keys(kubernetesVersions).join(", ")} (the Kubernetes minors in EKS standard support)`,
    });
  }
  problems.push(...instanceTypeProblems(args.nodeInstanceTypes));
  problems.push(...nodesPerAzProblems(args.nodesPerAz));
  problems.push(...endpointProblems(args.endpointPublicAccess ?? false, args.publicAccessCidrs ?? []));
  problems.push(...logRetentionProblems("logRetentionDays", args.logRetentionDays));
  return problems;
}

function instanceTypeProblems(instanceTypes: readonly string[] | undefined): Problem[] {
  if (instanceTypes === undefined) return [];
  if (instanceTypes.length < 1 || instanceTypes.length > maxInstanceTypes) {
    return [
      {
        path: "nodeInstanceTypes",
        value: instanceTypes,
        allowed: `1 to ${maxInstanceTypes} EC2 instance types (EKS managed node groups take up to ${maxInstanceTypes})`,
      },
    ];
  }
  const problems: Problem[] = [];
  instanceTypes.forEach((instanceType, i) => {
    if (!instanceTypePattern.test(instanceType)) {
      problems.push({
        path: `nodeInstanceTypes[${i}]`,
        value: instanceType,
        allowed: `an EC2 instance type, family and size, e.g. "${defaultNodeInstanceTypes[0]}"`,
      });
    } else if (instanceTypes.indexOf(instanceType) !== i) {
      problems.push({
        path: `nodeInstanceTypes[${i}]`,
        value: instanceType,
        allowed: "each type at most once",
      });
    }
  });
  const architectures = new Set(instanceTypes.map(instanceArchitecture));
  if (problems.length === 0 && architectures.size > 1) {
    problems.push({
      path: "nodeInstanceTypes",
      value: instanceTypes,
      allowed:
        "instance types of one architecture, all Graviton (arm64, e.g. m7g) or all x86_64 (e.g. m7i): " +
        "a node group boots one AMI type",
    });
  }
  return problems;
}

function nodesPerAzProblems(nodes: NodesPerAz | undefined): Problem[] {
  if (nodes === undefined) return [];
  const problems: Problem[] = [];
  const inRange = (field: keyof NodesPerAz, min: number, why: string) => {
    const value = nodes[field];
    const valid = Number.isInteger(value) && value >= min && value <= maxNodesPerNodeGroup;
    if (!valid) {
      problems.push({
        path: `nodesPerAz.${field}`,
        value,
        allowed: `an integer from ${min} to ${maxNodesPerNodeGroup} (${why})`,
      });
    }
    return valid;
  };
  const quota = `EKS's default quota is ${maxNodesPerNodeGroup} nodes per managed node group`;
  const minValid = inRange("min", 1, `every AZ keeps a node for spread replicas; ${quota}`);
  const maxValid = inRange("max", 1, quota);
  const desiredValid = inRange("desired", 1, quota);
  if (minValid && maxValid && nodes.min > nodes.max) {
    problems.push({
      path: "nodesPerAz.min",
      value: nodes.min,
      allowed: `at most nodesPerAz.max (${nodes.max})`,
    });
  } else if (
    minValid &&
    maxValid &&
    desiredValid &&
    (nodes.desired < nodes.min || nodes.desired > nodes.max)
  ) {
    problems.push({
      path: "nodesPerAz.desired",
      value: nodes.desired,
      allowed: `from nodesPerAz.min (${nodes.min}) to nodesPerAz.max (${nodes.max})`,
    });
  }
  return problems;
}

const allowedPublicCidr =
  "a public IPv4 network in CIDR form, such as an office's egress range (never 0.0.0.0/0, which opens " +
  "the API endpoint to the whole internet)";

function endpointProblems(publicAccess: boolean, cidrs: readonly string[]): Problem[] {
  if (!publicAccess) {
    return cidrs.length === 0
      ? []
      : [
          {
            path: "publicAccessCidrs",
            value: cidrs,
            allowed: "none while endpointPublicAccess is false (the endpoint is private only)",
          },
        ];
  }
  if (cidrs.length < 1 || cidrs.length > maxPublicAccessCidrs) {
    return [
      {
        path: "publicAccessCidrs",
        value: cidrs,
        allowed:
          `1 to ${maxPublicAccessCidrs} CIDRs when endpointPublicAccess is true ` +
          `(EKS's quota is ${maxPublicAccessCidrs}; with none EKS would open the endpoint to 0.0.0.0/0)`,
      },
    ];
  }
  return cidrs.flatMap((cidr, i) => publicCidrProblems(`publicAccessCidrs[${i}]`, cidr));
}

function publicCidrProblems(path: string, cidr: string): Problem[] {
  const bad = (allowed = allowedPublicCidr): Problem[] => [{ path, value: cidr, allowed }];
  if (!ipaddr.IPv4.isValidCIDR(cidr)) return bad();
  const [address, prefix] = ipaddr.IPv4.parseCIDR(cidr);
  if (prefix === 0 || address.range() !== "unicast") return bad();
  const network = ipaddr.IPv4.networkAddressFromCIDR(cidr).toString();
  if (network !== address.toString())
    return bad(`${allowedPublicCidr}; did you mean "${network}/${prefix}"?`);
  return [];
}
