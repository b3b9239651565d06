import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import type { ComputedOutputs } from "./recorder";

/** Where the resolved pass places the stack: its account, and the region of its default provider. */
export interface ResolvedPlacement {
  readonly accountId: string;
  readonly region: string;
}

type Inputs = Record<string, unknown>;

/** What one resource's outputs are built from. */
interface Subject {
  readonly type: string;
  readonly name: string;
  readonly inputs: Inputs;
  readonly account: string;
  readonly region: string;
  /** The physical name: the given one, else Pulumi's auto-name (logical name + 7 hex characters). */
  readonly physical: string;
  /** Deterministic hex digits of this resource, as many as asked. */
  hex(length: number, salt?: string): string;
}

function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function uuidOf(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** The six characters Secrets Manager appends to a secret's ARN, made deterministic. */
function secretSuffix(hex: string): string {
  return Array.from(
    { length: 6 },
    (_, i) => alphabet[Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16) % 62],
  ).join("");
}

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** The input that holds each type's physical name, where it is not `name`. */
const nameInputs: Readonly<Record<string, string>> = {
  "aws:s3/bucket:Bucket": "bucket",
  "aws:s3/bucketV2:BucketV2": "bucket",
  "aws:rds/cluster:Cluster": "clusterIdentifier",
  "aws:rds/clusterInstance:ClusterInstance": "identifier",
  "aws:rds/instance:Instance": "identifier",
  "aws:elasticache/replicationGroup:ReplicationGroup": "replicationGroupId",
  "aws:msk/cluster:Cluster": "clusterName",
  "aws:eks/nodeGroup:NodeGroup": "nodeGroupName",
  "aws:eks/addon:Addon": "addonName",
};

/** Types whose id is an EC2-style `<prefix>-<17 hex>`. */
const ec2Prefixes: Readonly<Record<string, string>> = {
  "aws:ec2/vpc:Vpc": "vpc",
  "aws:ec2/subnet:Subnet": "subnet",
  "aws:ec2/routeTable:RouteTable": "rtb",
  "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc",
  "aws:ec2/internetGateway:InternetGateway": "igw",
  "aws:ec2/natGateway:NatGateway": "nat",
  "aws:ec2/eip:Eip": "eipalloc",
  "aws:ec2/securityGroup:SecurityGroup": "sg",
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg",
  "aws:ec2/launchTemplate:LaunchTemplate": "lt",
  "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
  "aws:ec2/flowLog:FlowLog": "fl",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
};

/** Route 53 hosted zone ids of Application Load Balancers per region (Elastic Load Balancing endpoints). */
const albZoneIds: Readonly<Record<string, string>> = {
  "ap-southeast-1": "Z1LMS91P8CMLE5",
  "ap-northeast-1": "Z14GRHDCWA56QT",
  "us-east-1": "Z35SXDOTRQ7X7K",
  "eu-west-1": "Z32O12XQLNTSW2",
};
/** CloudFront's fixed hosted zone id for alias records. */
const cloudFrontZoneId = "Z2FDTNDATAQYW2";

type Builder = (s: Subject) => Inputs;

const arnOf = (s: Subject, service: string, resource: string, global = false) =>
  `arn:aws:${service}:${global ? "" : s.region}:${s.account}:${resource}`;

const iam =
  (kind: string): Builder =>
  (s) => ({
    id: s.physical,
    name: s.physical,
    arn: `arn:aws:iam::${s.account}:${kind}/${s.physical}`,
    uniqueId: `ARO${s.hex(17).toUpperCase()}`,
  });

