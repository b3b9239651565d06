import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Network } from "../infra/network";
import type { StackConfig } from "./config/load";

/** Tags every taggable AWS resource carries, through the provider's default tags. */
export function standardTags(config: StackConfig): Record<string, string> {
  return {
    owner: config.owner,
    environment: config.stack,
    "cost-center": config.costCenter,
    tier: config.tier,
    project: pulumi.getProject(),
    "managed-by": "pulumi",
  };
}

/**
 * The composition root: wires the components for one stack from its validated config and returns
 * the stack outputs. Declares nothing that the config does not justify.
 */
export function definePlatform(config: StackConfig) {
  const prefix = `${pulumi.getProject()}-${config.stack}`;
  const provider = new aws.Provider(prefix, {
    region: config.region,
    allowedAccountIds: [config.accountId],
    defaultTags: { tags: standardTags(config) },
  });
  const providers = { providers: [provider] };

  const network = new Network(
    prefix,
    {
      accountId: config.accountId,
      region: config.region,
      availabilityZones: config.network.availabilityZones,
      vpcCidr: config.network.vpcCidr,
      natGateways: config.network.natGateways,
      flowLogRetentionDays: config.network.flowLogRetentionDays,
    },
    providers,
  );

  return {
    tier: config.tier,
    region: config.region,
    availabilityZones: network.availabilityZones,
    vpcId: network.vpcId,
    vpcCidr: network.vpcCidr,
    subnets: network.subnets.map(({ tier, availabilityZone, cidr, id }) => ({
      tier,
      availabilityZone,
      cidr,
      id,
    })),
    natGatewayCount: network.natGatewayIds.length,
    flowLogGroupName: network.flowLogGroupName,
  };
}
