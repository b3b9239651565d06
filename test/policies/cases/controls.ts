import type { WireResource } from "../../../tools/policy/wire";
import { res, standardTags, unknown } from "../fixtures";
import type { RuleCase } from "./ruleCase";
import { deployment } from "./workloads";

// Fixtures for the controls issue #13 found missing: each secure form as Crest builds it, and the
// insecure variants a careless change would make.

const rateRule = (action: object) => ({
  name: "rate-limit-per-ip",
  priority: 0,
  action,
  statement: { rateBasedStatement: { limit: 2000, aggregateKeyType: "IP" } },
});
const managedRule = (overrideAction: object) => ({
  name: "AWSManagedRulesCommonRuleSet",
  priority: 1,
  overrideAction,
  statement: { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesCommonRuleSet" } },
});
const webAcl = (rules: object[]) =>
  res("aws:wafv2/webAcl:WebAcl", "cdn", { scope: "CLOUDFRONT", defaultAction: { allow: {} }, rules });
const goodAcl = webAcl([rateRule({ block: {} }), managedRule({ none: {} })]);

const wafLogGroup = (props: Record<string, unknown>) =>
  res("aws:cloudwatch/logGroup:LogGroup", "waf-logs", {
    name: "aws-waf-logs-cdn",
    kmsKeyId: unknown,
    retentionInDays: 365,
    ...props,
  });
const wafLogging = (destinations: WireResource[], literal?: string) =>
  res(
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    "cdn",
    { resourceArn: unknown, logDestinationConfigs: literal ? [literal] : destinations.map(() => unknown) },
    { deps: { resourceArn: [goodAcl], logDestinationConfigs: destinations } },
  );

const albGroup = (ingress: object[]) =>
  res("aws:ec2/securityGroup:SecurityGroup", "alb", { vpcId: unknown, ingress, egress: [] });
const httpsFrom = (source: object) => ({ protocol: "tcp", fromPort: 443, toPort: 443, ...source });
const alb = (group: WireResource | undefined, props: Record<string, unknown> = {}) =>
  res(
    "aws:lb/loadBalancer:LoadBalancer",
    "alb",
    {
      loadBalancerType: "application",
      internal: false,
      dropInvalidHeaderFields: true,
      ...(group ? { securityGroups: [unknown] } : {}),
      ...props,
    },
    { deps: group ? { securityGroups: [group] } : {} },
  );
const cloudFrontOnlyGroup = albGroup([httpsFrom({ prefixListIds: [unknown] })]);

const listener = (props: Record<string, unknown>) =>
  res("aws:lb/listener:Listener", "https", {
    loadBalancerArn: unknown,
    port: 443,
    protocol: "HTTPS",
    sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    ...props,
  });
const forbidden = { type: "fixed-response", fixedResponse: { statusCode: "403", contentType: "text/plain" } };

const bucket = (name: string) => res("aws:s3/bucket:Bucket", name, {});
const logsBucket = bucket("access-logs");
const archive = bucket("archive");
const archiveLogging = res(
  "aws:s3/bucketLogging:BucketLogging",
  "archive",
  { bucket: unknown, targetBucket: unknown, targetPrefix: "archive/" },
  { deps: { bucket: [archive], targetBucket: [logsBucket] } },
);

const albLogs = bucket("alb-logs");
const albLoggingTo = (target: WireResource) =>
  res(
    "aws:lb/loadBalancer:LoadBalancer",
    "alb",
    {
      loadBalancerType: "application",
      securityGroups: [unknown],
      accessLogs: { bucket: unknown, enabled: true },
    },
    { deps: { securityGroups: [cloudFrontOnlyGroup], accessLogs: [target] } },
  );

const brokerLogGroup = (props: Record<string, unknown>) =>
  res("aws:cloudwatch/logGroup:LogGroup", "broker-logs", { retentionInDays: 90, ...props });
const msk = (loggingInfo: object | undefined, group?: WireResource) =>
  res(
    "aws:msk/cluster:Cluster",
    "kafka",
    { clusterName: "kafka", ...(loggingInfo ? { loggingInfo } : {}) },
    { deps: group ? { loggingInfo: [group] } : {} },
  );
const cloudWatchBrokerLogs = { brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: unknown } } };

