import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KafkaCluster } from "../infra/kafka";
import { ShardedMysql } from "../infra/mysql";
import { Network } from "../infra/network";
import { RedisCluster } from "../infra/redis";
import { TieredStorage } from "../infra/storage";
import { kafkaArgs, mysqlArgs, networkArgs, redisArgs, storageArgs } from "./components";
import type { StackConfig } from "./config/types";
import { runtimeConfig } from "./runtimeConfig";

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

function awsProvider(name: string, config: StackConfig, region: string): aws.Provider {
  return new aws.Provider(name, {
    region: region as aws.Region,
    allowedAccountIds: [config.accountId],
    defaultTags: { tags: standardTags(config) },
  });
}

/**
 * The composition root: wires the components for one stack from its validated config and returns
 * the stack outputs. Declares nothing that the config does not justify.
 */
export function definePlatform(config: StackConfig) {
  const prefix = `${pulumi.getProject()}-${config.stack}`;
  const providers = { providers: [awsProvider(prefix, config, config.region)] };

  const network = new Network(prefix, networkArgs(config), providers);
  const placement = {
    vpcId: network.vpcId,
    isolatedSubnetIds: network.isolatedSubnetIds,
    workloadSecurityGroupId: network.workloadSecurityGroupId,
  };
  const mysql = new ShardedMysql(`${prefix}-mysql`, mysqlArgs(config, placement), providers);
  const redis = new RedisCluster(`${prefix}-redis`, redisArgs(config, placement), providers);
  const kafka = new KafkaCluster(`${prefix}-kafka`, kafkaArgs(config, placement), providers);
  const { drRegion } = config.storage;
  const drProvider = drRegion ? awsProvider(`${prefix}-dr`, config, drRegion) : undefined;
  const storage = new TieredStorage(`${prefix}-storage`, storageArgs(config, drProvider), providers);

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
    runtimeConfig: runtimeConfig({ mysql, redis, kafka, storage }),
  };
}
