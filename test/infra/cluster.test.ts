import assert from "node:assert/strict";
import { test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import {
  clusterNameProblems,
  EksCluster,
  type EksClusterArgs,
  eksClusterArgsProblems,
  helmCharts,
  serviceAccountRole,
  serviceAccountRoleArgsProblems,
} from "../../infra/cluster";
import loadBalancerControllerPolicy from "../../infra/cluster/awsLoadBalancerControllerPolicy.json";
import type { RecordedResource, Recording } from "../../tools/plan/recorder";
import { recordProgram } from "../../tools/plan/run";
import { ofType, one } from "../support/recording";

const cluster = "aws:eks/cluster:Cluster";
const nodeGroup = "aws:eks/nodeGroup:NodeGroup";
const release = "kubernetes:helm.sh/v3:Release";
const issuer = "oidc.eks.eu-west-1.amazonaws.com/id/5C0FFEE";
const oidcArn = `arn:aws:iam::123456789012:oidc-provider/${issuer}`;

const prodArgs: EksClusterArgs = {
  accountId: "123456789012",
  region: "eu-west-1",
  vpcId: "vpc-123",
  privateSubnetIds: ["subnet-a", "subnet-b", "subnet-c"],
  availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
  nodeSecurityGroupIds: ["sg-workload"],
};

const devArgs: EksClusterArgs = {
  ...prodArgs,
  privateSubnetIds: ["subnet-a", "subnet-b"],
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
  kubernetesVersion: "1.35",
  nodeInstanceTypes: ["t3.large", "m7i.large"],
  nodesPerAz: { min: 1, max: 3, desired: 1 },
  endpointPublicAccess: true,
  publicAccessCidrs: ["52.94.76.0/24"],
  logRetentionDays: 30,
  protect: false,
};

// What EKS and IAM report once the cluster exists; a preview leaves them unknown, and the trust
// policies and the kubeconfig can only be read with them known.
const prod = recordProgram("crest", "test", () => new EksCluster("crest-prod-eks", prodArgs), {
  computedOutputs: (resource) => {
    if (resource.type === cluster) {
      return {
        identities: [{ oidcs: [{ issuer: `https://${issuer}` }] }],
        endpoint: "https://5C0FFEE.gr7.eu-west-1.eks.amazonaws.com",
        certificateAuthority: { data: "Y2x1c3Rlci1jYQ==" },
        vpcConfig: { ...(resource.inputs.vpcConfig as object), clusterSecurityGroupId: "sg-cluster" },
      };
    }
    if (resource.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider") return { arn: oidcArn };
    return {};
  },
});
// Dev as a real preview sees it: the cluster security group EKS creates is not known yet.
const dev = prod.then(() =>
  recordProgram("crest", "dev", () => new EksCluster("crest-dev-eks", devArgs), {
    computedOutputs: (resource) =>
      resource.type === cluster
        ? { vpcConfig: { ...(resource.inputs.vpcConfig as object), clusterSecurityGroupId: pulumi.unknown } }
        : {},
  }),
);

const byName = (resources: RecordedResource[], suffix: string) => {
  const found = resources.filter((r) => r.name.endsWith(suffix));
  assert.equal(found.length, 1, `expected one resource named *${suffix}, found ${found.length}`);
  return found[0] as RecordedResource;
};
const json = (value: unknown) => JSON.parse(value as string);
const chartRelease = (rec: Pick<Recording, "resources">, chart: string) => {
  const found = ofType(rec, release).find((r) => r.inputs.chart === chart);
  assert.ok(found, `no ${chart} release`);
  return found;
};
const valuesOf = (rec: Pick<Recording, "resources">, chart: string) =>
  chartRelease(rec, chart).inputs.values as Record<string, unknown>;

test("the component is parent of everything it declares, and its name is the cluster's name", async () => {
  const { resources } = await prod;
  const component = one({ resources }, "crest:compute:EksCluster");
  for (const r of resources.filter((r) => r.urn !== component.urn && r.type !== "pulumi:pulumi:Stack")) {
    assert.ok(r.urn.includes("crest:compute:EksCluster$"), `${r.urn} is not under the EksCluster`);
  }
  assert.equal(one({ resources }, cluster).parent, component.urn);
  assert.equal(one({ resources }, cluster).inputs.name, "crest-prod-eks");
});

test("control plane: pinned version, access entries only, private endpoint on and public off by default", async () => {
  const control = one(await prod, cluster);
  assert.equal(control.inputs.version, "1.36");
  assert.deepEqual(control.inputs.accessConfig, {
    authenticationMode: "API",
    bootstrapClusterCreatorAdminPermissions: true,
  });
  assert.deepEqual(control.inputs.vpcConfig, {
    endpointPrivateAccess: true,
    endpointPublicAccess: false,
    subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
  });
  assert.equal(control.inputs.bootstrapSelfManagedAddons, false);
  assert.deepEqual(control.inputs.upgradePolicy, { supportType: "EXTENDED" });
  assert.deepEqual(control.inputs.zonalShiftConfig, { enabled: true });
});

test("Secrets are envelope-encrypted with the cluster's own rotating key, which the control-plane role may use", async () => {
  const rec = await prod;
  const control = one(rec, cluster);
  const key = byName(ofType(rec, "aws:kms/key:Key"), "-secrets");
  assert.equal(key.inputs.enableKeyRotation, true);
  assert.deepEqual(control.inputs.encryptionConfig, {
    provider: { keyArn: "<computed>" },
    resources: ["secrets"],
  });
  assert.ok(control.dependencies.includes(key.urn), "the encryption key ARN comes from the cluster's key");
  const role = byName(ofType(rec, "aws:iam/role:Role"), "-cluster");
  assert.equal(control.inputs.roleArn, "<computed>");
  assert.ok(control.dependencies.includes(role.urn));
  assert.deepEqual(json(role.inputs.assumeRolePolicy).Statement, [
    { Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: "sts:AssumeRole" },
  ]);
  const keyUse = byName(ofType(rec, "aws:iam/rolePolicy:RolePolicy"), "-cluster-secrets-key");
  assert.ok(keyUse.dependencies.includes(key.urn), "the key grant names the cluster's key");
  assert.ok(control.dependencies.includes(keyUse.urn), "the role may use the key before the cluster exists");
  assert.equal(
    byName(ofType(rec, "aws:iam/rolePolicyAttachment:RolePolicyAttachment"), "-AmazonEKSClusterPolicy").inputs
      .policyArn,
    "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
  );
});

test("every control-plane log type goes to an encrypted log group that exists before the cluster", async () => {
  const rec = await prod;
  const control = one(rec, cluster);
  assert.deepEqual(control.inputs.enabledClusterLogTypes, [
    "api",
    "audit",
    "authenticator",
    "controllerManager",
    "scheduler",
  ]);
  const logGroup = one(rec, "aws:cloudwatch/logGroup:LogGroup");
  assert.equal(logGroup.inputs.name, "/aws/eks/crest-prod-eks/cluster");
  assert.equal(logGroup.inputs.retentionInDays, 365);
  assert.ok(control.dependencies.includes(logGroup.urn), "EKS must find the group, not create its own");
  const logKey = byName(ofType(rec, "aws:kms/key:Key"), "-control-plane");
  assert.ok(logGroup.dependencies.includes(logKey.urn));
  assert.deepEqual(json(logKey.inputs.policy).Statement[1].Condition, {
    ArnEquals: {
      "kms:EncryptionContext:aws:logs:arn":
        "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/eks/crest-prod-eks/cluster",
    },
  });
});

test("one managed node group per AZ, each in that AZ's private subnet, sized per AZ and discoverable", async () => {
  const rec = await prod;
  const groups = ofType(rec, nodeGroup);
  assert.deepEqual(
    groups.map((g) => [g.name, g.inputs.subnetIds]),
    [
      ["crest-prod-eks-eu-west-1a", ["subnet-a"]],
      ["crest-prod-eks-eu-west-1b", ["subnet-b"]],
      ["crest-prod-eks-eu-west-1c", ["subnet-c"]],
    ],
  );
  for (const group of groups) {
    assert.equal(group.inputs.clusterName, "crest-prod-eks");
    assert.equal(group.inputs.version, "1.36");
    assert.deepEqual(group.inputs.instanceTypes, ["m7g.xlarge"]);
    assert.equal(group.inputs.amiType, "AL2023_ARM_64_STANDARD");
    assert.deepEqual(group.inputs.scalingConfig, { desiredSize: 2, maxSize: 10, minSize: 2 });
    assert.deepEqual(group.inputs.tags, {
      "k8s.io/cluster-autoscaler/crest-prod-eks": "owned",
      "k8s.io/cluster-autoscaler/enabled": "true",
    });
    assert.deepEqual(group.inputs.nodeRepairConfig, { enabled: true });
    assert.deepEqual(group.inputs.updateConfig, { maxUnavailable: 1 });
  }
});

test("the node launch template requires IMDSv2 with hop limit 1, encrypts gp3 roots, and carries the workload group", async () => {
  const rec = await prod;
  const template = one(rec, "aws:ec2/launchTemplate:LaunchTemplate");
  assert.deepEqual(template.inputs.metadataOptions, {
    httpEndpoint: "enabled",
    httpPutResponseHopLimit: 1,
    httpTokens: "required",
    instanceMetadataTags: "disabled",
  });
  assert.deepEqual(template.inputs.blockDeviceMappings, [
    {
      deviceName: "/dev/xvda",
      ebs: { deleteOnTermination: "true", encrypted: "true", volumeSize: 50, volumeType: "gp3" },
    },
  ]);
  // With groups in the launch template EKS no longer adds its cluster group: it must be listed.
  assert.deepEqual(template.inputs.vpcSecurityGroupIds, ["sg-workload", "sg-cluster"]);
  for (const group of ofType(rec, nodeGroup)) {
    assert.ok(group.dependencies.includes(template.urn), `${group.name} does not use the launch template`);
    assert.deepEqual(group.inputs.launchTemplate, { id: "<computed>", version: "<computed>" });
  }
});

test("nodes hold only the worker and ECR pull policies; the CNI policy sits on aws-node's IRSA role", async () => {
  const rec = await prod;
  const attachments = ofType(rec, "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
  const nodeRole = byName(ofType(rec, "aws:iam/role:Role"), "-node");
  assert.deepEqual(
    attachments.filter((a) => a.dependencies.includes(nodeRole.urn)).map((a) => a.inputs.policyArn),
    [
      "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
      "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    ],
  );
  const cniRole = byName(ofType(rec, "aws:iam/role:Role"), "-vpc-cni");
  assert.deepEqual(
    attachments.filter((a) => a.dependencies.includes(cniRole.urn)).map((a) => a.inputs.policyArn),
    ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"],
  );
});

test("an IAM OIDC provider trusts the cluster's issuer for STS, with no pinned thumbprint", async () => {
  const provider = one(await prod, "aws:iam/openIdConnectProvider:OpenIdConnectProvider");
  assert.equal(provider.inputs.url, `https://${issuer}`);
  assert.deepEqual(provider.inputs.clientIdLists, ["sts.amazonaws.com"]);
  assert.equal(provider.inputs.thumbprintLists, undefined);
});

test("IRSA trust policies admit only the exact service account, for STS", async () => {
  const roles = ofType(await prod, "aws:iam/role:Role");
  const expected: [string, string][] = [
    ["-vpc-cni", "system:serviceaccount:kube-system:aws-node"],
    ["-lb-controller", "system:serviceaccount:kube-system:aws-load-balancer-controller"],
    ["-autoscaler", "system:serviceaccount:kube-system:cluster-autoscaler"],
  ];
  for (const [suffix, subject] of expected) {
    assert.deepEqual(json(byName(roles, suffix).inputs.assumeRolePolicy), {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Federated: oidcArn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: { [`${issuer}:sub`]: subject, [`${issuer}:aud`]: "sts.amazonaws.com" },
          },
        },
      ],
    });
  }
});

test("the load balancer controller holds its published policy; the autoscaler may scale only this cluster's groups", async () => {
  const policies = ofType(await prod, "aws:iam/rolePolicy:RolePolicy");
  assert.deepEqual(json(byName(policies, "-lb-controller").inputs.policy), loadBalancerControllerPolicy);
  const autoscaler = json(byName(policies, "-autoscaler").inputs.policy);
  assert.deepEqual(autoscaler.Statement[0], {
    Sid: "ScaleThisClustersNodeGroupsOnly",
    Effect: "Allow",
    Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
    Resource: "*",
    Condition: {
      StringEquals: {
        "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled": "true",
        "aws:ResourceTag/k8s.io/cluster-autoscaler/crest-prod-eks": "owned",
      },
    },
  });
  const unconditioned = autoscaler.Statement.slice(1).flatMap((s: { Action: string[] }) => s.Action);
  assert.ok(
    unconditioned.every((action: string) => /:(Describe|Get)/.test(action)),
    `untagged statements may only read: ${unconditioned}`,
  );
});

test("managed add-ons: VPC CNI with network policy on its IRSA role, kube-proxy, and CoreDNS once nodes exist", async () => {
  const rec = await prod;
  const addons = ofType(rec, "aws:eks/addon:Addon");
  const addon = (name: string) => byName(addons, `-${name}`);
  assert.deepEqual(
    addons.map((a) => a.inputs.addonName),
    ["coredns", "kube-proxy", "vpc-cni"],
  );
  const cni = addon("vpc-cni");
  assert.deepEqual(json(cni.inputs.configurationValues), { enableNetworkPolicy: "true" });
  assert.ok(cni.dependencies.includes(byName(ofType(rec, "aws:iam/role:Role"), "-vpc-cni").urn));
  assert.ok(
    cni.dependencies.includes(
      byName(ofType(rec, "aws:iam/rolePolicyAttachment:RolePolicyAttachment"), "-AmazonEKS_CNI_Policy").urn,
    ),
    "aws-node starts with its permissions attached",
  );
  for (const group of ofType(rec, nodeGroup)) {
    assert.ok(group.dependencies.includes(cni.urn), `${group.name} would boot without a CNI`);
    assert.ok(group.dependencies.includes(addon("kube-proxy").urn));
    assert.ok(addon("coredns").dependencies.includes(group.urn), `CoreDNS does not wait for ${group.name}`);
  }
});

test("every Helm add-on is a pinned helm.v3 Release in kube-system, through the cluster's provider, after nodes and DNS", async () => {
  const rec = await prod;
  const releases = ofType(rec, release);
  const provider = one(rec, "pulumi:providers:kubernetes");
  assert.deepEqual(
    Object.fromEntries(
      releases.map((r) => [
        r.inputs.chart,
        [r.inputs.version, (r.inputs.repositoryOpts as { repo: string }).repo],
      ]),
    ),
    {
      "aws-load-balancer-controller": ["3.5.0", "https://aws.github.io/eks-charts"],
      "cluster-autoscaler": ["9.59.0", "https://kubernetes.github.io/autoscaler"],
      "metrics-server": ["3.13.1", "https://kubernetes-sigs.github.io/metrics-server/"],
      "secrets-store-csi-driver": [
        "1.6.0",
        "https://kubernetes-sigs.github.io/secrets-store-csi-driver/charts",
      ],
      "secrets-store-csi-driver-provider-aws": [
        "2.2.2",
        "https://aws.github.io/secrets-store-csi-driver-provider-aws",
      ],
    },
  );
  assert.equal(releases.length, Object.keys(helmCharts).length);
  const coreDns = byName(ofType(rec, "aws:eks/addon:Addon"), "-coredns");
  for (const r of releases) {
    assert.equal(r.inputs.namespace, "kube-system", `${r.name} namespace`);
    assert.equal(r.inputs.name, r.inputs.chart, `${r.name} release name`);
    assert.equal(r.inputs.atomic, true);
    assert.equal(r.provider, provider.urn, `${r.name} is not installed through the cluster's provider`);
    assert.ok(r.dependencies.includes(coreDns.urn), `${r.name} does not wait for CoreDNS`);
    for (const group of ofType(rec, nodeGroup)) assert.ok(r.dependencies.includes(group.urn));
  }
});

test("add-ons are told region, VPC and cluster (IMDS is closed to pods) and secrets stay files", async () => {
  const rec = await prod;
  const values = (chart: string) => valuesOf(rec, chart);
  assert.deepEqual(values("aws-load-balancer-controller"), {
    clusterName: "crest-prod-eks",
    region: "eu-west-1",
    vpcId: "vpc-123",
    replicaCount: 2,
    serviceAccount: {
      create: true,
      name: "aws-load-balancer-controller",
      annotations: { "eks.amazonaws.com/role-arn": "<computed>" },
    },
  });
  const autoscaler = values("cluster-autoscaler");
  assert.equal(autoscaler.cloudProvider, "aws");
  assert.equal(autoscaler.awsRegion, "eu-west-1");
  assert.deepEqual(autoscaler.autoDiscovery, { clusterName: "crest-prod-eks" });
  assert.deepEqual(autoscaler.image, { tag: "v1.36.1" }, "the autoscaler must match the cluster's minor");
  assert.equal((autoscaler.extraArgs as Record<string, unknown>)["balance-similar-node-groups"], true);
  assert.deepEqual((autoscaler.rbac as { serviceAccount: unknown }).serviceAccount, {
    create: true,
    name: "cluster-autoscaler",
    annotations: { "eks.amazonaws.com/role-arn": "<computed>" },
  });
  assert.deepEqual(values("secrets-store-csi-driver"), {
    syncSecret: { enabled: false },
    enableSecretRotation: true,
    rotationPollInterval: "2m",
  });
  assert.deepEqual(values("secrets-store-csi-driver-provider-aws"), {
    "secrets-store-csi-driver": { install: false },
  });
  const driver = chartRelease(rec, "secrets-store-csi-driver");
  const ascp = chartRelease(rec, "secrets-store-csi-driver-provider-aws");
  assert.ok(ascp.dependencies.includes(driver.urn), "the AWS provider is installed after the driver");
  assert.deepEqual(values("metrics-server"), {
    replicas: 2,
    podDisruptionBudget: { enabled: true, minAvailable: 1 },
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: "topology.kubernetes.io/zone",
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: {
          matchLabels: {
            "app.kubernetes.io/instance": "metrics-server",
            "app.kubernetes.io/name": "metrics-server",
          },
        },
      },
    ],
  });
});

