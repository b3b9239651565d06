import { awsProvider, res, secretOf, unknown } from "../fixtures";
import type { RuleCase } from "./ruleCase";

const cluster = (props: Record<string, unknown>) =>
  res("aws:rds/cluster:Cluster", "shard", {
    engine: "aurora-mysql",
    storageEncrypted: true,
    kmsKeyId: unknown,
    ...props,
  });
const redis = (props: Record<string, unknown>) =>
  res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {
    atRestEncryptionEnabled: true,
    kmsKeyId: unknown,
    transitEncryptionEnabled: true,
    authToken: secretOf(unknown),
    ...props,
  });
const msk = (props: Record<string, unknown>) =>
  res("aws:msk/cluster:Cluster", "kafka", {
    encryptionInfo: {
      encryptionAtRestKmsKeyArn: unknown,
      encryptionInTransit: { clientBroker: "TLS", inCluster: true },
    },
    clientAuthentication: { sasl: { scram: true, iam: false }, unauthenticated: false },
    ...props,
  });

/** A bucket with the given settings resources, each pointing at it as `bucket: bucket.bucket` does. */
function bucketWith(
  settings: Record<string, Record<string, unknown>>,
  bucketProps: Record<string, unknown> = {},
) {
  const bucket = res("aws:s3/bucket:Bucket", "archive", bucketProps);
  return [
    bucket,
    ...Object.entries(settings).map(([type, props]) =>
      res(
        type,
        `archive-${type.split(":").pop()}`,
        { bucket: unknown, ...props },
        { deps: { bucket: [bucket] } },
      ),
    ),
  ];
}
const sse = (sseAlgorithm: string) => ({
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": {
    rules: [
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm, kmsMasterKeyId: unknown },
        bucketKeyEnabled: true,
      },
    ],
  },
});
const pab = (restrictPublicBuckets: boolean) => ({
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets,
  },
});
const tlsDeny = {
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: ["arn:aws:s3:::archive", "arn:aws:s3:::archive/*"],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
};
const tls12Deny = {
  ...tlsDeny,
  Condition: { NumericLessThan: { "s3:TlsVersion": 1.2 } },
};
const bucketPolicy = (statements: object[] | string) => ({
  "aws:s3/bucketPolicy:BucketPolicy": {
    policy:
      typeof statements === "string"
        ? statements
        : JSON.stringify({ Version: "2012-10-17", Statement: statements }),
  },
});

const vpc = res("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16" });
const sg = (name: string, ingress: object[]) =>
  res(
    "aws:ec2/securityGroup:SecurityGroup",
    name,
    { vpcId: unknown, ingress, egress: [] },
    { deps: { vpcId: [vpc] } },
  );
const world = (port: number) => ({
  protocol: "tcp",
  fromPort: port,
  toPort: port,
  cidrBlocks: ["0.0.0.0/0"],
});
const albGroup = sg("alb", [world(443), world(80)]);
const sshAlbGroup = sg("alb", [world(22)]);
const alb = (group = albGroup) =>
  res(
    "aws:lb/loadBalancer:LoadBalancer",
    "alb",
    { loadBalancerType: "application", securityGroups: [unknown], dropInvalidHeaderFields: true },
    { deps: { securityGroups: [group] } },
  );

const listener = (props: Record<string, unknown>) =>
  res("aws:lb/listener:Listener", "listener", { loadBalancerArn: unknown, ...props });
const distribution = (props: Record<string, unknown>) =>
  res("aws:cloudfront/distribution:Distribution", "cdn", {
    enabled: true,
    webAclId: unknown,
    viewerCertificate: {
      acmCertificateArn: unknown,
      minimumProtocolVersion: "TLSv1.2_2021",
      sslSupportMethod: "sni-only",
    },
    defaultCacheBehavior: { targetOriginId: "alb", viewerProtocolPolicy: "redirect-to-https" },
    origins: [
      {
        originId: "alb",
        domainName: unknown,
        customOriginConfig: {
          originProtocolPolicy: "https-only",
          originSslProtocols: ["TLSv1.2"],
          httpPort: 80,
          httpsPort: 443,
        },
      },
    ],
    ...props,
  });

const policyDoc = (statement: object) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
const eks = (props: Record<string, unknown>) =>
  res("aws:eks/cluster:Cluster", "eks", {
    roleArn: unknown,
    vpcConfig: { subnetIds: [unknown], endpointPublicAccess: false, endpointPrivateAccess: true },
    encryptionConfig: { resources: ["secrets"], provider: { keyArn: unknown } },
    enabledClusterLogTypes: ["api", "audit", "authenticator"],
    ...props,
  });
