/**
 * Every value Crest takes from outside — Helm charts, engine versions, instance types, TLS policy
 * names, AMI types, add-on images, managed rule groups — with the page that proves it exists and
 * the day that was checked. Components and tier defaults import from here; a test
 * (test/infra/pins.test.ts) fails when such a literal appears anywhere else in infra/ or stacks/,
 * and the README's "External versions" table is generated from `externalPins()`. Changing a value
 * means checking its source again and moving `checkedOn`.
 */

/** Where a value was seen published, and when. */
export interface PinSource {
  /** The Helm repository index, AWS documentation page or release that lists the value. */
  readonly source: string;
  /** ISO date the value was last checked at its source. */
  readonly checkedOn: string;
}

export interface Pin<T> extends PinSource {
  readonly value: T;
}

/** A chart release as its Helm repository publishes it. */
export interface ChartPin extends PinSource {
  readonly chart: string;
  readonly repo: string;
  readonly version: string;
}

const checkedOn = "2026-12-01";
const pin = <T>(value: T, source: string): Pin<T> => ({ value, source, checkedOn });
const chart = (name: string, repo: string, version: string): ChartPin => ({
  chart: name,
  repo,
  version,
  // Helm resolves `version` against this index; the version must be listed in it.
  source: `${repo.replace(/\/$/, "")}/index.yaml`,
  checkedOn,
});

/**
 * Cluster add-on charts. Each version is listed in its repository's index.yaml (or, for
 * cluster-autoscaler, released as the chart tag the index points at) and supports the
 * Kubernetes minors in `kubernetesVersions`:
 * - metrics-server 3.13.1 (app 0.8.1, 2026-06-11); 3.14.0 was never published.
 * - aws-load-balancer-controller 3.5.0 (app v3.5.0, aws/eks-charts#1354); its IAM policy is
 *   infra/cluster/awsLoadBalancerControllerPolicy.json.
 * - secrets-store-csi-driver 1.6.0 (app 1.6.0).
 * - secrets-store-csi-driver-provider-aws 2.2.2 (2026-03-02): the newest of the 2.x line; 2.2.0
 *   was never published, and 3.x is a major upgrade to review on its own. Its index entry keeps
 *   the `secrets-store-csi-driver.install` condition Crest sets to false.
 * - cluster-autoscaler 9.59.0, run with the autoscaler image of the cluster's minor.
 */
export const helmCharts = {
  metricsServer: chart("metrics-server", "https://kubernetes-sigs.github.io/metrics-server/", "3.13.1"),
  awsLoadBalancerController: chart(
    "aws-load-balancer-controller",
    "https://aws.github.io/eks-charts",
    "3.5.0",
  ),
  secretsStoreCsiDriver: chart(
    "secrets-store-csi-driver",
    "https://kubernetes-sigs.github.io/secrets-store-csi-driver/charts",
    "1.6.0",
  ),
  secretsStoreProviderAws: chart(
    "secrets-store-csi-driver-provider-aws",
    "https://aws.github.io/secrets-store-csi-driver-provider-aws",
    "2.2.2",
  ),
  clusterAutoscaler: chart("cluster-autoscaler", "https://kubernetes.github.io/autoscaler", "9.59.0"),
} as const satisfies Record<string, ChartPin>;

const eksVersions = "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html";
const autoscalerRelease = (tag: string) =>
  `https://github.com/kubernetes/autoscaler/releases/tag/cluster-autoscaler-${tag.replace(/^v/, "")}`;

/**
 * Kubernetes minors in EKS standard support on `checkedOn`, each with the Cluster Autoscaler image
 * of the same minor (the autoscaler must match the control plane's minor). 1.34 is left out: its
 * standard support ends on 2026-12-02, so a cluster created on it would bill extended support
 * within days. 1.35's standard support ends on 2027-03-27; 1.36 is the newest minor on EKS.
 */
export const kubernetesVersions = {
  "1.35": {
    ...pin("1.35", eksVersions),
    clusterAutoscalerImageTag: pin("v1.35.0", autoscalerRelease("v1.35.0")),
  },
  "1.36": {
    ...pin("1.36", eksVersions),
    clusterAutoscalerImageTag: pin("v1.36.1", autoscalerRelease("v1.36.1")),
  },
} as const;
export type KubernetesVersion = keyof typeof kubernetesVersions;
export const defaultKubernetesVersion: KubernetesVersion = "1.36";

const msk = "https://docs.aws.amazon.com/msk/latest/developerguide";
const elastiCache = "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg";

