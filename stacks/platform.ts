import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { appHttpPort } from "../app/src/contract/runtimeConfig";
import { AuroraBackup } from "../infra/backup";
import { PreScale } from "../infra/capacity/preScale";
import { Cdn } from "../infra/cdn";
import { EksCluster, serviceAccountRole } from "../infra/cluster";
import { KafkaCluster } from "../infra/kafka";
import { LoadBalancer } from "../infra/loadbalancer";
import { ShardedMysql } from "../infra/mysql";
import { Network } from "../infra/network";
import { RedisCluster } from "../infra/redis";
import { AppSecrets, secretReaderPolicy } from "../infra/security";
import { TieredStorage } from "../infra/storage";
import { Workload, type WorkloadIdentity } from "../infra/workload";
import {
  backupArgs,
  type ComponentKey,
  cdnArgs,
  clusterArgs,
  componentName,
  kafkaArgs,
  loadBalancerArgs,
  mysqlArgs,
  networkArgs,
  preScaleArgs,
  redisArgs,
  storageArgs,
  workloadArgs,
} from "./components";
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
  const name = (component: ComponentKey) => componentName(pulumi.getProject(), config.stack, component);
  // The network takes the bare `<project>-<stack>`, as do the providers and stack-level resources.
  const prefix = name("network");
  const regionProvider = awsProvider(prefix, config, config.region);
  const providers = { providers: [regionProvider] };

  const network = new Network(name("network"), networkArgs(config), providers);
  const placement = {
    vpcId: network.vpcId,
    isolatedSubnetIds: network.isolatedSubnetIds,
    workloadSecurityGroupId: network.workloadSecurityGroupId,
  };
  const mysql = new ShardedMysql(name("mysql"), mysqlArgs(config, placement), providers);
  const redis = new RedisCluster(name("redis"), redisArgs(config, placement), providers);
  const kafka = new KafkaCluster(name("kafka"), kafkaArgs(config, placement), providers);
  const { drRegion } = config.storage;
  const drProvider = drRegion ? awsProvider(`${prefix}-dr`, config, drRegion) : undefined;
  // The static-assets bucket policy names the distribution, which needs the bucket first.
  const [cdnDistributionArn, resolveCdnDistributionArn] = pulumi.deferredOutput<string>();
  new AuroraBackup(`${name("mysql")}-backup`, backupArgs(config, mysql.clusterArns, drProvider), providers);
  const storage = new TieredStorage(
    name("storage"),
    { ...storageArgs(config, drProvider), cdnDistributionArns: [cdnDistributionArn] },
    providers,
  );
  const appSecrets = new AppSecrets(
    name("app"),
    { accountId: config.accountId, protect: config.protect },
    providers,
  );

  const compute = {
    vpcId: network.vpcId,
    privateSubnetIds: network.privateSubnetIds,
    publicSubnetIds: network.publicSubnetIds,
    workloadSecurityGroupId: network.workloadSecurityGroupId,
  };
  const cluster = new EksCluster(name("cluster"), clusterArgs(config, compute), providers);
  const edge = new LoadBalancer(name("edge"), loadBalancerArgs(config, compute), providers);
  // Pods take their IPs from the node security group: the load balancer reaches them on the app port.
  new aws.vpc.SecurityGroupIngressRule(
    `${prefix}-edge-to-pods`,
    {
      securityGroupId: network.workloadSecurityGroupId,
      referencedSecurityGroupId: edge.securityGroupId,
      ipProtocol: "tcp",
      fromPort: appHttpPort,
      toPort: appHttpPort,
      description: "The load balancer reaches API pods (IP targets) on the app port",
    },
    { parent: network },
  );
  const usEast1Provider = awsProvider(`${prefix}-us-east-1`, config, "us-east-1");
  const cdn = new Cdn(
    name("cdn"),
    {
      ...cdnArgs(config, {
        apiOrigin: edge.apiOrigin,
        staticAssetsBucketRegionalDomainName: storage.staticAssetsBucketRegionalDomainName,
      }),
      usEast1Provider,
    },
    providers,
  );
  resolveCdnDistributionArn(cdn.distributionArn);

  const appRuntimeConfig = runtimeConfig({ mysql, redis, kafka, storage, appSecrets, wechat: config.wechat });
  const secretKeys = [mysql.kmsKeyArn, redis.kmsKeyArn, kafka.kmsKeyArn, appSecrets.kmsKeyArn];
  const workload = new Workload(
    name("app"),
    {
      ...workloadArgs(config, {
        runtimeConfig: appRuntimeConfig,
        secrets: {
          mysqlShards: mysql.shardSecretArns,
          redisAuth: redis.authSecretArn,
          kafkaScram: kafka.credentialSecretArn,
          wechatAppSecret: appSecrets.wechatAppSecretArn,
          sessionSigningKey: appSecrets.sessionSigningSecretArn,
        },
        serviceAccountRoleArn: (identity: WorkloadIdentity) =>
          serviceAccountRole(
            `${prefix}-${identity.mode}`,
            {
              cluster,
              namespace: identity.namespace,
              serviceAccount: identity.serviceAccountName,
              policy: secretReaderPolicy(identity.secretArns, secretKeys, config.region),
            },
            { provider: regionProvider },
          ).roleArn,
        targetGroupArn: edge.targetGroupArn,
        cdnUrl: cdn.url,
        smokeDependsOn: [cdn],
      }),
      kubernetesProvider: cluster.kubernetesProvider,
      clusterAddons: cluster.addons,
    },
    providers,
  );

  const preScale = preScaleArgs(config, {
    namespace: workload.namespace,
    kubernetesProvider: cluster.kubernetesProvider,
  });
  if (preScale) new PreScale(`${prefix}-pre-scale`, preScale, { ...providers, dependsOn: [workload] });

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
    runtimeConfig: appRuntimeConfig,
    clusterName: cluster.clusterName,
    apiUrl: cdn.url,
    loadBalancerDnsName: edge.loadBalancerDnsName,
    cdnDistributionId: cdn.distributionId,
    imageRef: workload.imageRef,
    smokeJobName: workload.smokeJobName,
    wechatAppSecretArn: appSecrets.wechatAppSecretArn,
  };
}