const dbInstance = (props: Record<string, unknown>) =>
  res("aws:rds/clusterInstance:ClusterInstance", "shard-0-0", {
    clusterIdentifier: unknown,
    instanceClass: "db.r7g.large",
    engine: "aurora-mysql",
    publiclyAccessible: false,
    ...props,
  });

const secret = (props: Record<string, unknown>) =>
  res("aws:secretsmanager/secret:Secret", "scram", { kmsKeyId: unknown, ...props });
const rotationOf = (target: WireResource, automaticallyAfterDays: number) =>
  res(
    "aws:secretsmanager/secretRotation:SecretRotation",
    "scram",
    { secretId: unknown, rotationLambdaArn: unknown, rotationRules: { automaticallyAfterDays } },
    { deps: { secretId: [target] } },
  );
const reason = "Kafka clients read the SCRAM password at start only: rotate it with a deploy";

// AWS Backup: a shard, its key, and vaults here and in the DR region.
const drProvider = res(
  "pulumi:providers:aws",
  "dr",
  { region: "ap-northeast-1", defaultTags: JSON.stringify({ tags: standardTags }) },
  { provider: null },
);
const key = (name: string, provider?: WireResource) =>
  res("aws:kms/key:Key", name, { enableKeyRotation: true }, provider ? { provider } : {});
const dbKey = key("shard");
const shard = res(
  "aws:rds/cluster:Cluster",
  "shard-0",
  { engine: "aurora-mysql", storageEncrypted: true, kmsKeyId: unknown },
  { deps: { kmsKeyId: [dbKey] } },
);
const vault = (name: string, vaultKey: WireResource | undefined, provider?: WireResource) =>
  res("aws:backup/vault:Vault", name, vaultKey ? { kmsKeyArn: unknown } : {}, {
    deps: vaultKey ? { kmsKeyArn: [vaultKey] } : {},
    ...(provider ? { provider } : {}),
  });
const lock = (target: WireResource, provider?: WireResource) =>
  res(
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
    target.name,
    { backupVaultName: unknown, minRetentionDays: 35, maxRetentionDays: 365, changeableForDays: 3 },
    { deps: { backupVaultName: [target] }, ...(provider ? { provider } : {}) },
  );
const homeKey = key("vault");
const drKey = key("vault-dr", drProvider);
const homeVault = vault("vault", homeKey);
const drVault = vault("vault-dr", drKey, drProvider);

/** A backup of `shard` with the given plan rule and vaults, each vault locked unless told otherwise. */
function backup(options: {
  rule?: Record<string, unknown>;
  vaults?: WireResource[];
  locked?: boolean;
  selected?: boolean;
}): WireResource[] {
  const vaults = options.vaults ?? [homeVault, drVault];
  const lifecycle = { deleteAfter: 35 };
  const plan = res(
    "aws:backup/plan:Plan",
    "plan",
    {
      rules: [
        {
          ruleName: "daily",
          targetVaultName: unknown,
          schedule: "cron(0 18 * * ? *)",
          lifecycle,
          ...(vaults.length > 1 ? { copyActions: [{ destinationVaultArn: unknown, lifecycle }] } : {}),
          ...options.rule,
        },
      ],
    },
    { deps: { rules: vaults } },
  );
  const selection = res(
    "aws:backup/selection:Selection",
    "shards",
    { planId: unknown, iamRoleArn: unknown, resources: [unknown] },
    { deps: { planId: [plan], resources: options.selected === false ? [] : [shard] } },
  );
  return [
    drProvider,
    dbKey,
    shard,
    homeKey,
    drKey,
    ...vaults,
    ...(options.locked === false ? [] : vaults.map((v) => lock(v, v === drVault ? drProvider : undefined))),
    plan,
    selection,
  ];
}

