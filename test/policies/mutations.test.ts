import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { resolveStackConfig } from "../../stacks/config/load";
import { readProject, readStackSettings } from "../../tools/plan/project";
import { resolvedOutputs } from "../../tools/plan/resolvedOutputs";
import { programOf, recordProgram } from "../../tools/plan/run";
import { PolicyPackProcess, type StackContext } from "../../tools/policy/pack";
import { type ConfiguredPack, configurePack, reviewStack } from "../../tools/policy/review";
import type { WireGraph } from "../../tools/policy/wire";
import { repoRoot } from "../support/cli";

// Resource properties are plain JSON of any depth; the mutations below edit them by path.
// biome-ignore lint/suspicious/noExplicitAny: editing recorded JSON by path
type Obj = Record<string, any>;

/** One insecure edit of one resource, and the rule that must catch it. */
interface Mutation {
  readonly type: string;
  readonly label: string;
  readonly rule: string;
  readonly apply: (properties: Obj) => void;
  /** Picks the first resource of the type whose name contains this. */
  readonly nameHas?: string;
}
const set = (path: string, value: unknown) => (p: Obj) => {
  const keys = path.split(".");
  let o: Obj = p;
  for (const k of keys.slice(0, -1)) {
    o[k] ??= {};
    o = o[k];
  }
  o[keys.at(-1) as string] = value;
};
const del = (path: string) => (p: Obj) => {
  const keys = path.split(".");
  let o: Obj = p;
  for (const k of keys.slice(0, -1)) {
    o = o?.[k];
  }
  if (o) delete o[keys.at(-1) as string];
};
const container = (f: (c: Obj) => void) => (p: Obj) => {
  const spec = p.spec?.template?.spec ?? p.spec?.jobTemplate?.spec?.template?.spec;
  for (const c of spec?.containers ?? []) f(c);
};
const podSpec = (f: (s: Obj) => void) => (p: Obj) =>
  f(p.spec?.template?.spec ?? p.spec?.jobTemplate?.spec?.template?.spec);
