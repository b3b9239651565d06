import type * as pulumi from "@pulumi/pulumi";
import ipaddr from "ipaddr.js";
import { z } from "zod";
import { logRetentionSchema } from "../lib/logs";
import { type DerivedName, nameBudget } from "../lib/names";
import { defaultKubernetesVersion, instanceTypes, kubernetesVersions } from "../lib/pins";
import { accountIdProblems, availabilityZoneProblems } from "../lib/placement";
import type { Problem } from "../lib/problems";
import { allowed, integer, parseSettings } from "../lib/schema";

export { defaultKubernetesVersion, type KubernetesVersion, kubernetesVersions } from "../lib/pins";

/** EKS default quota "Nodes per managed node group" (adjustable; raise the quota first). */
const maxNodesPerNodeGroup = 450;
/** CreateNodegroup takes 0–20 instance types; an empty list would silently mean t3.medium. */
const maxInstanceTypes = 20;
/** EKS quota "Public endpoint access CIDR ranges per cluster" (not adjustable). */
const maxPublicAccessCidrs = 40;
/** A network interface holds 5 security groups by default; the cluster security group is one. */
const maxNodeSecurityGroups = 4;
const nodeQuota = `EKS's default quota is ${maxNodesPerNodeGroup} nodes per managed node group`;

/** Managed node group sizes in one AZ. */
const nodesPerAzSchema = z.object({
  min: integer(1, maxNodesPerNodeGroup, `every AZ keeps a node for spread replicas; ${nodeQuota}`).describe(
    "Nodes the AZ never goes below.",
  ),
  max: integer(1, maxNodesPerNodeGroup, nodeQuota).describe("Ceiling the autoscaler may grow the AZ to."),
  desired: integer(1, maxNodesPerNodeGroup, nodeQuota).describe(
    "Nodes at creation (min ≤ desired ≤ max); the autoscaler owns the number afterwards.",
  ),
});
export type NodesPerAz = z.output<typeof nodesPerAzSchema>;

const instanceTypeCount = allowed(
  `1 to ${maxInstanceTypes} EC2 instance types (EKS managed node groups take up to ${maxInstanceTypes})`,
);

/** The version, nodes, endpoint and logs of an EksCluster: type, limits, description and baseline default, once. */
export const eksClusterSettingsSchema = z.object({
  kubernetesVersion: z
    .string()
    .refine(
      (version) => Object.hasOwn(kubernetesVersions, version),
      allowed(
        `one of ${Object.keys(kubernetesVersions).join(", ")} (the Kubernetes minors in EKS standard support)`,
      ),
    )
    .describe(
      "Kubernetes minor of the control plane and nodes; one in EKS standard support (infra/lib/pins.ts).",
    )
    .default(defaultKubernetesVersion),
  nodeInstanceTypes: z
    .array(z.string())
    .min(1, instanceTypeCount)
    .max(maxInstanceTypes, instanceTypeCount)
    .describe(
      "EC2 instance types of every node group, all of one architecture. Graviton (arm64) types need an arm64 (or multi-arch) image of every workload.",
    )
    .default(() => [...instanceTypes.nodes.prod.value]),
  nodesPerAz: nodesPerAzSchema
    .describe("Node counts of each AZ's managed node group.")
    .default(() => ({ min: 2, max: 10, desired: 2 })),
  endpointPublicAccess: z
    .boolean()
    .describe(
      "Also serve the Kubernetes API endpoint publicly, to publicAccessCidrs only; the private endpoint is always on.",
    )
    .default(false),
  publicAccessCidrs: z
    .array(z.string())
    .describe(
      "Public CIDRs (e.g. the deploy runner's egress) allowed to reach a public endpoint; required with endpointPublicAccess.",
    )
    .default(() => []),
  logRetentionDays: logRetentionSchema
    .describe("Days the control-plane logs are kept in CloudWatch Logs.")
    .default(365),
});

export type EksClusterSettings = z.output<typeof eksClusterSettingsSchema>;

/** The settings above (each optional: every one has a default) and where the cluster lives. */
export type EksClusterArgs = Readonly<z.input<typeof eksClusterSettingsSchema>> & {
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
  /** Deletion protection and Pulumi `protect` on the cluster. @default true */
  readonly protect?: boolean;
};

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
  const { settings, problems: settingsProblems } = parseSettings(eksClusterSettingsSchema, args);
  return [...problems, ...settingsProblems, ...(settings ? eksClusterSettingsProblems(settings) : [])];
}

/** What the settings demand beyond each field's own limits: one architecture, ordered sizes, a safe endpoint. */
export function eksClusterSettingsProblems(settings: EksClusterSettings): Problem[] {
  return [
    ...instanceTypeProblems(settings.nodeInstanceTypes),
    ...nodesPerAzProblems(settings.nodesPerAz),
    ...endpointProblems(settings.endpointPublicAccess, settings.publicAccessCidrs),
  ];
}

function instanceTypeProblems(types: readonly string[]): Problem[] {
  const problems: Problem[] = [];
  types.forEach((instanceType, i) => {
    if (!instanceTypePattern.test(instanceType)) {
      problems.push({
        path: `nodeInstanceTypes[${i}]`,
        value: instanceType,
        allowed: `an EC2 instance type, family and size, e.g. "${instanceTypes.nodes.prod.value[0]}"`,
      });
    } else if (types.indexOf(instanceType) !== i) {
      problems.push({
        path: `nodeInstanceTypes[${i}]`,
        value: instanceType,
        allowed: "each type at most once",
      });
    }
  });
  const architectures = new Set(types.map(instanceArchitecture));
  if (problems.length === 0 && architectures.size > 1) {
    problems.push({
      path: "nodeInstanceTypes",
      value: types,
      allowed:
        "instance types of one architecture, all Graviton (arm64, e.g. m7g) or all x86_64 (e.g. m7i): " +
        "a node group boots one AMI type",
    });
  }
  return problems;
}

/** Sizes in order: min ≤ desired ≤ max. */
function nodesPerAzProblems(nodes: NodesPerAz): Problem[] {
  if (nodes.min > nodes.max) {
    return [{ path: "nodesPerAz.min", value: nodes.min, allowed: `at most nodesPerAz.max (${nodes.max})` }];
  }
  if (nodes.desired < nodes.min || nodes.desired > nodes.max) {
    return [
      {
        path: "nodesPerAz.desired",
        value: nodes.desired,
        allowed: `from nodesPerAz.min (${nodes.min}) to nodesPerAz.max (${nodes.max})`,
      },
    ];
  }
  return [];
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