const launchTemplate = (blockDeviceMappings: object[]) =>
  res("aws:ec2/launchTemplate:LaunchTemplate", "node", {
    metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
    blockDeviceMappings,
  });
const rootVolume = (encrypted: string) => ({
  deviceName: "/dev/xvda",
  ebs: { volumeType: "gp3", volumeSize: 50, encrypted },
});
const nodeGroup = (template: WireResource | undefined) =>
  res(
    "aws:eks/nodeGroup:NodeGroup",
    "nodes-a",
    {
      clusterName: "eks",
      version: "1.36",
      ...(template ? { launchTemplate: { id: unknown, version: unknown } } : {}),
    },
    { deps: template ? { launchTemplate: [template] } : {} },
  );

const eks = (version: string | undefined) =>
  res("aws:eks/cluster:Cluster", "eks", version === undefined ? {} : { version });

const hsts = (patch: Record<string, unknown>) =>
  res("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy", "security-headers", {
    securityHeadersConfig: {
      strictTransportSecurity: {
        accessControlMaxAgeSec: 63_072_000,
        includeSubdomains: true,
        preload: true,
        override: true,
        ...patch,
      },
    },
  });

const auroraCluster = (props: Record<string, unknown>) =>
  res("aws:rds/cluster:Cluster", "shard", {
    engine: "aurora-mysql",
    enabledCloudwatchLogsExports: ["audit", "error", "slowquery"],
    iamDatabaseAuthenticationEnabled: true,
    ...props,
  });

const distribution = res("aws:cloudfront/distribution:Distribution", "cdn", { enabled: true });
const deliverySource = (logType: string) =>
  res(
    "aws:cloudwatch/logDeliverySource:LogDeliverySource",
    "cdn-logs",
    { logType, resourceArn: unknown },
    { deps: { resourceArn: [distribution] } },
  );
const deliveryOf = (source: WireResource) =>
  res(
    "aws:cloudwatch/logDelivery:LogDelivery",
    "cdn-logs",
    { deliverySourceName: unknown, deliveryDestinationArn: unknown },
    { deps: { deliverySourceName: [source] } },
  );

const digest = `sha256:${"0123456789abcdef".repeat(4)}`;

