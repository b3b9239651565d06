import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EncryptionKey } from "../lib/encryptionKey";
import { encryptedLogGroup } from "../lib/logs";
import { assertValidArgs } from "../lib/problems";
import {
  clusterNameProblems,
  type EksClusterArgs,
  eksClusterArgsProblems,
  eksClusterSettingsSchema,
  instanceArchitecture,
  type KubernetesVersion,
  kubernetesVersions,
  type NodeArchitecture,
} from "./args";
import { helmAddons } from "./helmAddons";
import { type OidcIssuer, serviceAccountRole } from "./irsa";
import { eksAddon, vpcCniConfiguration } from "./managedAddons";
import { nodeGroups } from "./nodes";

export {
  clusterNameProblems,
  defaultKubernetesVersion,
  type EksClusterArgs,
  type EksClusterSettings,
  eksClusterArgsProblems,
  eksClusterSettingsProblems,
  eksClusterSettingsSchema,
  type KubernetesVersion,
  kubernetesVersions,
  type NodeArchitecture,
  type NodesPerAz,
} from "./args";
export { helmCharts } from "./charts";
export {
  type OidcIssuer,
  type ServiceAccountRole,
  type ServiceAccountRoleArgs,
  serviceAccountRole,
  serviceAccountRoleArgsProblems,
  serviceAccountTrustPolicy,
} from "./irsa";

const token = "crest:compute:EksCluster";

/** Every control-plane log EKS offers; api, audit and authenticator are the ones incidents need. */
export const controlPlaneLogTypes = [
  "api",
  "audit",
  "authenticator",
  "controllerManager",
  "scheduler",
] as const;

/**
 * An EKS cluster built on @pulumi/aws resources, so every piece is planned and checked offline:
 * the control plane (private endpoint, access entries, Secrets envelope-encrypted with a key of its
 * own, every log type into a KMS-encrypted log group), one managed node group per AZ (IMDSv2 with
 * hop limit 1, encrypted gp3), an IAM OIDC provider for IRSA, the networking add-ons (VPC CNI with
 * network policy), and the Helm add-ons: metrics-server, the AWS Load Balancer Controller, the
 * Secrets Store CSI driver with its AWS provider, and the cluster autoscaler.
 *
 * The component's name is the EKS cluster's name. With a private-only endpoint, `pulumi up` must
 * run where the VPC is reachable (a runner in the VPC or over VPN): the Kubernetes provider talks
 * to the API server directly.
 */
export class EksCluster extends pulumi.ComponentResource implements OidcIssuer {
  public readonly clusterName: pulumi.Output<string>;
  public readonly kubernetesVersion: KubernetesVersion;
  public readonly endpoint: pulumi.Output<string>;
  /** Base64 PEM of the cluster CA, as a kubeconfig wants it. */
  public readonly certificateAuthorityData: pulumi.Output<string>;
  public readonly oidcProviderArn: pulumi.Output<string>;
  public readonly oidcProviderUrl: pulumi.Output<string>;
  /** Talks to the API server as the deploying identity, through `aws eks get-token`. */
  public readonly kubernetesProvider: k8s.Provider;
  /** EKS's cluster security group: control plane ↔ nodes, and the group the LB controller opens to ALBs. */
  public readonly clusterSecurityGroupId: pulumi.Output<string>;
  /** Every security group a node (and so every pod) carries. */
  public readonly nodeSecurityGroupIds: pulumi.Output<string>[];
  public readonly nodeRoleArn: pulumi.Output<string>;
  /** CPU architecture of the nodes: workload images must be built for it (or multi-arch). */
  public readonly nodeArchitecture: NodeArchitecture;
  /** The customer-managed key that envelope-encrypts Kubernetes Secrets. */
  public readonly kmsKeyArn: pulumi.Output<string>;
  public readonly controlPlaneLogGroupName: pulumi.Output<string>;
  /** Region, for SecretProviderClass objects: ASCP cannot ask IMDS for it. */
  public readonly region: string;
  /** The Helm add-on releases; workloads depend on them (CRDs, webhooks, metrics API). */
  public readonly addons: pulumi.Resource[];

  constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super(token, name, {}, opts);
    assertValidArgs(token, name, [...clusterNameProblems(name), ...eksClusterArgsProblems(args)]);
    const parent = { parent: this };
    const settings = eksClusterSettingsSchema.parse(args);
    const version = settings.kubernetesVersion as KubernetesVersion;
    const instanceTypes = settings.nodeInstanceTypes;
    const protect = args.protect ?? true;

    const secretsKey = new EncryptionKey(
      `${name}-secrets`,
      {
        description: `Envelope-encrypts the Kubernetes Secrets of the EKS cluster ${name}`,
        accountId: args.accountId,
        alias: `${name}-eks-secrets`,
      },
      parent,
    );
    // EKS writes to exactly this name; created first with our key and retention, EKS adopts it
    // instead of making an unencrypted one that never expires.
    const logGroup = encryptedLogGroup(
      `${name}-control-plane`,
      {
        description: `the control-plane logs of the EKS cluster ${name}`,
        region: args.region,
        accountId: args.accountId,
        logGroupName: `/aws/eks/${name}/cluster`,
        retentionInDays: settings.logRetentionDays,
      },
      parent,
    );
    const { role, grants } = this.clusterRole(name, secretsKey.keyArn);

    const cluster = new aws.eks.Cluster(
      name,
      {
        name,
        version,
        roleArn: role.arn,
        vpcConfig: {
          subnetIds: [...args.privateSubnetIds],
          endpointPrivateAccess: true,
          endpointPublicAccess: settings.endpointPublicAccess,
          ...(settings.endpointPublicAccess ? { publicAccessCidrs: settings.publicAccessCidrs } : {}),
        },
        accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
        encryptionConfig: { provider: { keyArn: secretsKey.keyArn }, resources: ["secrets"] },
        enabledClusterLogTypes: [...controlPlaneLogTypes],
        // The networking add-ons are EKS managed add-ons below, configured here, not self-managed copies.
        bootstrapSelfManagedAddons: false,
        // An upgrade is a reviewed change, never one AWS forces at the end of standard support; the
        // version check keeps new plans on standard-support versions.
        upgradePolicy: { supportType: "EXTENDED" },
        zonalShiftConfig: { enabled: true },
        deletionProtection: protect,
      },
      { parent: this, protect, dependsOn: [logGroup, ...grants] },
    );

    const issuerUrl = cluster.identities.apply((identities) => {
      const issuer = identities[0]?.oidcs[0]?.issuer;
      if (!issuer) throw new pulumi.ResourceError(`EKS reported no OIDC issuer for ${name}`, this);
      return issuer;
    });
    // No thumbprint: IAM verifies the EKS issuer's TLS certificate against its own trusted CAs, and
    // fetches a thumbprint itself when none is given.
    const oidcProvider = new aws.iam.OpenIdConnectProvider(
      `${name}-oidc`,
      { url: issuerUrl, clientIdLists: ["sts.amazonaws.com"] },
      parent,
    );
    this.oidcProviderArn = oidcProvider.arn;
    this.oidcProviderUrl = issuerUrl;

    // aws-node alone needs the CNI policy; on its own IRSA role no other pod can borrow it.
    const cniRole = serviceAccountRole(
      `${name}-vpc-cni`,
      {
        cluster: this,
        namespace: "kube-system",
        serviceAccount: "aws-node",
        managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"],
      },
      parent,
    );
    const clusterName = cluster.name;
    const vpcCni = eksAddon(
      name,
      {
        clusterName,
        addonName: "vpc-cni",
        configurationValues: vpcCniConfiguration,
        serviceAccountRoleArn: cniRole.roleArn,
      },
      parent,
    );
    const kubeProxy = eksAddon(name, { clusterName, addonName: "kube-proxy" }, parent);