/** Per type: the outputs a created resource has that its inputs do not give. */
const builders: Readonly<Record<string, Builder>> = {
  "aws:iam/role:Role": iam("role"),
  "aws:iam/policy:Policy": (s) => ({ ...iam("policy")(s), policyId: `ANPA${s.hex(17).toUpperCase()}` }),
  "aws:iam/user:User": iam("user"),
  "aws:iam/rolePolicy:RolePolicy": (s) => ({ id: `${str(s.inputs.role) ?? "role"}:${s.physical}` }),
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (s) => {
    const arn = `arn:aws:iam::${s.account}:oidc-provider/${(str(s.inputs.url) ?? "").replace(/^https:\/\//, "")}`;
    return { id: arn, arn };
  },
  "aws:kms/key:Key": (s) => {
    const keyId = uuidOf(s.hex(32));
    return { id: keyId, keyId, arn: arnOf(s, "kms", `key/${keyId}`) };
  },
  "aws:kms/alias:Alias": (s) => ({ id: s.physical, arn: arnOf(s, "kms", s.physical) }),
  "aws:s3/bucket:Bucket": (s) => ({
    id: s.physical,
    bucket: s.physical,
    arn: `arn:aws:s3:::${s.physical}`,
    bucketDomainName: `${s.physical}.s3.amazonaws.com`,
    bucketRegionalDomainName: `${s.physical}.s3.${s.region}.amazonaws.com`,
    hostedZoneId: "Z3O0J2DXBE1FTB",
    region: s.region,
  }),
  "aws:secretsmanager/secret:Secret": (s) => {
    const arn = arnOf(s, "secretsmanager", `secret:${s.physical}-${secretSuffix(s.hex(12))}`);
    return { id: arn, arn };
  },
  "aws:secretsmanager/secretVersion:SecretVersion": (s) => ({
    id: `${str(s.inputs.secretId) ?? ""}|${uuidOf(s.hex(32))}`,
    arn: str(s.inputs.secretId) ?? "",
    versionId: uuidOf(s.hex(32)),
  }),
  "aws:rds/cluster:Cluster": (s) => {
    const host = `${s.physical}.cluster-${s.hex(12)}.${s.region}.rds.amazonaws.com`;
    return {
      id: s.physical,
      clusterIdentifier: s.physical,
      arn: arnOf(s, "rds", `cluster:${s.physical}`),
      clusterResourceId: `cluster-${s.hex(26).toUpperCase()}`,
      endpoint: host,
      readerEndpoint: host.replace(".cluster-", ".cluster-ro-"),
      port: 3306,
      // With manageMasterUserPassword, RDS keeps the password in a secret it names itself.
      ...(s.inputs.manageMasterUserPassword === true
        ? {
            masterUserSecrets: [
              {
                kmsKeyId: str(s.inputs.masterUserSecretKmsKeyId) ?? "",
                secretArn: arnOf(
                  s,
                  "secretsmanager",
                  `secret:rds!cluster-${uuidOf(s.hex(32, "secret"))}-${secretSuffix(s.hex(12, "secret"))}`,
                ),
                secretStatus: "active",
              },
            ],
          }
        : {}),
    };
  },
  "aws:rds/clusterInstance:ClusterInstance": (s) => ({
    id: s.physical,
    identifier: s.physical,
    arn: arnOf(s, "rds", `db:${s.physical}`),
    endpoint: `${s.physical}.${s.hex(12)}.${s.region}.rds.amazonaws.com`,
    dbiResourceId: `db-${s.hex(26).toUpperCase()}`,
  }),
  "aws:rds/subnetGroup:SubnetGroup": (s) => ({
    id: s.physical,
    arn: arnOf(s, "rds", `subgrp:${s.physical}`),
  }),
  "aws:rds/clusterParameterGroup:ClusterParameterGroup": (s) => ({
    id: s.physical,
    arn: arnOf(s, "rds", `cluster-pg:${s.physical}`),
  }),
  "aws:elasticache/replicationGroup:ReplicationGroup": (s) => ({
    id: s.physical,
    replicationGroupId: s.physical,
    arn: arnOf(s, "elasticache", `replicationgroup:${s.physical}`),
    configurationEndpointAddress: `clustercfg.${s.physical}.${s.hex(6)}.cache.amazonaws.com`,
    primaryEndpointAddress: `master.${s.physical}.${s.hex(6)}.cache.amazonaws.com`,
    readerEndpointAddress: `replica.${s.physical}.${s.hex(6)}.cache.amazonaws.com`,
  }),
  "aws:elasticache/subnetGroup:SubnetGroup": (s) => ({
    id: s.physical,
    arn: arnOf(s, "elasticache", `subnetgroup:${s.physical}`),
  }),
  "aws:elasticache/parameterGroup:ParameterGroup": (s) => ({
    id: s.physical,
    arn: arnOf(s, "elasticache", `parametergroup:${s.physical}`),
  }),
  "aws:msk/cluster:Cluster": (s) => {
    const arn = arnOf(s, "kafka", `cluster/${s.physical}/${uuidOf(s.hex(32))}-2`);
    const brokers = [1, 2, 3].map(
      (n) => `b-${n}.${s.physical}.${s.hex(6)}.c2.kafka.${s.region}.amazonaws.com`,
    );
    return {
      id: arn,
      arn,
      clusterName: s.physical,
      bootstrapBrokersSaslScram: brokers.map((b) => `${b}:9096`).join(","),
      bootstrapBrokersTls: brokers.map((b) => `${b}:9094`).join(","),
      bootstrapBrokersSaslIam: brokers.map((b) => `${b}:9098`).join(","),
      zookeeperConnectString: "",
      currentVersion: `K${s.hex(12).toUpperCase()}`,
    };
  },
  "aws:msk/configuration:Configuration": (s) => {
    const arn = arnOf(s, "kafka", `configuration/${s.physical}/${uuidOf(s.hex(32))}-2`);
    return { id: arn, arn, latestRevision: 1 };
  },
  "aws:eks/cluster:Cluster": (s) => {
    const oidcId = s.hex(32).toUpperCase();
    return {
      id: s.physical,
      name: s.physical,
      arn: arnOf(s, "eks", `cluster/${s.physical}`),
      endpoint: `https://${oidcId}.gr7.${s.region}.eks.amazonaws.com`,
      certificateAuthority: {
        data: Buffer.from(`certificate authority of ${s.physical}`).toString("base64"),
      },
      identities: [{ oidcs: [{ issuer: `https://oidc.eks.${s.region}.amazonaws.com/id/${oidcId}` }] }],
      vpcConfig: {
        ...(s.inputs.vpcConfig as object),
        clusterSecurityGroupId: `sg-${s.hex(17, "cluster-sg")}`,
        vpcId: `vpc-${s.hex(17, "vpc")}`,
      },
      platformVersion: "eks.1",
      status: "ACTIVE",
    };
  },
  "aws:eks/nodeGroup:NodeGroup": (s) => ({
    id: `${str(s.inputs.clusterName) ?? ""}:${s.physical}`,
    arn: arnOf(s, "eks", `nodegroup/${str(s.inputs.clusterName) ?? ""}/${s.physical}/${uuidOf(s.hex(32))}`),
  }),
  "aws:eks/addon:Addon": (s) => ({
    id: `${str(s.inputs.clusterName) ?? ""}:${s.physical}`,
    arn: arnOf(s, "eks", `addon/${str(s.inputs.clusterName) ?? ""}/${s.physical}/${uuidOf(s.hex(32))}`),
  }),
  "aws:cloudwatch/logGroup:LogGroup": (s) => ({
    id: s.physical,
    arn: arnOf(s, "logs", `log-group:${s.physical}`),
  }),
  "aws:cloudwatch/logDeliverySource:LogDeliverySource": (s) => ({
    id: s.physical,
    arn: arnOf(s, "logs", `delivery-source:${s.physical}`),
  }),
  "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": (s) => ({
    id: s.physical,
    arn: arnOf(s, "logs", `delivery-destination:${s.physical}`),
  }),
  "aws:backup/vault:Vault": (s) => ({
    id: s.physical,
    name: s.physical,
    arn: arnOf(s, "backup", `backup-vault:${s.physical}`),
  }),
  "aws:backup/plan:Plan": (s) => {
    const id = uuidOf(s.hex(32));
    return { id, arn: arnOf(s, "backup", `backup-plan:${id}`), version: s.hex(32) };
  },
  "aws:sqs/queue:Queue": (s) => ({
    id: `https://sqs.${s.region}.amazonaws.com/${s.account}/${s.physical}`,
    arn: arnOf(s, "sqs", s.physical),
    url: `https://sqs.${s.region}.amazonaws.com/${s.account}/${s.physical}`,
  }),
  "aws:sns/topic:Topic": (s) => ({ id: arnOf(s, "sns", s.physical), arn: arnOf(s, "sns", s.physical) }),
  "aws:ecr/repository:Repository": (s) => ({
    id: s.physical,
    arn: arnOf(s, "ecr", `repository/${s.physical}`),
    registryId: s.account,
    repositoryUrl: `${s.account}.dkr.ecr.${s.region}.amazonaws.com/${s.physical}`,
  }),
  "aws:lb/loadBalancer:LoadBalancer": (s) => {
    const suffix = `app/${s.physical}/${s.hex(16)}`;
    const internal = s.inputs.internal === true ? "internal-" : "";
    return {
      id: arnOf(s, "elasticloadbalancing", `loadbalancer/${suffix}`),
      arn: arnOf(s, "elasticloadbalancing", `loadbalancer/${suffix}`),
      arnSuffix: suffix,
      dnsName: `${internal}${s.physical}-${Number.parseInt(s.hex(8), 16)}.${s.region}.elb.amazonaws.com`,
      zoneId: albZoneIds[s.region] ?? "Z1LMS91P8CMLE5",
    };
  },
  "aws:lb/targetGroup:TargetGroup": (s) => {
    const suffix = `targetgroup/${s.physical}/${s.hex(16)}`;
    return {
      id: arnOf(s, "elasticloadbalancing", suffix),
      arn: arnOf(s, "elasticloadbalancing", suffix),
      arnSuffix: suffix,
    };
  },
  "aws:lb/listener:Listener": (s) => {
    const arn = arnOf(
      s,
      "elasticloadbalancing",
      `listener/app/${s.name}/${s.hex(16)}/${s.hex(16, "listener")}`,
    );
    return { id: arn, arn };
  },
  "aws:lb/listenerRule:ListenerRule": (s) => {
    const arn = arnOf(
      s,
      "elasticloadbalancing",
      `listener-rule/app/${s.name}/${s.hex(16)}/${s.hex(16, "rule")}`,
    );
    return { id: arn, arn };
  },
  "aws:acm/certificate:Certificate": (s) => {
    const arn = arnOf(s, "acm", `certificate/${uuidOf(s.hex(32))}`);
    const domains = [str(s.inputs.domainName), ...((s.inputs.subjectAlternativeNames as string[]) ?? [])];
    return {
      id: arn,
      arn,
      domainValidationOptions: [...new Set(domains.filter((d): d is string => d !== undefined))].map(
        (domain) => ({
          domainName: domain,
          resourceRecordName: `_${digest(`${arn}${domain}`).slice(0, 32)}.${domain.replace(/^\*\./, "")}.`,
          resourceRecordType: "CNAME",
          resourceRecordValue: `_${digest(`${domain}${arn}`).slice(0, 32)}.acm-validations.aws.`,
        }),
      ),
    };
  },
  "aws:acm/certificateValidation:CertificateValidation": (s) => ({ id: str(s.inputs.certificateArn) ?? "" }),
  "aws:cloudfront/distribution:Distribution": (s) => {
    const id = `E${s.hex(13).toUpperCase()}`;
    return {
      id,
      arn: `arn:aws:cloudfront::${s.account}:distribution/${id}`,
      domainName: `d${s.hex(13)}.cloudfront.net`,
      hostedZoneId: cloudFrontZoneId,
      etag: `E${s.hex(13, "etag").toUpperCase()}`,
    };
  },
  "aws:cloudfront/originAccessControl:OriginAccessControl": (s) => ({ id: `E${s.hex(13).toUpperCase()}` }),
  "aws:cloudfront/cachePolicy:CachePolicy": (s) => ({ id: uuidOf(s.hex(32)) }),
  "aws:cloudfront/originRequestPolicy:OriginRequestPolicy": (s) => ({ id: uuidOf(s.hex(32)) }),
  "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": (s) => ({ id: uuidOf(s.hex(32)) }),
  "aws:wafv2/webAcl:WebAcl": (s) => {
    const scope = s.inputs.scope === "CLOUDFRONT" ? "global" : "regional";
    const id = uuidOf(s.hex(32));
    return { id, arn: arnOf(s, "wafv2", `${scope}/webacl/${s.physical}/${id}`) };
  },
  "aws:route53/record:Record": (s) => ({
    id: `${str(s.inputs.zoneId) ?? ""}_${str(s.inputs.name) ?? ""}_${str(s.inputs.type) ?? ""}`,
    fqdn: str(s.inputs.name)?.replace(/\.$/, "") ?? "",
  }),
  "aws:ec2/launchTemplate:LaunchTemplate": (s) => ({
    id: `lt-${s.hex(17)}`,
    arn: arnOf(s, "ec2", `launch-template/lt-${s.hex(17)}`),
    latestVersion: 1,
    defaultVersion: 1,
  }),
  "aws:ec2/eip:Eip": (s) => ({
    id: `eipalloc-${s.hex(17)}`,
    allocationId: `eipalloc-${s.hex(17)}`,
    publicIp: `203.0.113.${(Number.parseInt(s.hex(2), 16) % 254) + 1}`,
  }),
  "aws:appautoscaling/target:Target": (s) => ({ id: str(s.inputs.resourceId) ?? s.physical }),
};