test("service accounts get their role ARN only once the role's policy is attached", async () => {
  const rec = await prod;
  const controller = chartRelease(rec, "aws-load-balancer-controller");
  const policy = byName(ofType(rec, "aws:iam/rolePolicy:RolePolicy"), "-lb-controller");
  assert.ok(controller.dependencies.includes(policy.urn));
});

test("the Kubernetes provider connects to this cluster with a short-lived token from the AWS CLI", async () => {
  const provider = one(await prod, "pulumi:providers:kubernetes");
  const config = json(provider.inputs.kubeconfig);
  assert.deepEqual(config.clusters, [
    {
      name: "crest-prod-eks",
      cluster: {
        server: "https://5C0FFEE.gr7.eu-west-1.eks.amazonaws.com",
        "certificate-authority-data": "Y2x1c3Rlci1jYQ==",
      },
    },
  ]);
  assert.deepEqual(config.users[0].user.exec, {
    apiVersion: "client.authentication.k8s.io/v1beta1",
    command: "aws",
    args: [
      "eks",
      "get-token",
      "--cluster-name",
      "crest-prod-eks",
      "--region",
      "eu-west-1",
      "--output",
      "json",
    ],
    interactiveMode: "Never",
  });
});

test("by default the cluster has deletion protection and Pulumi protect; nothing else is protected", async () => {
  const rec = await prod;
  assert.equal(one(rec, cluster).inputs.deletionProtection, true);
  assert.deepEqual(
    rec.resources.filter((r) => r.protect).map((r) => r.type),
    [cluster],
  );
});

