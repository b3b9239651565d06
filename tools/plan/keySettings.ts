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