/** EC2-style resources: an id with the type's prefix, and the ARN EC2 gives it. */
function ec2Outputs(s: Subject, prefix: string): Inputs {
  const id = `${prefix}-${s.hex(17)}`;
  const kind = { sg: "security-group", rtb: "route-table", igw: "internet-gateway", nat: "natgateway" }[
    prefix
  ];
  return { id, arn: arnOf(s, "ec2", `${kind ?? prefix}/${id}`) };
}

/** Kubernetes objects: the server fills an auto-named `metadata.name`; the id is `namespace/name`. */
function kubernetesOutputs(s: Subject): Inputs {
  const metadata = (s.inputs.metadata ?? {}) as Inputs;
  const name = str(metadata.name) ?? `${s.name}-${s.hex(8)}`;
  const namespace = str(metadata.namespace);
  return {
    id: namespace ? `${namespace}/${name}` : name,
    metadata: { ...metadata, name, uid: uuidOf(s.hex(32)) },
  };
}

/**
 * Which providers place which resources: a provider's region, by its URN (the part of a provider
 * reference before its id). Resources of other providers are in the stack's default region.
 */
function regionOf(provider: string | undefined, regions: ReadonlyMap<string, string>, fallback: string) {
  if (!provider) return fallback;
  const urn = provider.slice(0, provider.lastIndexOf("::"));
  return regions.get(urn.slice(urn.lastIndexOf("::") + 2)) ?? fallback;
}