test("dev shape: 2 AZs, x86 nodes, 1.35 with its autoscaler, a CIDR-limited public endpoint, unprotected", async () => {
  const rec = await dev;
  const groups = ofType(rec, nodeGroup);
  assert.deepEqual(
    groups.map((g) => [g.inputs.subnetIds, g.inputs.amiType, g.inputs.scalingConfig]),
    [
      [["subnet-a"], "AL2023_x86_64_STANDARD", { desiredSize: 1, maxSize: 3, minSize: 1 }],
      [["subnet-b"], "AL2023_x86_64_STANDARD", { desiredSize: 1, maxSize: 3, minSize: 1 }],
    ],
  );
  const control = one(rec, cluster);
  assert.equal(control.inputs.version, "1.35");
  assert.deepEqual(control.inputs.vpcConfig, {
    endpointPrivateAccess: true,
    endpointPublicAccess: true,
    publicAccessCidrs: ["52.94.76.0/24"],
    subnetIds: ["subnet-a", "subnet-b"],
  });
  assert.equal(control.inputs.deletionProtection, false);
  assert.deepEqual(
    rec.resources.filter((r) => r.protect),
    [],
  );
  assert.equal(one(rec, "aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays, 30);
  assert.deepEqual(valuesOf(rec, "cluster-autoscaler").image, { tag: "v1.35.0" });
  // Still secure in dev: same IMDS lock-down, and the cluster group shown as not yet known, not missing.
  const template = one(rec, "aws:ec2/launchTemplate:LaunchTemplate");
  assert.equal(
    (template.inputs.metadataOptions as { httpPutResponseHopLimit: number }).httpPutResponseHopLimit,
    1,
  );
  assert.deepEqual(template.inputs.vpcSecurityGroupIds, ["sg-workload", "<computed>"]);
  // A preview does not know the issuer yet: the trust policies are pending, never half-written.
  assert.equal(byName(ofType(rec, "aws:iam/role:Role"), "-autoscaler").inputs.assumeRolePolicy, "<computed>");
});

test("cluster argument checks name the field, the value and what is allowed", () => {
  const problems = (over: Partial<EksClusterArgs>) => eksClusterArgsProblems({ ...prodArgs, ...over });
  assert.deepEqual(problems({}), []);
  assert.deepEqual(problems(devArgs), []);
  assert.deepEqual(problems({ accountId: "12345" }), [
    { path: "accountId", value: "12345", allowed: "a 12-digit AWS account id" },
  ]);
  assert.deepEqual(problems({ availabilityZones: ["eu-west-1a"], privateSubnetIds: ["subnet-a"] }), [
    {
      path: "availabilityZones",
      value: ["eu-west-1a"],
      allowed: "2 to 6 availability zones (EKS needs subnets in 2; one node group per AZ)",
    },
  ]);
  assert.deepEqual(problems({ privateSubnetIds: ["subnet-a", "subnet-b"] }), [
    {
      path: "privateSubnetIds",
      value: "2 subnet ids",
      allowed: "one private subnet per availability zone: 3, in the order of availabilityZones",
    },
  ]);
  const securityGroups = {
    path: "nodeSecurityGroupIds",
    allowed:
      "1 to 4 security group ids (the data stores admit the workload group; a node's network interface " +
      "holds 5 groups and the EKS cluster security group takes one)",
  };
  assert.deepEqual(problems({ nodeSecurityGroupIds: [] }), [
    { ...securityGroups, value: "0 security group ids" },
  ]);
  assert.deepEqual(problems({ nodeSecurityGroupIds: ["a", "b", "c", "d", "e"] }), [
    { ...securityGroups, value: "5 security group ids" },
  ]);
  assert.deepEqual(problems({ kubernetesVersion: "1.34" }), [
    {
      path: "kubernetesVersion",
      value: "1.34",
      allowed: "one of 1.35, 1.36 (the Kubernetes minors in EKS standard support)",
    },
  ]);
  assert.deepEqual(problems({ logRetentionDays: 10 })[0]?.path, "logRetentionDays");
  assert.deepEqual(clusterNameProblems("c".repeat(39)), []);
  assert.deepEqual(clusterNameProblems(`-${"c".repeat(38)}`)[0]?.path, "name");
  assert.deepEqual(clusterNameProblems("c".repeat(40)), [
    {
      path: "name",
      value: "c".repeat(40),
      allowed:
        "an EKS cluster name: 1–39 of A-Z a-z 0-9 - _, starting with a letter or digit (node group names " +
        "add the AZ and a suffix within EKS's 63)",
    },
  ]);
});

test("node argument checks: instance types and per-AZ sizes", () => {
  const problems = (over: Partial<EksClusterArgs>) => eksClusterArgsProblems({ ...prodArgs, ...over });
  assert.deepEqual(problems({ nodeInstanceTypes: [] }), [
    {
      path: "nodeInstanceTypes",
      value: [],
      allowed: "1 to 20 EC2 instance types (EKS managed node groups take up to 20)",
    },
  ]);
  assert.deepEqual(problems({ nodeInstanceTypes: ["m7g.large", "m7g large", "m7g.large"] }), [
    {
      path: "nodeInstanceTypes[1]",
      value: "m7g large",
      allowed: 'an EC2 instance type, family and size, e.g. "m7g.xlarge"',
    },
    { path: "nodeInstanceTypes[2]", value: "m7g.large", allowed: "each type at most once" },
  ]);
  assert.deepEqual(problems({ nodeInstanceTypes: ["m7g.large", "m7i.large"] }), [
    {
      path: "nodeInstanceTypes",
      value: ["m7g.large", "m7i.large"],
      allowed:
        "instance types of one architecture, all Graviton (arm64, e.g. m7g) or all x86_64 (e.g. m7i): " +
        "a node group boots one AMI type",
    },
  ]);
  assert.deepEqual(problems({ nodesPerAz: { min: 0, max: 451, desired: 1.5 } }), [
    {
      path: "nodesPerAz.min",
      value: 0,
      allowed:
        "an integer from 1 to 450 (every AZ keeps a node for spread replicas; EKS's default quota is 450 " +
        "nodes per managed node group)",
    },
    {
      path: "nodesPerAz.max",
      value: 451,
      allowed: "an integer from 1 to 450 (EKS's default quota is 450 nodes per managed node group)",
    },
    {
      path: "nodesPerAz.desired",
      value: 1.5,
      allowed: "an integer from 1 to 450 (EKS's default quota is 450 nodes per managed node group)",
    },
  ]);
  assert.deepEqual(problems({ nodesPerAz: { min: 4, max: 3, desired: 3 } }), [
    { path: "nodesPerAz.min", value: 4, allowed: "at most nodesPerAz.max (3)" },
  ]);
  assert.deepEqual(problems({ nodesPerAz: { min: 2, max: 5, desired: 6 } }), [
    { path: "nodesPerAz.desired", value: 6, allowed: "from nodesPerAz.min (2) to nodesPerAz.max (5)" },
  ]);
});

test("endpoint argument checks: public access needs CIDRs, and never the whole internet", () => {
  const problems = (over: Partial<EksClusterArgs>) => eksClusterArgsProblems({ ...prodArgs, ...over });
  const publicCidr =
    "a public IPv4 network in CIDR form, such as an office's egress range (never 0.0.0.0/0, which opens " +
    "the API endpoint to the whole internet)";
  const open = (publicAccessCidrs: string[]) => problems({ endpointPublicAccess: true, publicAccessCidrs });
  assert.deepEqual(open(["0.0.0.0/0"]), [
    { path: "publicAccessCidrs[0]", value: "0.0.0.0/0", allowed: publicCidr },
  ]);
  assert.deepEqual(open(["52.94.76.0/24", "10.0.0.0/8", "office", "192.0.2.0/24"]), [
    { path: "publicAccessCidrs[1]", value: "10.0.0.0/8", allowed: publicCidr },
    { path: "publicAccessCidrs[2]", value: "office", allowed: publicCidr },
    { path: "publicAccessCidrs[3]", value: "192.0.2.0/24", allowed: publicCidr },
  ]);
  assert.deepEqual(open(["52.94.76.7/24"]), [
    {
      path: "publicAccessCidrs[0]",
      value: "52.94.76.7/24",
      allowed: `${publicCidr}; did you mean "52.94.76.0/24"?`,
    },
  ]);
  const countAllowed =
    "1 to 40 CIDRs when endpointPublicAccess is true (EKS's quota is 40; with none EKS would open the " +
    "endpoint to 0.0.0.0/0)";
  assert.deepEqual(problems({ endpointPublicAccess: true }), [
    { path: "publicAccessCidrs", value: [], allowed: countAllowed },
  ]);
  const many = Array.from({ length: 41 }, (_, i) => `52.${i}.0.0/16`);
  assert.deepEqual(open(many), [{ path: "publicAccessCidrs", value: many, allowed: countAllowed }]);
  assert.deepEqual(problems({ publicAccessCidrs: ["52.94.76.0/24"] }), [
    {
      path: "publicAccessCidrs",
      value: ["52.94.76.0/24"],
      allowed: "none while endpointPublicAccess is false (the endpoint is private only)",
    },
  ]);
});

test("bad arguments stop the component before any child is declared", async () => {
  await dev;
  const registered: string[] = [];
  await assert.rejects(
    recordProgram(
      "crest",
      "bad",
      () =>
        new EksCluster("crest_bad.eks", {
          ...prodArgs,
          endpointPublicAccess: true,
          publicAccessCidrs: ["0.0.0.0/0"],
        }),
      { onRegister: (r) => registered.push(r.type) },
    ),
    (error: Error) =>
      pulumi.InputPropertiesError.isInstance(error) &&
      error.message ===
        'invalid arguments for crest:compute:EksCluster "crest_bad.eks":\n' +
          'name: got "crest_bad.eks"; allowed: an EKS cluster name: 1–39 of A-Z a-z 0-9 - _, starting with a ' +
          "letter or digit (node group names add the AZ and a suffix within EKS's 63)\n" +
          'publicAccessCidrs[0]: got "0.0.0.0/0"; allowed: a public IPv4 network in CIDR form, such as an ' +
          "office's egress range (never 0.0.0.0/0, which opens the API endpoint to the whole internet)",
  );
  assert.deepEqual(registered, ["pulumi:pulumi:Stack", "crest:compute:EksCluster"]);
});

test("serviceAccountRole checks its service account and needs some permission", async () => {
  const issuerOnly = { oidcProviderArn: oidcArn, oidcProviderUrl: `https://${issuer}` };
  assert.deepEqual(
    serviceAccountRoleArgsProblems({ cluster: issuerOnly, namespace: "Crest", serviceAccount: "api_sa" }),
    [
      {
        path: "namespace",
        value: "Crest",
        allowed: "a Kubernetes namespace name: 1–63 of a-z 0-9 -, starting and ending with a letter or digit",
      },
      {
        path: "serviceAccount",
        value: "api_sa",
        allowed:
          "a Kubernetes service account name: up to 253 of a-z 0-9 - ., each dot-separated part alphanumeric at both ends",
      },
      {
        path: "policy",
        value: undefined,
        allowed:
          "an IAM policy document, or at least one managedPolicyArns entry (a role with no permissions is a mistake)",
      },
    ],
  );
  await dev;
  const registered: string[] = [];
  const recording = await recordProgram(
    "crest",
    "irsa",
    () =>
      serviceAccountRole("api", {
        cluster: issuerOnly,
        namespace: "crest",
        serviceAccount: "api",
        policy: "{}",
      }),
    { onRegister: (r) => registered.push(r.type) },
  );
  assert.deepEqual(json(one(recording, "aws:iam/role:Role").inputs.assumeRolePolicy).Statement[0].Condition, {
    StringEquals: {
      [`${issuer}:sub`]: "system:serviceaccount:crest:api",
      [`${issuer}:aud`]: "sts.amazonaws.com",
    },
  });
  assert.equal(one(recording, "aws:iam/rolePolicy:RolePolicy").inputs.policy, "{}");
  assert.deepEqual(registered.sort(), [
    "aws:iam/role:Role",
    "aws:iam/rolePolicy:RolePolicy",
    "pulumi:pulumi:Stack",
  ]);
});