    this.clusterSecurityGroupId = cluster.vpcConfig.clusterSecurityGroupId;
    this.nodeSecurityGroupIds = [
      ...args.nodeSecurityGroupIds.map((id) => pulumi.output(id)),
      this.clusterSecurityGroupId,
    ];
    const nodes = nodeGroups(
      name,
      {
        clusterName,
        kubernetesVersion: version,
        availabilityZones: args.availabilityZones,
        privateSubnetIds: args.privateSubnetIds,
        securityGroupIds: this.nodeSecurityGroupIds,
        instanceTypes,
        nodesPerAz: settings.nodesPerAz,
        dependsOn: [vpcCni, kubeProxy],
      },
      this,
    );
    // CoreDNS is a Deployment: EKS reports it degraded until there are nodes to run it on.
    const coreDns = eksAddon(
      name,
      { clusterName, addonName: "coredns" },
      { parent: this, dependsOn: nodes.groups },
    );

    this.endpoint = cluster.endpoint;
    this.certificateAuthorityData = cluster.certificateAuthority.data;
    this.kubernetesProvider = new k8s.Provider(
      name,
      {
        kubeconfig: pulumi
          .all([clusterName, this.endpoint, this.certificateAuthorityData])
          .apply(([cluster, endpoint, ca]) => kubeconfig(cluster, args.region, endpoint, ca)),
        enableServerSideApply: true,
      },
      parent,
    );

    this.addons = helmAddons(
      name,
      {
        clusterName: name,
        region: args.region,
        vpcId: args.vpcId,
        oidc: this,
        clusterAutoscalerImageTag: kubernetesVersions[version].clusterAutoscalerImageTag.value,
        provider: this.kubernetesProvider,
        dependsOn: [coreDns, ...nodes.groups],
      },
      this,
    );

    this.clusterName = clusterName;
    this.kubernetesVersion = version;
    this.nodeRoleArn = nodes.role.arn;
    this.nodeArchitecture = instanceArchitecture(instanceTypes[0] ?? "");
    this.kmsKeyArn = secretsKey.keyArn;
    this.controlPlaneLogGroupName = logGroup.name;
    this.region = args.region;
    this.registerOutputs({
      clusterName: this.clusterName,
      kubernetesVersion: this.kubernetesVersion,
      endpoint: this.endpoint,
      oidcProviderArn: this.oidcProviderArn,
      oidcProviderUrl: this.oidcProviderUrl,
      clusterSecurityGroupId: this.clusterSecurityGroupId,
      nodeSecurityGroupIds: this.nodeSecurityGroupIds,
      nodeRoleArn: this.nodeRoleArn,
      nodeArchitecture: this.nodeArchitecture,
      kmsKeyArn: this.kmsKeyArn,
      controlPlaneLogGroupName: this.controlPlaneLogGroupName,
    });
  }

  /** The control plane's role: EKS's managed policy, plus use of the Secrets key (IAM-delegated). */
  private clusterRole(name: string, keyArn: pulumi.Output<string>) {
    const role = new aws.iam.Role(
      `${name}-cluster`,
      {
        description: `Control plane of the EKS cluster ${name}`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        }),
      },
      { parent: this },
    );
    const grants = [
      new aws.iam.RolePolicyAttachment(
        `${name}-cluster-AmazonEKSClusterPolicy`,
        { role: role.name, policyArn: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy" },
        { parent: this },
      ),
      new aws.iam.RolePolicy(
        `${name}-cluster-secrets-key`,
        {
          role: role.id,
          policy: keyArn.apply((arn) =>
            JSON.stringify({
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Allow",
                  Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
                  Resource: arn,
                },
              ],
            }),
          ),
        },
        { parent: this },
      ),
    ];
    return { role, grants };
  }
}

/** A kubeconfig that fetches a short-lived token with the AWS CLI on every connection. */
function kubeconfig(clusterName: string, region: string, endpoint: string, caData: string): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: clusterName, cluster: { server: endpoint, "certificate-authority-data": caData } }],
    contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
    "current-context": clusterName,
    users: [
      {
        name: clusterName,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region, "--output", "json"],
            interactiveMode: "Never",
          },
        },
      },
    ],
  });
}
