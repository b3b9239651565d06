import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

export interface DataStoreSecurityGroupArgs {
  readonly vpcId: pulumi.Input<string>;
  /** What the group guards, e.g. "Aurora MySQL shard 0". */
  readonly description: string;
  /** TCP ports clients connect to. */
  readonly ports: readonly number[];
  /** The only security groups allowed in, typically the workload's. */
  readonly clientSecurityGroupIds: readonly pulumi.Input<string>[];
}

/**
 * A security group for a data store: ingress only from the client groups on the store's ports, and
 * no egress rule at all, since a data store never opens connections of its own here.
 */
export function dataStoreSecurityGroup(
  name: string,
  args: DataStoreSecurityGroupArgs,
  opts: pulumi.CustomResourceOptions,
): aws.ec2.SecurityGroup {
  return new aws.ec2.SecurityGroup(
    name,
    {
      vpcId: args.vpcId,
      description: `${args.description}: clients only`,
      ingress: args.ports.map((port) => ({
        description: `${args.description} clients`,
        protocol: "tcp",
        fromPort: port,
        toPort: port,
        securityGroups: [...args.clientSecurityGroupIds],
      })),
      egress: [],
      tags: { Name: name },
    },
    opts,
  );
}