const mutations: Mutation[] = [
  {
    type: "aws:rds/cluster:Cluster",
    label: "rds storageEncrypted false",
    rule: "security-encryption-at-rest",
    apply: set("storageEncrypted", false),
  },
  {
    type: "aws:rds/cluster:Cluster",
    label: "rds deletionProtection false",
    rule: "reliability-deletion-protection",
    apply: set("deletionProtection", false),
  },
  {
    type: "aws:rds/cluster:Cluster",
    label: "rds backupRetention 1",
    rule: "reliability-backup-retention",
    apply: set("backupRetentionPeriod", 1),
  },
  {
    type: "aws:rds/cluster:Cluster",
    label: "rds no kms",
    rule: "security-encryption-at-rest",
    apply: del("kmsKeyId"),
  },
  {
    type: "aws:rds/cluster:Cluster",
    label: "rds no iam auth",
    rule: "security-database-logs-and-iam-auth",
    apply: set("iamDatabaseAuthenticationEnabled", false),
  },
  {
    type: "aws:rds/cluster:Cluster",
    label: "rds no log exports",
    rule: "security-database-logs-and-iam-auth",
    apply: set("enabledCloudwatchLogsExports", []),
  },
  {
    type: "aws:rds/cluster:Cluster",
    label: "rds skipFinalSnapshot",
    rule: "reliability-deletion-protection",
    apply: set("skipFinalSnapshot", true),
  },
  {
    type: "aws:rds/clusterInstance:ClusterInstance",
    label: "rds instance public",
    rule: "security-data-store-private",
    apply: set("publiclyAccessible", true),
  },
  {
    type: "aws:rds/clusterInstance:ClusterInstance",
    label: "rds instance no monitoring",
    rule: "security-database-enhanced-monitoring",
    apply: set("monitoringInterval", 0),
  },
  {
    type: "aws:elasticache/replicationGroup:ReplicationGroup",
    label: "redis no TLS",
    rule: "security-redis-tls",
    apply: set("transitEncryptionEnabled", false),
  },
  {
    type: "aws:elasticache/replicationGroup:ReplicationGroup",
    label: "redis no at-rest",
    rule: "security-encryption-at-rest",
    apply: set("atRestEncryptionEnabled", false),
  },
  {
    type: "aws:elasticache/replicationGroup:ReplicationGroup",
    label: "redis no failover",
    rule: "reliability-redis-failover",
    apply: set("automaticFailoverEnabled", false),
  },
  {
    type: "aws:elasticache/replicationGroup:ReplicationGroup",
    label: "redis no multiAZ",
    rule: "reliability-redis-failover",
    apply: set("multiAzEnabled", false),
  },
  {
    type: "aws:elasticache/replicationGroup:ReplicationGroup",
    label: "redis no auth",
    rule: "security-redis-auth",
    apply: del("authToken"),
  },
  {
    type: "aws:elasticache/replicationGroup:ReplicationGroup",
    label: "redis no snapshots",
    rule: "reliability-backup-retention",
    apply: set("snapshotRetentionLimit", 0),
  },
  {
    type: "aws:elasticache/replicationGroup:ReplicationGroup",
    label: "redis transit preferred",
    rule: "security-redis-tls",
    apply: set("transitEncryptionMode", "preferred"),
  },
  {
    type: "aws:msk/cluster:Cluster",
    label: "msk plaintext",
    rule: "security-kafka-tls",
    apply: set("encryptionInfo.encryptionInTransit.clientBroker", "PLAINTEXT"),
  },
  {
    type: "aws:msk/cluster:Cluster",
    label: "msk in-cluster off",
    rule: "security-kafka-tls",
    apply: set("encryptionInfo.encryptionInTransit.inCluster", false),
  },
  {
    type: "aws:msk/cluster:Cluster",
    label: "msk unauthenticated",
    rule: "security-kafka-tls",
    apply: set("clientAuthentication.unauthenticated", true),
  },
  {
    type: "aws:msk/cluster:Cluster",
    label: "msk public",
    rule: "security-data-store-private",
    apply: set("brokerNodeGroupInfo.connectivityInfo.publicAccess.type", "SERVICE_PROVIDED_EIPS"),
  },
  {
    type: "aws:msk/cluster:Cluster",
    label: "msk no logs",
    rule: "security-kafka-broker-logs",
    apply: del("loggingInfo"),
  },
  {
    type: "aws:msk/cluster:Cluster",
    label: "msk no kms",
    rule: "security-encryption-at-rest",
    apply: del("encryptionInfo.encryptionAtRestKmsKeyArn"),
  },
  {
    type: "aws:ec2/securityGroup:SecurityGroup",
    label: "sg world 3306",
    rule: "security-no-world-ingress",
    apply: (p) => {
      p.ingress = [
        ...(p.ingress ?? []),
        { protocol: "tcp", fromPort: 3306, toPort: 3306, cidrBlocks: ["0.0.0.0/0"] },
      ];
    },
  },
  {
    type: "aws:ec2/securityGroup:SecurityGroup",
    label: "sg world all",
    rule: "security-no-world-ingress",
    apply: (p) => {
      p.ingress = [
        ...(p.ingress ?? []),
        { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] },
      ];
    },
  },
  {
    type: "aws:ec2/securityGroup:SecurityGroup",
    label: "sg ipv6 world 22",
    rule: "security-no-world-ingress",
    apply: (p) => {
      p.ingress = [
        ...(p.ingress ?? []),
        { protocol: "tcp", fromPort: 22, toPort: 22, ipv6CidrBlocks: ["::/0"] },
      ];
    },
  },
  {
    type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    label: "sg rule world",
    rule: "security-no-world-ingress",
    apply: (p) => {
      p.cidrIpv4 = "0.0.0.0/0";
      delete p.referencedSecurityGroupId;
    },
  },
  {
    type: "aws:iam/rolePolicy:RolePolicy",
    label: "iam star",
    rule: "security-iam-no-admin-wildcard",
    apply: set(
      "policy",
      JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }),
    ),
  },
  {
    type: "aws:iam/role:Role",
    label: "iam trust any",
    rule: "security-iam-trust-policy-principals",
    apply: set(
      "assumeRolePolicy",
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }],
      }),
    ),
  },
  {
    type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    label: "iam admin attach",
    rule: "security-iam-managed-policy-allow-list",
    apply: set("policyArn", "arn:aws:iam::aws:policy/AdministratorAccess"),
  },
  {
    type: "aws:eks/cluster:Cluster",
    label: "eks public endpoint world",
    rule: "security-eks-private-endpoint",
    apply: (p) => {
      p.vpcConfig = { ...p.vpcConfig, endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] };
    },
  },
  {
    type: "aws:eks/cluster:Cluster",
    label: "eks no secrets encryption",
    rule: "security-eks-secrets-encryption",
    apply: del("encryptionConfig"),
  },
  {
    type: "aws:eks/cluster:Cluster",
    label: "eks no logs",
    rule: "security-eks-audit-logs",
    apply: set("enabledClusterLogTypes", []),
  },
  {
    type: "aws:eks/nodeGroup:NodeGroup",
    label: "eks nodegroup remote ssh",
    rule: "security-eks-node-no-remote-access",
    apply: set("remoteAccess", { ec2SshKey: "k", sourceSecurityGroupIds: [] }),
  },
  {
    type: "aws:ec2/launchTemplate:LaunchTemplate",
    label: "lt imdsv1",
    rule: "security-imdsv2",
    apply: set("metadataOptions.httpTokens", "optional"),
  },
  {
    type: "aws:ec2/launchTemplate:LaunchTemplate",
    label: "lt hop 3",
    rule: "security-imdsv2",
    apply: set("metadataOptions.httpPutResponseHopLimit", 3),
  },
  {
    type: "aws:ec2/launchTemplate:LaunchTemplate",
    label: "lt ebs unencrypted",
    rule: "security-node-volumes-encrypted",
    apply: (p) => {
      for (const b of p.blockDeviceMappings ?? []) if (b.ebs) b.ebs.encrypted = "false";
    },
  },
  {
    type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    label: "s3 pab off",
    rule: "security-s3-public-access-blocked",
    apply: set("blockPublicAcls", false),
  },
  {
    type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    label: "s3 pab policy off",
    rule: "security-s3-public-access-blocked",
    apply: set("restrictPublicBuckets", false),
  },
  {
    type: "aws:s3/bucketVersioning:BucketVersioning",
    label: "s3 versioning suspended",
    rule: "reliability-s3-versioning",
    apply: set("versioningConfiguration.status", "Suspended"),
  },
  {
    type: "aws:s3/bucketPolicy:BucketPolicy",
    label: "s3 policy public read",
    rule: "security-s3-deny-insecure-transport",
    apply: set(
      "policy",
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::x/*" },
        ],
      }),
    ),
  },
  {
    type: "aws:kms/key:Key",
    label: "kms no rotation",
    rule: "security-kms-key-rotation",
    apply: set("enableKeyRotation", false),
  },
  {
    type: "aws:kms/key:Key",
    label: "kms policy star principal",
    rule: "security-kms-key-policy-not-public",
    apply: set(
      "policy",
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "*" }],
      }),
    ),
  },
  {
    type: "aws:cloudwatch/logGroup:LogGroup",
    label: "log no retention",
    rule: "cost-log-retention",
    apply: set("retentionInDays", 0),
  },
  {
    type: "aws:cloudwatch/logGroup:LogGroup",
    label: "log no kms",
    rule: "security-encryption-at-rest",
    apply: del("kmsKeyId"),
  },
  {
    type: "aws:secretsmanager/secret:Secret",
    label: "secret no kms",
    rule: "security-encryption-at-rest",
    apply: del("kmsKeyId"),
  },
  {
    type: "aws:lb/loadBalancer:LoadBalancer",
    label: "alb keeps invalid headers",
    rule: "security-alb-drop-invalid-headers",
    apply: set("dropInvalidHeaderFields", false),
  },
  {
    type: "aws:lb/loadBalancer:LoadBalancer",
    label: "alb no deletion protection",
    rule: "reliability-deletion-protection",
    apply: set("enableDeletionProtection", false),
  },
  {
    type: "aws:lb/loadBalancer:LoadBalancer",
    label: "alb no access logs",
    rule: "security-edge-access-logs",
    apply: del("accessLogs"),
  },
  {
    type: "aws:lb/loadBalancer:LoadBalancer",
    label: "alb desync monitor",
    rule: "security-alb-desync-mitigation",
    apply: set("desyncMitigationMode", "monitor"),
  },
  {
    type: "aws:lb/listener:Listener",
    label: "listener http forward",
    rule: "security-alb-listener-default-deny",
    apply: (p) => {
      p.protocol = "HTTP";
      p.port = 80;
      delete p.sslPolicy;
      delete p.certificateArn;
      p.defaultActions = [
        {
          type: "forward",
          targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/1",
        },
      ];
    },
  },
  {
    type: "aws:lb/listener:Listener",
    label: "listener old tls",
    rule: "security-alb-tls",
    apply: set("sslPolicy", "ELBSecurityPolicy-2016-08"),
  },
  {
    type: "aws:cloudfront/distribution:Distribution",
    label: "cf allow-all",
    rule: "security-cloudfront-tls",
    apply: set("defaultCacheBehavior.viewerProtocolPolicy", "allow-all"),
  },
  {
    type: "aws:cloudfront/distribution:Distribution",
    label: "cf tls1",
    rule: "security-cloudfront-tls",
    apply: set("viewerCertificate.minimumProtocolVersion", "TLSv1"),
  },
  {
    type: "aws:cloudfront/distribution:Distribution",
    label: "cf no waf",
    rule: "security-cloudfront-waf",
    apply: del("webAclId"),
  },
  {
    type: "aws:cloudfront/distribution:Distribution",
    label: "cf origin http-only",
    rule: "security-cloudfront-tls",
    apply: (p) => {
      for (const o of p.origins ?? [])
        if (o.customOriginConfig) o.customOriginConfig.originProtocolPolicy = "http-only";
    },
  },
  {
    type: "aws:ec2/flowLog:FlowLog",
    label: "flowlog accept only",
    rule: "security-vpc-flow-logs",
    apply: set("trafficType", "ACCEPT"),
  },
  {
    type: "aws:ec2/subnet:Subnet",
    label: "subnet public ip",
    rule: "security-subnet-no-public-ip",
    apply: set("mapPublicIpOnLaunch", true),
    nameHas: "private",
  },
  {
    type: "aws:wafv2/webAcl:WebAcl",
    label: "waf default allow no rules",
    rule: "security-waf-rules",
    apply: (p) => {
      p.rules = [];
    },
  },
  {
    type: "aws:backup/vault:Vault",
    label: "backup vault no kms",
    rule: "reliability-aurora-backup-plan",
    apply: del("kmsKeyArn"),
  },
  {
    type: "aws:backup/plan:Plan",
    label: "backup short retention",
    rule: "reliability-aurora-backup-plan",
    apply: (p) => {
      for (const r of p.rules ?? []) r.lifecycle = { deleteAfter: 1 };
    },
  },
  {
    type: "kubernetes:apps/v1:Deployment",
    label: "k8s privileged",
    rule: "kubernetes-no-privileged",
    apply: container((c) => {
      c.securityContext = { ...c.securityContext, privileged: true };
    }),
  },
  {
    type: "kubernetes:apps/v1:Deployment",
    label: "k8s root",
    rule: "kubernetes-run-as-non-root",
    apply: container((c) => {
      c.securityContext = { ...c.securityContext, runAsNonRoot: false, runAsUser: 0 };
    }),
  },
  {
    type: "kubernetes:apps/v1:Deployment",
    label: "k8s priv esc",
    rule: "kubernetes-no-privileged",
    apply: container((c) => {
      c.securityContext = { ...c.securityContext, allowPrivilegeEscalation: true };
    }),
  },
  {
    type: "kubernetes:apps/v1:Deployment",
    label: "k8s rw rootfs",
    rule: "kubernetes-read-only-root-fs",
    apply: container((c) => {
      c.securityContext = { ...c.securityContext, readOnlyRootFilesystem: false };
    }),
  },
  {
    type: "kubernetes:apps/v1:Deployment",
    label: "k8s cap sys_admin",
    rule: "kubernetes-drop-all-capabilities",
    apply: container((c) => {
      c.securityContext = { ...c.securityContext, capabilities: { add: ["SYS_ADMIN"], drop: [] } };
    }),
  },
  {
    type: "kubernetes:apps/v1:Deployment",
    label: "k8s no limits",
    rule: "kubernetes-resources",
    apply: container((c) => {
      delete c.resources;
    }),
  },
  {
    type: "kubernetes:apps/v1:Deployment",
    label: "k8s no probes",
    rule: "reliability-probes",
    apply: container((c) => {
      delete c.readinessProbe;
      delete c.livenessProbe;
    }),
  },
  {
    type: "kubernetes:apps/v1:Deployment",
    label: "k8s image latest",
    rule: "kubernetes-image-digest",
    apply: container((c) => {
      c.image = "nginx:latest";
    }),
  },
  {
    type: "kubernetes:apps/v1:Deployment",
    label: "k8s hostNetwork",
    rule: "kubernetes-no-host-namespaces",
    apply: podSpec((s) => {
      s.hostNetwork = true;
    }),
  },
  {
    type: "kubernetes:apps/v1:Deployment",
    label: "k8s hostPID",
    rule: "kubernetes-no-host-namespaces",
    apply: podSpec((s) => {
      s.hostPID = true;
    }),
  },
  {
    type: "kubernetes:apps/v1:Deployment",
    label: "k8s hostPath",
    rule: "kubernetes-no-host-namespaces",
    apply: podSpec((s) => {
      s.volumes = [...(s.volumes ?? []), { name: "h", hostPath: { path: "/" } }];
    }),
  },
  {
    type: "kubernetes:apps/v1:Deployment",
    label: "k8s seccomp unconfined",
    rule: "kubernetes-seccomp-runtime-default",
    apply: podSpec((s) => {
      s.securityContext = { ...s.securityContext, seccompProfile: { type: "Unconfined" } };
    }),
  },
  {
    type: "kubernetes:apps/v1:Deployment",
    label: "k8s hostPort",
    rule: "kubernetes-no-host-namespaces",
    apply: container((c) => {
      for (const port of c.ports ?? []) port.hostPort = 8080;
    }),
  },
  {
    type: "kubernetes:apps/v1:Deployment",
    label: "k8s env secret literal",
    rule: "security-no-plaintext-secrets",
    apply: container((c) => {
      c.env = [...(c.env ?? []), { name: "DB_PASSWORD", value: "hunter2hunter2" }];
    }),
  },
  {
    type: "kubernetes:batch/v1:Job",
    label: "job privileged",
    rule: "kubernetes-no-privileged",
    apply: container((c) => {
      c.securityContext = { ...c.securityContext, privileged: true };
    }),
  },
  {
    type: "kubernetes:batch/v1:CronJob",
    label: "cronjob root",
    rule: "kubernetes-run-as-non-root",
    apply: container((c) => {
      c.securityContext = { ...c.securityContext, runAsNonRoot: false, runAsUser: 0 };
    }),
  },
  {
    type: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    label: "hpa max<min",
    rule: "reliability-hpa-bounds",
    apply: set("spec.maxReplicas", 1),
  },
  {
    type: "kubernetes:policy/v1:PodDisruptionBudget",
    label: "pdb maxUnavailable 0",
    rule: "reliability-pod-disruption-budget",
    apply: (p) => {
      delete p.spec.minAvailable;
      p.spec.maxUnavailable = 0;
    },
  },
  {
    type: "kubernetes:rbac.authorization.k8s.io/v1:Role",
    label: "rbac star",
    rule: "kubernetes-rbac-least-privilege",
    apply: set("rules", [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }]),
  },
  {
    type: "kubernetes:rbac.authorization.k8s.io/v1:Role",
    label: "rbac secrets",
    rule: "kubernetes-rbac-least-privilege",
    apply: (p) => {
      p.rules = [...(p.rules ?? []), { apiGroups: [""], resources: ["secrets"], verbs: ["get", "list"] }];
    },
  },
  {
    type: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    label: "netpol allow all ingress",
    rule: "kubernetes-default-deny-network-policy",
    apply: (p) => {
      p.spec.ingress = [{}];
    },
  },
  {
    type: "kubernetes:core/v1:Service",
    label: "svc LoadBalancer",
    rule: "kubernetes-service-not-exposed",
    apply: set("spec.type", "LoadBalancer"),
  },
  {
    type: "kubernetes:core/v1:Namespace",
    label: "ns psa privileged",
    rule: "kubernetes-namespace-restricted",
    apply: (p) => {
      p.metadata.labels = { ...p.metadata.labels, "pod-security.kubernetes.io/enforce": "privileged" };
    },
  },
];

/**
 * Insecure edits of the real prod stack, one at a time, each of which the pack must catch: the
 * program is recorded as the plan's resolved pass records it (every value known, as after a
 * deploy), one resource's properties are changed, and the whole stack is reviewed again with prod's
 * policy config. Not listed, because prod chose them or no rule should refuse them: SSE-S3 on the
 * server-access-log bucket (S3 cannot deliver logs to a KMS bucket), the Aurora shards'
 * autoMinorVersionUpgrade: false (minor versions move through the pin register), one replica on a
 * Deployment an HPA scales, a KMS deletion window of 7 days, Performance Insights.
 */
describe("insecure mutations of the prod stack, each caught by the policy pack", () => {
  let pack: PolicyPackProcess;
  let configured: ConfiguredPack;
  let graph: WireGraph;
  let baseline: Set<string>;
  const finding = (v: { policy: string; urn: string }) => `${v.policy}|${v.urn}`;

  before(async () => {
    const stack = "prod";
    const project = readProject(repoRoot);
    const settings = readStackSettings(repoRoot, stack);
    const { accountId, region } = resolveStackConfig(stack, settings.config);
    const context: StackContext = {
      stack,
      project: project.name,
      organization: "organization",
      config: settings.config,
      secretKeys: settings.secretKeys,
    };
    pack = await PolicyPackProcess.start(join(repoRoot, "policies"), context);
    configured = await configurePack(pack, {
      root: repoRoot,
      context,
      configFile: join(repoRoot, "policies", "config", `${stack}.json`),
    });
    const recording = await recordProgram(project.name, stack, await programOf(repoRoot, project.main), {
      config: settings.config,
      secretKeys: settings.secretKeys,
      computedOutputs: resolvedOutputs({ accountId, region }),
    });
    graph = recording.wire;
    const review = await reviewStack(configured, graph, "resolved");
    baseline = new Set(review.violations.map(finding));
  });
  after(() => pack?.close());

  it("starts from a stack the pack passes", () => {
    assert.deepEqual([...baseline], []);
  });

  for (const mutation of mutations) {
    it(`${mutation.label}: ${mutation.rule}`, async () => {
      const target = graph.resources.find(
        (r) => r.type === mutation.type && (!mutation.nameHas || r.name.includes(mutation.nameHas)),
      );
      assert.ok(target, `prod declares no ${mutation.type}`);
      const properties = structuredClone(target.properties) as Obj;
      mutation.apply(properties);
      assert.notDeepEqual(properties, target.properties, "the mutation changed nothing");
      const mutated = { ...target, properties };
      const review = await reviewStack(
        configured,
        { ...graph, resources: graph.resources.map((r) => (r === target ? mutated : r)) },
        "resolved",
      );
      const fresh = review.violations.filter((v) => !baseline.has(finding(v)));
      assert.ok(
        fresh.some((v) => v.policy === mutation.rule && v.enforcementLevel === "mandatory"),
        `${mutation.rule} did not block it; new findings: ${JSON.stringify(fresh.map((v) => v.policy))}`,
      );
    });
  }
});