export const controlCases: RuleCase[] = [
  {
    rule: "security-waf-rules",
    failing: [
      { fixture: [webAcl([])], finding: /has no rate-based rule/ },
      { fixture: [webAcl([rateRule({ block: {} })])], finding: /runs no managed rule group/ },
      {
        fixture: [webAcl([rateRule({ count: {} }), managedRule({ none: {} })])],
        finding: /only count, they never block/,
      },
      {
        fixture: [webAcl([rateRule({ block: {} }), managedRule({ count: {} })])],
        finding: /overridden to count only/,
      },
      {
        fixture: [
          res("aws:wafv2/webAcl:WebAcl", "json", {
            scope: "REGIONAL",
            ruleJson: JSON.stringify([
              { Name: "common", OverrideAction: { None: {} }, Statement: { ManagedRuleGroupStatement: {} } },
            ]),
          }),
        ],
        finding: /has no rate-based rule/,
      },
    ],
    passing: [[goodAcl]],
  },
  {
    rule: "security-waf-logging",
    failing: [
      { fixture: [goodAcl], finding: /no WebAclLoggingConfiguration logs this web ACL/ },
      {
        fixture: [goodAcl, wafLogGroup({ name: "waf" }), wafLogging([wafLogGroup({ name: "waf" })])],
        finding: /named "waf", without the aws-waf-logs- prefix/,
      },
      {
        fixture: [goodAcl, wafLogGroup({ kmsKeyId: undefined }), wafLogging([wafLogGroup({})])],
        finding: /destination log group waf-logs has no kmsKeyId/,
      },
      {
        fixture: [goodAcl, wafLogging([], "arn:aws:logs:us-east-1:111111111111:log-group:waf")],
        finding: /logs to arn:aws:logs:.*:waf, without the aws-waf-logs- prefix/,
      },
    ],
    passing: [[goodAcl, wafLogGroup({}), wafLogging([wafLogGroup({})])]],
  },
  {
    rule: "security-alb-ingress-cloudfront-only",
    failing: [
      {
        fixture: [albGroup([httpsFrom({ cidrBlocks: ["0.0.0.0/0"] })]), alb(albGroup([]))],
        finding: /alb admits 0\.0\.0\.0\/0 on port 443 instead of CloudFront's origin-facing prefix list/,
      },
      {
        fixture: [
          cloudFrontOnlyGroup,
          alb(cloudFrontOnlyGroup),
          res(
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            "office",
            {
              securityGroupId: unknown,
              ipProtocol: "tcp",
              fromPort: 443,
              toPort: 443,
              cidrIpv4: "203.0.113.0/24",
            },
            { deps: { securityGroupId: [cloudFrontOnlyGroup] } },
          ),
        ],
        finding: /office admits 203\.0\.113\.0\/24/,
      },
      { fixture: [alb(undefined)], finding: /has no security group of its own/ },
    ],
    passing: [
      [cloudFrontOnlyGroup, alb(cloudFrontOnlyGroup)],
      // An internal load balancer is not reachable from the internet, whatever its group admits.
      [
        albGroup([httpsFrom({ cidrBlocks: ["10.0.0.0/16"] })]),
        alb(albGroup([httpsFrom({ cidrBlocks: ["10.0.0.0/16"] })]), { internal: true }),
      ],
    ],
  },
  {
    rule: "security-alb-listener-default-deny",
    failing: [
      {
        fixture: [listener({ defaultActions: [{ type: "forward", targetGroupArn: unknown }] })],
        finding: /defaultActions\[0\] forwards every request/,
      },
    ],
    passing: [
      [listener({ defaultActions: [forbidden] })],
      // A network load balancer's TCP listener can only forward.
      [listener({ protocol: "TCP", sslPolicy: undefined, defaultActions: [{ type: "forward" }] })],
    ],
  },
  {
    rule: "security-alb-desync-mitigation",
    failing: [
      {
        fixture: [alb(cloudFrontOnlyGroup, { desyncMitigationMode: "monitor" })],
        finding: /desyncMitigationMode is "monitor"/,
      },
    ],
    passing: [[alb(cloudFrontOnlyGroup, { desyncMitigationMode: "strictest" })], [alb(cloudFrontOnlyGroup)]],
  },
  {
    rule: "security-s3-access-logging",
    failing: [
      { fixture: [archive], finding: /records no server access logs/ },
      {
        fixture: [logsBucket, archive, archiveLogging, bucket("archive-dr")],
        finding: /records no server access logs/,
      },
    ],
    passing: [
      [logsBucket, archive, archiveLogging],
      // A bucket the load balancer delivers its access logs to is a log bucket.
      [albLogs, cloudFrontOnlyGroup, albLoggingTo(albLogs)],
    ],
  },
  {
    rule: "security-kafka-broker-logs",
    failing: [
      { fixture: [msk(undefined)], finding: /ships no broker logs/ },
      {
        fixture: [msk({ brokerLogs: { cloudwatchLogs: { enabled: false } } })],
        finding: /ships no broker logs/,
      },
      {
        fixture: [brokerLogGroup({}), msk(cloudWatchBrokerLogs, brokerLogGroup({}))],
        finding: /broker log group broker-logs has no kmsKeyId/,
      },
    ],
    passing: [
      [
        brokerLogGroup({ kmsKeyId: unknown }),
        msk(cloudWatchBrokerLogs, brokerLogGroup({ kmsKeyId: unknown })),
      ],
    ],
  },
  {
    rule: "security-database-enhanced-monitoring",
    failing: [
      { fixture: [dbInstance({})], finding: /monitoringInterval is not set: Enhanced Monitoring is off/ },
      { fixture: [dbInstance({ monitoringInterval: 0 })], finding: /monitoringInterval is 0/ },
      { fixture: [dbInstance({ monitoringInterval: 60 })], finding: /monitoringRoleArn is not set/ },
    ],
    passing: [[dbInstance({ monitoringInterval: 60, monitoringRoleArn: unknown })]],
  },
  {
    rule: "security-secret-rotation",
    failing: [
      { fixture: [secret({})], finding: /has no rotation schedule and no rotation-exception tag/ },
      {
        fixture: [secret({ tags: { "rotation-exception": "n/a" } })],
        finding: /has no rotation schedule .* \(tag is "n\/a"\)/,
      },
      { fixture: [secret({}), rotationOf(secret({}), 365)], finding: /rotates every 365 days, more than 90/ },
      {
        fixture: [
          res("aws:rds/cluster:Cluster", "shard", { engine: "aurora-mysql", masterPassword: "hunter2" }),
        ],
        finding: /sets masterPassword itself/,
      },
    ],
    passing: [
      [secret({}), rotationOf(secret({}), 30)],
      [secret({ tags: { "rotation-exception": reason } })],
      [res("aws:rds/cluster:Cluster", "shard", { engine: "aurora-mysql", manageMasterUserPassword: true })],
    ],
  },
  {
    rule: "reliability-aurora-backup-plan",
    failing: [
      { fixture: backup({ selected: false }), finding: /is in no AWS Backup selection/ },
      { fixture: backup({ vaults: [homeVault] }), finding: /copies no recovery point to another region/ },
      {
        fixture: backup({
          vaults: [homeVault],
          rule: {
            copyActions: [
              { destinationVaultArn: "arn:aws:backup:ap-southeast-1:111111111111:backup-vault:same-region" },
            ],
          },
        }),
        finding: /copies no recovery point to another region/,
      },
      { fixture: backup({ locked: false }), finding: /vault vault is not locked/ },
      {
        fixture: backup({ rule: { lifecycle: { deleteAfter: 3 } } }),
        finding: /keeps recovery points 3 days, under 7/,
      },
      { fixture: backup({ rule: { lifecycle: undefined } }), finding: /without a lifecycle/ },
      {
        fixture: backup({
          rule: { copyActions: [{ destinationVaultArn: unknown, lifecycle: { deleteAfter: 1 } }] },
        }),
        finding: /keeps copies 1 days, under 7/,
      },
      {
        fixture: backup({ vaults: [vault("vault", undefined), drVault] }),
        finding: /vault vault has no kmsKeyArn of its own/,
      },
      {
        fixture: backup({ vaults: [vault("vault", dbKey), drVault] }),
        finding: /vault vault uses the database's own key/,
      },
    ],
    passing: [
      backup({}),
      // As the resolved pass sees a copy to a vault outside the program: its ARN names another region.
      backup({
        vaults: [homeVault],
        rule: {
          copyActions: [
            {
              destinationVaultArn: "arn:aws:backup:ap-northeast-1:111111111111:backup-vault:dr",
              lifecycle: {},
            },
          ],
        },
      }),
    ],
  },
  {
    rule: "security-node-volumes-encrypted",
    failing: [
      { fixture: [nodeGroup(undefined)], finding: /has no launch template/ },
      {
        fixture: [launchTemplate([rootVolume("false")])],
        finding: /maps "\/dev\/xvda" to an EBS volume with encrypted "false"/,
      },
      {
        fixture: [launchTemplate([]), nodeGroup(launchTemplate([]))],
        finding: /launch template node declares no EBS root volume/,
      },
    ],
    passing: [[launchTemplate([rootVolume("true")]), nodeGroup(launchTemplate([rootVolume("true")]))]],
  },
  {
    rule: "kubernetes-image-digest",
    failing: [
      {
        fixture: [deployment("api", { container: { image: "crest-app:src-0123" } })],
        finding: /image crest-app:src-0123 is not pinned by an @sha256 digest/,
      },
      {
        fixture: [deployment("api", { container: { image: "crest-app@sha256:0123" } })],
        finding: /is not pinned by an @sha256 digest/,
      },
    ],
    passing: [
      [
        deployment("api", {
          container: { image: `111111111111.dkr.ecr.ap-southeast-1.amazonaws.com/crest-app@${digest}` },
        }),
      ],
      [deployment("api", { container: { image: `crest-app:src-0123@${digest}` } })],
    ],
  },
  {
    rule: "reliability-eks-version-supported",
    failing: [
      { fixture: [eks("1.29")], finding: /version is "1\.29", not in EKS standard support \(1\.35, 1\.36\)/ },
      {
        fixture: [res("aws:eks/nodeGroup:NodeGroup", "nodes", { clusterName: "eks", version: "1.34" })],
        finding: /version is "1\.34"/,
      },
    ],
    passing: [[eks("1.36")], [eks(undefined)]],
  },
  {
    rule: "security-database-logs-and-iam-auth",
    failing: [
      {
        fixture: [auroraCluster({ enabledCloudwatchLogsExports: ["error"] })],
        finding: /enabledCloudwatchLogsExports lacks audit, slowquery/,
      },
      {
        fixture: [auroraCluster({ iamDatabaseAuthenticationEnabled: false })],
        finding: /iamDatabaseAuthenticationEnabled is false/,
      },
      {
        fixture: [auroraCluster({ engine: "aurora-postgresql", enabledCloudwatchLogsExports: undefined })],
        finding: /lacks postgresql/,
      },
    ],
    passing: [
      [auroraCluster({})],
      [auroraCluster({ engine: "aurora-postgresql", enabledCloudwatchLogsExports: ["postgresql"] })],
    ],
  },
  {
    rule: "security-edge-access-logs",
    failing: [
      { fixture: [distribution], finding: /records no access logs/ },
      {
        fixture: [distribution, deliverySource("ACCESS_LOGS")],
        finding: /records no access logs/,
      },
      {
        fixture: [
          cloudFrontOnlyGroup,
          alb(cloudFrontOnlyGroup, { accessLogs: { bucket: unknown, enabled: false } }),
        ],
        finding: /accessLogs.enabled is false/,
      },
      { fixture: [cloudFrontOnlyGroup, alb(cloudFrontOnlyGroup)], finding: /accessLogs.enabled is not set/ },
    ],
    passing: [
      [distribution, deliverySource("ACCESS_LOGS"), deliveryOf(deliverySource("ACCESS_LOGS"))],
      [
        res("aws:cloudfront/distribution:Distribution", "cdn", {
          loggingConfig: { bucket: "logs.s3.amazonaws.com" },
        }),
      ],
      [cloudFrontOnlyGroup, alb(cloudFrontOnlyGroup, { accessLogs: { bucket: unknown, enabled: true } })],
    ],
  },
  {
    rule: "security-cloudfront-hsts-preload",
    failing: [
      {
        fixture: [
          res("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy", "headers", {
            securityHeadersConfig: {},
          }),
        ],
        finding: /sends no Strict-Transport-Security header/,
      },
      { fixture: [hsts({ preload: false })], finding: /HSTS preload is false/ },
      { fixture: [hsts({ includeSubdomains: undefined })], finding: /HSTS includeSubdomains is not set/ },
      { fixture: [hsts({ accessControlMaxAgeSec: 300 })], finding: /max-age is 300 s, under a year/ },
    ],
    passing: [[hsts({})]],
  },
];