export const engines = {
  /**
   * Aurora MySQL 3.10, a long-term-support line (MySQL 8.0.42); 3.10.3 was released 2026-01-02.
   * Changing this value is the one way a cluster's engine moves (automatic minor upgrades are off).
   */
  auroraMysql: pin(
    "8.0.mysql_aurora.3.10.3",
    "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraMySQLReleaseNotes/AuroraMySQL.Updates.3103.html",
  ),
  /** The cluster parameter group family of every Aurora MySQL 3 (MySQL 8.0) version. */
  auroraMysqlParameterFamily: pin(
    "aurora-mysql8.0",
    "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Reference.ParameterGroups.html",
  ),
  /**
   * Valkey 8.2, the newest 8.x ElastiCache offers. Valkey 9.0 and 9.1 exist too (family `valkey9`);
   * moving to them is a major upgrade, reviewed on its own.
   */
  valkey: pin("8.2", `${elastiCache}/engine-versions.html`),
  valkeyParameterFamily: pin("valkey8", `${elastiCache}/ParameterGroups.Engine.html`),
  /**
   * Kafka 3.9 in KRaft mode: MSK lists 3.9.x as supported (released 2025-04-21, no end of support
   * announced) and creates a cluster in KRaft mode when the version carries `.kraft`. A cluster's
   * metadata mode is fixed at creation, so KRaft is chosen now rather than migrated to later.
   */
  kafka: pin("3.9.x.kraft", `${msk}/supported-kafka-versions.html`),
} as const;

const rdsClasses =
  "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.DBInstanceClass.SupportAurora.html";
const cacheNodes = `${elastiCache}/CacheNodes.SupportedTypes.html`;
const mskSizes = `${msk}/broker-instance-sizes.html`;
const ec2Types = "https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html";

/** Instance, node and broker types each tier defaults to; the components default to prod's. */
export const instanceTypes = {
  mysql: { prod: pin("db.r7g.large", rdsClasses), dev: pin("db.t4g.medium", rdsClasses) },
  redis: { prod: pin("cache.r7g.large", cacheNodes), dev: pin("cache.t4g.small", cacheNodes) },
  /**
   * M7g Standard brokers in both tiers: MSK supports M7g from Kafka 3.3.2, while no AWS page states
   * that T3 brokers can be created on 3.9 KRaft clusters (CreateCluster refusals with "Unsupported
   * InstanceType" were reported). Dev's 2 brokers cost 2 × 730 h × $0.204 = $297.84 a month at the
   * us-east-1 on-demand rate (https://aws.amazon.com/msk/pricing/); other regions cost more.
   */
  kafka: { prod: pin("kafka.m7g.large", mskSizes), dev: pin("kafka.m7g.large", mskSizes) },
  /** EKS node types; Graviton, so the app image is built for arm64. */
  nodes: {
    prod: pin(["m7g.xlarge"], ec2Types),
    dev: pin(["t4g.large"], ec2Types),
  },
} as const;

/** EKS AMI types by node architecture. */
export const amiTypes = {
  arm64: pin(
    "AL2023_ARM_64_STANDARD",
    "https://docs.aws.amazon.com/eks/latest/APIReference/API_Nodegroup.html",
  ),
  x86_64: pin(
    "AL2023_x86_64_STANDARD",
    "https://docs.aws.amazon.com/eks/latest/APIReference/API_Nodegroup.html",
  ),
} as const;

/**
 * Images the stack runs that it does not build. kubectl: the Kubernetes project's own image
 * (registry.k8s.io/kubectl, published since v1.28; distroless, no shell), at the newest minor Crest
 * runs (kubectl works with a control plane one minor either side), by tag and digest as published.
 */
export const images = {
  kubectl: pin(
    "registry.k8s.io/kubectl:v1.36.3@sha256:6e4fce3c83651edb91b74bc67701c5cd263dd8aa3cd4254b1798d6425a5ab789",
    "https://explore.ggcr.dev/?repo=registry.k8s.io%2Fkubectl",
  ),
} as const;

/** TLS policies and protocol names of the edge and the databases. */
export const tls = {
  /** TLS 1.3 and 1.2 with forward-secret AEAD ciphers only. */
  albSslPolicy: pin(
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html",
  ),
  cloudFrontMinimumProtocolVersion: pin(
    "TLSv1.2_2021",
    "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html",
  ),
  cloudFrontOriginSslProtocols: pin(
    ["TLSv1.2"],
    "https://docs.aws.amazon.com/AmazonCloudFront/latest/APIReference/API_CustomOriginConfig.html",
  ),
  /** Aurora MySQL 3's `tls_version` parameter: TLS 1.2 and 1.3 only. */
  auroraTlsVersions: pin(
    "TLSv1.2,TLSv1.3",
    "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Security.html",
  ),
} as const;

