import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { encryptedLogGroup } from "../lib/logs";
import { assertValidArgs } from "../lib/problems";
import { type NetworkArgs, type NetworkSettings, networkArgsProblems, networkSettingsSchema } from "./args";
import { planSubnets, type SubnetTier } from "./subnetPlan";

export { logRetentionDays } from "../lib/logs";
export {
  type NatGatewayMode,
  type NetworkArgs,
  type NetworkSettings,
  natGatewayModes,
  networkArgsProblems,
  networkPlacementProblems,
  networkSettingsSchema,
} from "./args";
export { cidrsOverlap, planSubnets, type SubnetTier, subnetTiers, vpcCidrProblems } from "./subnetPlan";

export interface SubnetRef {
  readonly tier: SubnetTier;
  readonly availabilityZone: string;
  readonly cidr: string;
  readonly id: pulumi.Output<string>;
}

/**
 * A VPC across the given AZs with three subnet tiers per AZ: public (load balancers, NAT), private
 * (workloads, egress through NAT) and isolated (data stores, no route to the internet). Flow logs
 * go to a KMS-encrypted log group; S3 traffic stays on a gateway endpoint; the default security
 * group is stripped of its rules so nothing can rely on it by accident.
 */
export class Network extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  public readonly vpcCidr: string;
  public readonly availabilityZones: readonly string[];
  public readonly subnets: readonly SubnetRef[];
  public readonly publicSubnetIds: pulumi.Output<string>[];
  public readonly privateSubnetIds: pulumi.Output<string>[];
  public readonly isolatedSubnetIds: pulumi.Output<string>[];
  public readonly natGatewayIds: pulumi.Output<string>[];
  public readonly privateRouteTableIds: pulumi.Output<string>[];
  public readonly flowLogGroupName: pulumi.Output<string>;
  /**
   * The security group workload nodes carry. Data stores admit traffic from this group only, so
   * "reachable only from the workload" is one rule per store, not a list of CIDRs.
   */
  public readonly workloadSecurityGroupId: pulumi.Output<string>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("crest:network:Network", name, {}, opts);
    assertValidArgs("crest:network:Network", name, networkArgsProblems(args));
    const parent = { parent: this };
    const settings = networkSettingsSchema.parse(args);
    const natMode = settings.natGateways;

    const vpc = new aws.ec2.Vpc(
      name,
      { cidrBlock: args.vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: name } },
      parent,
    );
    new aws.ec2.DefaultSecurityGroup(
      `${name}-default`,
      { vpcId: vpc.id, ingress: [], egress: [], tags: { Name: `${name}-default-no-rules` } },
      parent,
    );
    const internetGateway = new aws.ec2.InternetGateway(
      name,
      { vpcId: vpc.id, tags: { Name: name } },
      parent,
    );

    const subnets = planSubnets(args.vpcCidr, args.availabilityZones).map((planned): SubnetRef => {
      const subnet = new aws.ec2.Subnet(
        `${name}-${planned.tier}-${planned.availabilityZone}`,
        {
          vpcId: vpc.id,
          availabilityZone: planned.availabilityZone,
          cidrBlock: planned.cidr,
          mapPublicIpOnLaunch: false,
          tags: { Name: `${name}-${planned.tier}-${planned.availabilityZone}`, ...tierTags[planned.tier] },
        },
        parent,
      );
      return { ...planned, id: subnet.id };
    });
    const ofTier = (tier: SubnetTier) => subnets.filter((s) => s.tier === tier);

    const publicRoutes = new aws.ec2.RouteTable(
      `${name}-public`,
      {
        vpcId: vpc.id,
        routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: internetGateway.id }],
        tags: { Name: `${name}-public` },
      },
      parent,
    );
    this.associate(name, ofTier("public"), () => publicRoutes.id);

    const natSubnets = natMode === "perAz" ? ofTier("public") : ofTier("public").slice(0, 1);
    const natGateways = natSubnets.map((subnet) => {
      const eip = new aws.ec2.Eip(
        `${name}-nat-${subnet.availabilityZone}`,
        { domain: "vpc", tags: { Name: `${name}-nat-${subnet.availabilityZone}` } },
        parent,
      );
      return new aws.ec2.NatGateway(
        `${name}-${subnet.availabilityZone}`,
        {
          allocationId: eip.allocationId,
          subnetId: subnet.id,
          connectivityType: "public",
          tags: { Name: `${name}-${subnet.availabilityZone}` },
        },
        { parent: this, dependsOn: [internetGateway] },
      );
    });

    const privateRouteTables = ofTier("private").map((subnet, i) => {
      const nat = natGateways[natMode === "perAz" ? i : 0];
      if (!nat) throw new pulumi.ResourceError(`no NAT gateway planned for ${subnet.availabilityZone}`, this);
      return new aws.ec2.RouteTable(
        `${name}-private-${subnet.availabilityZone}`,
        {
          vpcId: vpc.id,
          routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }],
          tags: { Name: `${name}-private-${subnet.availabilityZone}` },
        },
        parent,
      );
    });
    this.associate(name, ofTier("private"), (i) => privateRouteTables[i]?.id);

    const isolatedRoutes = new aws.ec2.RouteTable(
      `${name}-isolated`,
      { vpcId: vpc.id, tags: { Name: `${name}-isolated` } },
      parent,
    );
    this.associate(name, ofTier("isolated"), () => isolatedRoutes.id);

    new aws.ec2.VpcEndpoint(
      `${name}-s3`,
      {
        vpcId: vpc.id,
        serviceName: `com.amazonaws.${args.region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: [...privateRouteTables.map((t) => t.id), isolatedRoutes.id],
        tags: { Name: `${name}-s3` },
      },
      parent,
    );

    this.flowLogGroupName = this.flowLogs(name, { ...args, ...settings }, vpc);
    const workloadSecurityGroup = new aws.ec2.SecurityGroup(
      `${name}-workload`,
      {
        vpcId: vpc.id,
        description: "Workload nodes and pods; data stores admit only this group",
        egress: [
          {
            description: "Egress through NAT (mini-program platform APIs) and to the data stores",
            protocol: "-1",
            fromPort: 0,
            toPort: 0,
            cidrBlocks: ["0.0.0.0/0"],
          },
        ],
        tags: { Name: `${name}-workload` },
      },
      parent,
    );
    this.workloadSecurityGroupId = workloadSecurityGroup.id;

    this.vpcId = vpc.id;
    this.vpcCidr = args.vpcCidr;
    this.availabilityZones = args.availabilityZones;
    this.subnets = subnets;
    this.publicSubnetIds = ofTier("public").map((s) => s.id);
    this.privateSubnetIds = ofTier("private").map((s) => s.id);
    this.isolatedSubnetIds = ofTier("isolated").map((s) => s.id);
    this.natGatewayIds = natGateways.map((n) => n.id);
    this.privateRouteTableIds = privateRouteTables.map((t) => t.id);
    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      isolatedSubnetIds: this.isolatedSubnetIds,
      natGatewayIds: this.natGatewayIds,
      flowLogGroupName: this.flowLogGroupName,
      workloadSecurityGroupId: this.workloadSecurityGroupId,
    });
  }

  private associate(
    name: string,
    subnets: readonly SubnetRef[],
    routeTableId: (i: number) => pulumi.Output<string> | undefined,
  ): void {
    subnets.forEach((subnet, i) => {
      const tableId = routeTableId(i);
      if (!tableId) throw new pulumi.ResourceError(`no route table for ${subnet.availabilityZone}`, this);
      new aws.ec2.RouteTableAssociation(
        `${name}-${subnet.tier}-${subnet.availabilityZone}`,
        { subnetId: subnet.id, routeTableId: tableId },
        { parent: this },
      );
    });
  }

  /** Every accepted and rejected flow, kept in a log group encrypted with the stack's own key. */
  private flowLogs(
    name: string,
    args: NetworkArgs & NetworkSettings,
    vpc: aws.ec2.Vpc,
  ): pulumi.Output<string> {
    const logGroupName = `/crest/${name}/flow-logs`;
    const logGroupArn = `arn:aws:logs:${args.region}:${args.accountId}:log-group:${logGroupName}`;
    const logGroup = encryptedLogGroup(
      `${name}-flow-logs`,
      {
        description: `the VPC flow logs of ${name}`,
        region: args.region,
        accountId: args.accountId,
        logGroupName,
        retentionInDays: args.flowLogRetentionDays,
      },
      { parent: this },
    );
    const role = new aws.iam.Role(
      `${name}-flow-logs`,
      {
        description: `Lets VPC Flow Logs write the flow logs of ${name}`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "vpc-flow-logs.amazonaws.com" },
              Action: "sts:AssumeRole",
              Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
            },
          ],
        }),
      },
      { parent: this },
    );
    new aws.iam.RolePolicy(
      `${name}-flow-logs`,
      {
        role: role.id,
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
              Resource: `${logGroupArn}:*`,
            },
          ],
        }),
      },
      { parent: this },
    );
    new aws.ec2.FlowLog(
      name,
      {
        vpcId: vpc.id,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: logGroup.arn,
        iamRoleArn: role.arn,
        maxAggregationInterval: 60,
        tags: { Name: name },
      },
      { parent: this },
    );
    return logGroup.name;
  }
}

/** Discovery tags the AWS Load Balancer Controller reads to place internet-facing and internal LBs. */
const tierTags: Record<SubnetTier, Record<string, string>> = {
  public: { "crest:subnet-tier": "public", "kubernetes.io/role/elb": "1" },
  private: { "crest:subnet-tier": "private", "kubernetes.io/role/internal-elb": "1" },
  isolated: { "crest:subnet-tier": "isolated" },
};