const deploymentWithEnv = (env: object[]) =>
  res("kubernetes:apps/v1:Deployment", "api", {
    apiVersion: "apps/v1",
    kind: "Deployment",
    spec: { template: { spec: { containers: [{ name: "api", image: "api:1.0.0", env }] } } },
  });

export const securityCases: RuleCase[] = [
  {
    rule: "security-encryption-at-rest",
    failing: [
      { fixture: [cluster({ storageEncrypted: false })], finding: /storageEncrypted is false/ },
      { fixture: [cluster({ kmsKeyId: undefined })], finding: /kmsKeyId is not set/ },
      {
        fixture: [redis({ atRestEncryptionEnabled: undefined })],
        finding: /atRestEncryptionEnabled is not set/,
      },
      { fixture: [msk({ encryptionInfo: {} })], finding: /encryptionAtRestKmsKeyArn is not set/ },
      {
        fixture: [res("aws:cloudwatch/logGroup:LogGroup", "logs", { retentionInDays: 30 })],
        finding: /kmsKeyId is not set/,
      },
      { fixture: [res("aws:ebs/volume:Volume", "data", { size: 10 })], finding: /encrypted is not set/ },
    ],
    passing: [
      [
        cluster({}),
        redis({}),
        msk({}),
        res("aws:cloudwatch/logGroup:LogGroup", "logs", { kmsKeyId: unknown }),
      ],
    ],
  },
  {
    rule: "security-redis-tls",
    failing: [
      {
        fixture: [redis({ transitEncryptionEnabled: undefined })],
        finding: /transitEncryptionEnabled is not set/,
      },
      { fixture: [redis({ transitEncryptionMode: "preferred" })], finding: /preferred/ },
    ],
    passing: [[redis({ transitEncryptionMode: "required" })]],
  },
  {
    rule: "security-redis-auth",
    failing: [{ fixture: [redis({ authToken: undefined })], finding: /neither authToken nor userGroupIds/ }],
    passing: [[redis({})], [redis({ authToken: undefined, userGroupIds: [unknown] })]],
  },
  {
    rule: "security-kafka-tls",
    failing: [
      {
        fixture: [
          msk({
            encryptionInfo: {
              encryptionAtRestKmsKeyArn: unknown,
              encryptionInTransit: { clientBroker: "TLS_PLAINTEXT" },
            },
          }),
        ],
        finding: /clientBroker is "TLS_PLAINTEXT"/,
      },
      { fixture: [msk({ clientAuthentication: undefined })], finding: /no client authentication/ },
      {
        fixture: [msk({ clientAuthentication: { unauthenticated: true, sasl: { scram: true } } })],
        finding: /unauthenticated is true/,
      },
    ],
    passing: [[msk({})], [msk({ encryptionInfo: { encryptionAtRestKmsKeyArn: unknown } })]],
  },
  (() => {
    const group = (parameters: object[]) =>
      res("aws:rds/clusterParameterGroup:ClusterParameterGroup", "tls", {
        family: "aurora-mysql8.0",
        parameters,
      });
    const on = group([
      { name: "require_secure_transport", value: "ON" },
      { name: "tls_version", value: "TLSv1.2,TLSv1.3" },
    ]);
    const withGroup = (g: ReturnType<typeof group>) => [
      g,
      res(
        "aws:rds/cluster:Cluster",
        "shard",
        { engine: "aurora-mysql", dbClusterParameterGroupName: unknown },
        { deps: { dbClusterParameterGroupName: [g] } },
      ),
    ];
    return {
      rule: "security-database-tls",
      failing: [
        { fixture: [cluster({})], finding: /default group leaves require_secure_transport off/ },
        {
          fixture: withGroup(group([{ name: "require_secure_transport", value: "OFF" }])),
          finding: /sets require_secure_transport to "OFF"/,
        },
        {
          fixture: withGroup(
            group([
              { name: "require_secure_transport", value: "1" },
              { name: "tls_version", value: "TLSv1,TLSv1.1,TLSv1.2" },
            ]),
          ),
          finding: /allows TLSv1/,
        },
      ],
      passing: [withGroup(on)],
    };
  })(),
  {
    rule: "security-data-store-private",
    failing: [
      {
        fixture: [res("aws:rds/clusterInstance:ClusterInstance", "writer", { publiclyAccessible: true })],
        finding: /publiclyAccessible is true/,
      },
      {
        fixture: [
          msk({
            brokerNodeGroupInfo: { connectivityInfo: { publicAccess: { type: "SERVICE_PROVIDED_EIPS" } } },
          }),
        ],
        finding: /publicAccess.type is "SERVICE_PROVIDED_EIPS"/,
      },
    ],
    passing: [
      [res("aws:rds/clusterInstance:ClusterInstance", "writer", { publiclyAccessible: false }), msk({})],
    ],
  },
  {
    rule: "security-kms-key-rotation",
    failing: [
      { fixture: [res("aws:kms/key:Key", "key", {})], finding: /enableKeyRotation is not set/ },
      {
        fixture: [res("aws:kms/key:Key", "key", { enableKeyRotation: true, rotationPeriodInDays: 730 })],
        finding: /730, above 365/,
      },
    ],
    passing: [
      [res("aws:kms/key:Key", "key", { enableKeyRotation: true })],
      [res("aws:kms/key:Key", "signing", { keySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" })],
    ],
  },
  {
    rule: "security-s3-encryption",
    failing: [
      { fixture: bucketWith({}), finding: /has no server-side encryption configuration/ },
      { fixture: bucketWith(sse("aws:kms")), finding: /encrypts with "aws:kms"/ },
    ],
    config: { "security-s3-encryption": { allowedAlgorithms: ["aws:kms:dsse"] } },
    passing: [bucketWith(sse("aws:kms:dsse"))],
  },
  {
    rule: "security-s3-public-access-blocked",
    failing: [
      { fixture: bucketWith({}), finding: /has no public access block/ },
      { fixture: bucketWith(pab(false)), finding: /restrictPublicBuckets not true/ },
    ],
    passing: [bucketWith(pab(true))],
  },
  {
    rule: "security-s3-deny-insecure-transport",
    failing: [
      { fixture: bucketWith({}), finding: /has no bucket policy/ },
      {
        fixture: bucketWith(bucketPolicy([{ ...tlsDeny, Effect: "Allow" }, tls12Deny])),
        finding: /allows requests without TLS/,
      },
      { fixture: bucketWith(bucketPolicy([tlsDeny])), finding: /allows TLS older than 1\.2/ },
      {
        fixture: bucketWith(
          bucketPolicy([tlsDeny, { ...tls12Deny, Condition: { NumericLessThan: { "s3:TlsVersion": 1.0 } } }]),
        ),
        finding: /allows TLS older than 1\.2/,
      },
      {
        // Judged on the document: a deny of reads only, or on another bucket, leaves the rest open.
        fixture: bucketWith(bucketPolicy([{ ...tlsDeny, Action: "s3:GetObject" }, tls12Deny])),
        finding: /allows requests without TLS/,
      },
      {
        fixture: bucketWith(
          bucketPolicy([{ ...tlsDeny, Resource: ["arn:aws:s3:::other", "arn:aws:s3:::other/*"] }, tls12Deny]),
          { bucket: "archive" },
        ),
        finding: /allows requests without TLS/,
      },
    ],
    // A policy naming a bucket not created yet is unknown in a preview: judged once known, never flagged before.
    passing: [
      bucketWith(bucketPolicy([tlsDeny, tls12Deny])),
      bucketWith(bucketPolicy([{ ...tlsDeny, Action: "*", Resource: "arn:aws:s3:::archive*" }, tls12Deny]), {
        bucket: "archive",
      }),
      bucketWith(bucketPolicy(unknown)),
    ],
  },
  {
    rule: "security-no-world-ingress",
    failing: [
      {
        fixture: [vpc, sg("db", [world(3306)])],
        finding: /admits 0\.0\.0\.0\/0 on "tcp" 3306-3306 \(a group that fronts no ALB\)/,
      },
      { fixture: [vpc, sshAlbGroup, alb(sshAlbGroup)], finding: /beyond its HTTP\/HTTPS ports/ },
      {
        fixture: [
          vpc,
          res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "ssh", {
            cidrIpv6: "::/0",
            ipProtocol: "tcp",
            fromPort: 22,
            toPort: 22,
          }),
        ],
        finding: /admits ::\/0/,
      },
    ],
    passing: [
      [vpc, albGroup, alb()],
      [vpc, sg("db", [{ protocol: "tcp", fromPort: 3306, toPort: 3306, securityGroups: [unknown] }])],
    ],
  },
  {
    rule: "security-default-sg-closed",
    failing: [
      { fixture: [vpc], finding: /default security group keeps AWS's rules/ },
      {
        fixture: [
          vpc,
          res(
            "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
            "default",
            { vpcId: unknown, ingress: [{ protocol: "-1", self: true, fromPort: 0, toPort: 0 }], egress: [] },
            { deps: { vpcId: [vpc] } },
          ),
        ],
        finding: /has 1 ingress rule/,
      },
    ],
    passing: [
      [
        vpc,
        res(
          "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
          "default",
          { vpcId: unknown, ingress: [], egress: [] },
          { deps: { vpcId: [vpc] } },
        ),
      ],
    ],
  },
  {
    rule: "security-vpc-flow-logs",
    failing: [
      { fixture: [vpc], finding: /has no flow log/ },
      {
        fixture: [
          vpc,
          res(
            "aws:ec2/flowLog:FlowLog",
            "flows",
            { vpcId: unknown, trafficType: "REJECT" },
            { deps: { vpcId: [vpc] } },
          ),
        ],
        finding: /flow logs of "REJECT" only/,
      },
    ],
    passing: [
      [
        vpc,
        res(
          "aws:ec2/flowLog:FlowLog",
          "flows",
          { vpcId: unknown, trafficType: "ALL" },
          { deps: { vpcId: [vpc] } },
        ),
      ],
    ],
  },
  {
    rule: "security-imdsv2",
    failing: [
      {
        fixture: [res("aws:ec2/launchTemplate:LaunchTemplate", "nodes", {})],
        finding: /metadataOptions is not set/,
      },
      {
        fixture: [
          res("aws:ec2/launchTemplate:LaunchTemplate", "nodes", {
            metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 2 },
          }),
        ],
        finding: /httpTokens is "optional"/,
      },
      {
        fixture: [
          res("aws:ec2/instance:Instance", "bastion", {
            metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 },
          }),
        ],
        finding: /httpPutResponseHopLimit is 2, above 1/,
      },
    ],
    passing: [
      [
        res("aws:ec2/launchTemplate:LaunchTemplate", "nodes", {
          metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
        }),
      ],
    ],
  },
  {
    rule: "security-alb-tls",
    failing: [
      { fixture: [listener({ protocol: "HTTPS", port: 443 })], finding: /sslPolicy is not set/ },
      {
        fixture: [listener({ protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08" })],
        finding: /ELBSecurityPolicy-2016-08/,
      },
      {
        fixture: [listener({ port: 80, defaultActions: [{ type: "forward", targetGroupArn: unknown }] })],
        finding: /does not redirect every request to HTTPS/,
      },
    ],
    passing: [
      [listener({ protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" })],
      [
        listener({
          protocol: "HTTP",
          port: 80,
          defaultActions: [
            { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
          ],
        }),
      ],
    ],
  },
  {
    rule: "security-alb-drop-invalid-headers",
    failing: [
      {
        fixture: [alb(), res("aws:alb/loadBalancer:LoadBalancer", "old", {})],
        finding: /dropInvalidHeaderFields is not set/,
      },
    ],
    passing: [
      [albGroup, alb()],
      [res("aws:lb/loadBalancer:LoadBalancer", "nlb", { loadBalancerType: "network" })],
    ],
  },
  {
    rule: "security-cloudfront-tls",
    failing: [
      {
        fixture: [distribution({ viewerCertificate: { cloudfrontDefaultCertificate: true } })],
        finding: /default CloudFront certificate/,
      },
      {
        fixture: [
          distribution({
            viewerCertificate: { acmCertificateArn: unknown, minimumProtocolVersion: "TLSv1.1_2016" },
          }),
        ],
        finding: /below TLSv1\.2_2021/,
      },
      {
        fixture: [
          distribution({
            defaultCacheBehavior: { targetOriginId: "alb", viewerProtocolPolicy: "allow-all" },
          }),
        ],
        finding: /defaultCacheBehavior allows "allow-all"/,
      },
      {
        fixture: [
          distribution({
            origins: [
              {
                originId: "alb",
                customOriginConfig: {
                  originProtocolPolicy: "match-viewer",
                  originSslProtocols: ["TLSv1", "TLSv1.2"],
                },
              },
            ],
          }),
        ],
        finding: /origin "alb" allows TLSv1|originProtocolPolicy "match-viewer"/,
      },
    ],
    passing: [[distribution({})]],
  },
  {
    rule: "security-cloudfront-waf",
    failing: [{ fixture: [distribution({ webAclId: undefined })], finding: /webAclId is not set/ }],
    passing: [[distribution({})]],
  },
  {
    rule: "security-iam-no-admin-wildcard",
    failing: [
      {
        fixture: [
          res("aws:iam/policy:Policy", "admin", {
            policy: policyDoc({ Effect: "Allow", Action: "*", Resource: "*" }),
          }),
        ],
        finding: /allows \* on "\*"/,
      },
      {
        fixture: [
          res("aws:iam/role:Role", "ops", {
            assumeRolePolicy: "{}",
            inlinePolicies: [
              { name: "all", policy: policyDoc({ Effect: "Allow", Action: ["*:*"], Resource: "*" }) },
            ],
          }),
        ],
        finding: /allows \*:\*/,
      },
      {
        fixture: [
          res("aws:iam/rolePolicy:RolePolicy", "nearly", {
            policy: policyDoc({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }),
          }),
        ],
        finding: /NotAction with Allow/,
      },
      {
        fixture: [
          res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "admin", {
            role: unknown,
            policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
          }),
        ],
        finding: /AdministratorAccess/,
      },
    ],
    passing: [
      [
        res("aws:iam/rolePolicy:RolePolicy", "logs", {
          policy: policyDoc({
            Effect: "Allow",
            Action: ["logs:PutLogEvents"],
            Resource: "arn:aws:logs:*:1:log-group:x:*",
          }),
        }),
      ],
      [res("aws:iam/rolePolicy:RolePolicy", "later", { policy: unknown })],
    ],
  },
  {
    rule: "security-no-plaintext-secrets",
    failing: [
      {
        fixture: [deploymentWithEnv([{ name: "DB_PASSWORD", value: "hunter2" }])],
        finding: /env "DB_PASSWORD" is a literal value/,
      },
      {
        fixture: [
          res("aws:ec2/instance:Instance", "box", {
            // Shaped like an access key id, assembled here so no key-like literal sits in the repo.
            userData: `export AWS_ACCESS_KEY_ID=AKIA${"X".repeat(16)}`,
          }),
        ],
        finding: /userData holds an AWS access key id/,
      },
      {
        fixture: [deploymentWithEnv([{ name: "REDIS_URL", value: "rediss://crest:s3cret@cache:6379" }])],
        finding: /holds a URL with a password/,
      },
      {
        fixture: [
          res("aws:rds/cluster:Cluster", "shard", { masterUsername: "admin", masterPassword: "hunter22" }),
        ],
        finding: /masterPassword is set/,
      },
      {
        fixture: [
          res("aws:ssm/parameter:Parameter", "token", {
            name: "/crest/api-token",
            type: "String",
            value: "x",
          }),
        ],
        finding: /is a plain String/,
      },
      {
        fixture: [
          res(
            "pulumi:providers:aws",
            "keys",
            { region: "ap-southeast-1", accessKey: "AKIA", secretKey: "abc" },
            { provider: null },
          ),
        ],
        finding: /provider credentials \(accessKey, secretKey\)/,
      },
    ],
    passing: [
      [
        deploymentWithEnv([
          { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
          { name: "DB_SECRET_ARN", value: "arn:aws:secretsmanager:ap-southeast-1:1:secret:db" },
        ]),
        res("aws:secretsmanager/secretVersion:SecretVersion", "token", {
          secretId: unknown,
          secretString: "postgres://u:p@h/db",
        }),
        res("aws:rds/cluster:Cluster", "shard", { masterUsername: "admin", manageMasterUserPassword: true }),
        awsProvider,
      ],
    ],
  },
  {
    rule: "security-eks-secrets-encryption",
    failing: [
      { fixture: [eks({ encryptionConfig: undefined })], finding: /does not cover secrets/ },
      {
        fixture: [eks({ encryptionConfig: { resources: ["secrets"], provider: {} } })],
        finding: /keyArn is not set/,
      },
    ],
    passing: [[eks({})]],
  },
  {
    rule: "security-eks-private-endpoint",
    failing: [
      {
        fixture: [eks({ vpcConfig: { subnetIds: [unknown] } })],
        finding: /endpointPublicAccess is not set \(EKS defaults it to true\)/,
      },
    ],
    passing: [[eks({})]],
  },
  {
    rule: "security-eks-audit-logs",
    failing: [{ fixture: [eks({ enabledClusterLogTypes: ["api"] })], finding: /lacks audit, authenticator/ }],
    passing: [[eks({})]],
  },
];