/**
 * AWS managed rule groups of the CloudFront web ACL, in evaluation order: addresses AWS threat
 * intelligence lists as bots or attackers, the OWASP-style common rule set, then request patterns
 * known to exploit vulnerabilities. About 925 of the 1,500 WCUs a web ACL includes.
 */
export const wafManagedRuleGroups = pin(
  [
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
  ],
  "https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html",
);

/**
 * The prefix WAF requires of a logging destination's name (CloudWatch log group, S3 bucket or
 * Firehose stream); a destination without it is refused by PutLoggingConfiguration.
 */
export const wafLogDestinationPrefix = pin(
  "aws-waf-logs-",
  "https://docs.aws.amazon.com/waf/latest/APIReference/API_LoggingConfiguration.html",
);

/**
 * The AWS managed prefix list of CloudFront's origin-facing servers (IPv4). Its weight is 55: one
 * security group rule that references it counts as 55 of the group's 60 inbound rules by default,
 * so only one rule may use it.
 */
export const cloudFrontOriginFacingPrefixList = pin(
  "com.amazonaws.global.cloudfront.origin-facing",
  "https://docs.aws.amazon.com/vpc/latest/userguide/working-with-aws-managed-prefix-lists.html",
);

/** AWS managed policies Crest's service roles attach, each the one its service documents. */
export const managedPolicies = {
  /** Lets RDS publish Enhanced Monitoring metrics to CloudWatch Logs (log groups `RDS*` only). */
  rdsEnhancedMonitoring: pin(
    "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
    "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonRDSEnhancedMonitoringRole.html",
  ),
  /** Lets AWS Backup take and copy snapshots of the resources a backup selection names. */
  backup: pin(
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
    "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupServiceRolePolicyForBackup.html",
  ),
} as const;

/** One line of the README's "External versions" table. */
export interface PinRow extends PinSource {
  readonly name: string;
  readonly value: string;
}

const row = (name: string, p: Pin<string | readonly string[]>): PinRow => ({
  name,
  value: Array.isArray(p.value) ? p.value.join(", ") : String(p.value),
  source: p.source,
  checkedOn: p.checkedOn,
});

const engineLabels: Record<keyof typeof engines, string> = {
  auroraMysql: "Aurora MySQL engine version",
  auroraMysqlParameterFamily: "Aurora MySQL parameter group family",
  valkey: "Valkey engine version",
  valkeyParameterFamily: "Valkey parameter group family",
  kafka: "MSK Kafka version (KRaft)",
};
const typeLabels: Record<keyof typeof instanceTypes, string> = {
  mysql: "Aurora MySQL instance class",
  redis: "ElastiCache node type",
  kafka: "MSK broker type",
  nodes: "EKS node instance types",
};
const tlsLabels: Record<keyof typeof tls, string> = {
  albSslPolicy: "ALB HTTPS listener SSL policy",
  cloudFrontMinimumProtocolVersion: "CloudFront viewer security policy",
  cloudFrontOriginSslProtocols: "CloudFront origin TLS protocols",
  auroraTlsVersions: "Aurora MySQL tls_version",
};
const entries = <T extends object>(o: T) => Object.entries(o) as [keyof T & string, T[keyof T]][];

/** Every pin, flattened, in the register's order. */
export function externalPins(): PinRow[] {
  return [
    ...Object.values(helmCharts).map((c) => ({
      name: `Helm chart ${c.chart}`,
      value: c.version,
      source: c.source,
      checkedOn: c.checkedOn,
    })),
    ...entries(kubernetesVersions).flatMap(([minor, v]) => [
      row("Kubernetes minor (EKS standard support)", v),
      row(`cluster-autoscaler image for Kubernetes ${minor}`, v.clusterAutoscalerImageTag),
    ]),
    ...entries(engines).map(([name, p]) => row(engineLabels[name], p)),
    ...entries(instanceTypes).flatMap(([service, byTier]) =>
      Object.entries(byTier).map(([tier, p]: [string, Pin<string | readonly string[]>]) =>
        row(`${typeLabels[service]} (${tier === "component" ? "component default" : tier})`, p),
      ),
    ),
    ...entries(amiTypes).map(([arch, p]) => row(`EKS AMI type (${arch})`, p)),
    row("kubectl image (the sale window's pre-scale CronJobs)", images.kubectl),
    ...entries(tls).map(([name, p]) => row(tlsLabels[name], p)),
    row("WAF managed rule groups (CloudFront web ACL)", wafManagedRuleGroups),
    row("WAF logging destination name prefix", wafLogDestinationPrefix),
    row("CloudFront origin-facing managed prefix list", cloudFrontOriginFacingPrefixList),
    row("RDS Enhanced Monitoring managed policy", managedPolicies.rdsEnhancedMonitoring),
    row("AWS Backup service role managed policy", managedPolicies.backup),
  ];
}