/**
 * Outputs for the resolved pass: what a created resource would report, built deterministically from
 * the account, the region, the type and the name, so policy documents made from ARNs become known
 * JSON. Values that come from outside the program stay unknown: a built image's digest (the registry
 * gives it) and generated secrets (the provider draws them at random).
 */
export function resolvedOutputs(placement: ResolvedPlacement): ComputedOutputs {
  const regions = new Map<string, string>();
  return (args: pulumi.runtime.MockResourceArgs) => {
    const inputs = args.inputs as Inputs;
    if (args.type === "pulumi:providers:aws") {
      regions.set(args.name, str(inputs.region) ?? placement.region);
      return {};
    }
    if (args.type.startsWith("pulumi:providers:") || !args.custom) return {};
    const nameInput = nameInputs[args.type] ?? "name";
    const hex = (length: number, salt = "") => {
      let text = "";
      for (let i = 0; text.length < length; i++) text += digest(`${args.type}::${args.name}::${salt}::${i}`);
      return text.slice(0, length);
    };
    const subject: Subject = {
      type: args.type,
      name: args.name,
      inputs,
      account: placement.accountId,
      region: regionOf(args.provider, regions, placement.region),
      physical: str(inputs[nameInput]) ?? `${args.name}-${hex(7, "autoname")}`,
      hex,
    };
    if (args.type.startsWith("kubernetes:")) return kubernetesOutputs(subject);
    const builder = builders[args.type];
    if (builder) return { [nameInput]: subject.physical, ...builder(subject) };
    const prefix = ec2Prefixes[args.type];
    if (prefix) return ec2Outputs(subject, prefix);
    if (args.type.startsWith("aws:")) return { id: subject.physical, [nameInput]: subject.physical };
    return {};
  };
}
