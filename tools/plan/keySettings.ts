/**
 * The inputs a reviewer looks at first, per resource type. The plan's summary and report show these
 * for every resource of the type; the JSON always has every input.
 */
export const keySettings: Readonly<Record<string, readonly string[]>> = {
  "pulumi:providers:aws": ["region", "allowedAccountIds"],
  "aws:ec2/vpc:Vpc": ["cidrBlock", "enableDnsHostnames"],
  "aws:ec2/subnet:Subnet": ["availabilityZone", "cidrBlock", "mapPublicIpOnLaunch"],
  "aws:ec2/natGateway:NatGateway": ["connectivityType", "tags.Name"],
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": ["ingress", "egress"],
  "aws:ec2/vpcEndpoint:VpcEndpoint": ["serviceName", "vpcEndpointType"],
  "aws:ec2/flowLog:FlowLog": ["trafficType", "logDestinationType"],
  "aws:cloudwatch/logGroup:LogGroup": ["name", "retentionInDays", "kmsKeyId"],
  "aws:kms/key:Key": ["enableKeyRotation", "deletionWindowInDays"],
  "aws:rds/cluster:Cluster": [
    "engineVersion",
    "storageEncrypted",
    "deletionProtection",
    "backupRetentionPeriod",
    "manageMasterUserPassword",
  ],
  "aws:rds/clusterInstance:ClusterInstance": [
    "instanceClass",
    "availabilityZone",
    "performanceInsightsEnabled",
  ],
  "aws:elasticache/replicationGroup:ReplicationGroup": [
    "engine",
    "nodeType",
    "numNodeGroups",
    "replicasPerNodeGroup",
    "automaticFailoverEnabled",
    "multiAzEnabled",
    "transitEncryptionEnabled",
    "atRestEncryptionEnabled",
    "snapshotRetentionLimit",
  ],
  "aws:msk/cluster:Cluster": [
    "kafkaVersion",
    "numberOfBrokerNodes",
    "brokerNodeGroupInfo.instanceType",
    "encryptionInfo.encryptionInTransit.clientBroker",
    "clientAuthentication.sasl.scram",
  ],
  "aws:msk/topic:Topic": ["name", "partitionCount", "replicationFactor"],
  "aws:s3/bucketVersioning:BucketVersioning": ["versioningConfiguration.status"],
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": ["rules"],
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": [
    "blockPublicAcls",
    "blockPublicPolicy",
    "ignorePublicAcls",
    "restrictPublicBuckets",
  ],
};

export function valueAtPath(inputs: Record<string, unknown>, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (node, key) =>
        node !== null && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined,
      inputs,
    );
}
