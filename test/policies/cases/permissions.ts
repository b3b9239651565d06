import { res, unknown } from "../fixtures";
import type { RuleCase } from "./ruleCase";

/**
 * Permission rules read policy documents, which a preview leaves unknown when they name ARNs. Their
 * failing fixtures hold the documents as the plan's resolved pass has them (realistic ARNs of
 * account 111111111111); `resolvedOnly` makes the runner also prove that the same fixture with its
 * values unknown, as in the preview pass, is not flagged.
 */
const account = "111111111111";
const doc = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

const rolePolicy = (name: string, ...statements: object[]) =>
  res("aws:iam/rolePolicy:RolePolicy", name, { role: `crest-prod-${name}`, policy: doc(...statements) });
const allow = (Action: unknown, Resource: unknown, extra: object = {}) => ({
  Effect: "Allow",
  Action,
  Resource,
  ...extra,
});

const role = (name: string, ...trust: object[]) =>
  res("aws:iam/role:Role", name, { name: `crest-prod-${name}`, assumeRolePolicy: doc(...trust) });

const issuer = "oidc.eks.ap-southeast-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF";
const oidcProvider = `arn:aws:iam::${account}:oidc-provider/${issuer}`;
const irsaTrust = (condition: object) => ({
  Effect: "Allow",
  Principal: { Federated: oidcProvider },
  Action: "sts:AssumeRoleWithWebIdentity",
  Condition: condition,
});
const pinned = {
  StringEquals: {
    [`${issuer}:sub`]: "system:serviceaccount:app:api",
    [`${issuer}:aud`]: "sts.amazonaws.com",
  },
};

const key = (name: string, ...statements: object[]) =>
  res("aws:kms/key:Key", name, { enableKeyRotation: true, policy: doc(...statements) });
const accountAdministers = {
  Sid: "AccountAdministersKeyThroughIam",
  Effect: "Allow",
  Principal: { AWS: `arn:aws:iam::${account}:root` },
  Action: "kms:*",
  Resource: "*",
};

const bucketPolicy = (...statements: object[]) =>
  res("aws:s3/bucketPolicy:BucketPolicy", "assets", {
    bucket: "crest-prod-assets",
    policy: doc(...statements),
  });
const distribution = `arn:aws:cloudfront::${account}:distribution/E2QWRUHEXAMPLE`;
const oacRead = (condition: object) => ({
  Sid: "CloudFrontReadsThroughOriginAccessControl",
  Effect: "Allow",
  Principal: { Service: "cloudfront.amazonaws.com" },
  Action: "s3:GetObject",
  Resource: "arn:aws:s3:::crest-prod-assets/*",
  Condition: condition,
});

const secretPolicy = (...statements: object[]) =>
  res("aws:secretsmanager/secretPolicy:SecretPolicy", "scram", {
    secretArn: `arn:aws:secretsmanager:ap-southeast-1:${account}:secret:AmazonMSK_kafka-AbC123`,
    policy: doc(...statements),
  });
const secretRead = (Principal: unknown) => ({
  Effect: "Allow",
  Principal,
  Action: "secretsmanager:GetSecretValue",
  Resource: "*",
});

/** A data store using `kmsKeyId`, as the resolved pass has it (the ARN) and as a preview has it (the key it came from). */
const dataKey = res("aws:kms/key:Key", "data", { enableKeyRotation: true, policy: unknown });
const otherKey = res("aws:kms/key:Key", "other", { enableKeyRotation: true, policy: unknown });
const keyArn = (k: string) => `arn:aws:kms:ap-southeast-1:${account}:key/${k}`;
const store = (
  type: string,
  name: string,
  keyResource: typeof dataKey,
  keyValue: unknown,
  parent?: string,
) => {
  const resource = res(type, name, { kmsKeyId: keyValue }, { deps: { kmsKeyId: [keyResource] } });
  return parent ? { ...resource, parent } : resource;
};
const mysqlComponent = res("crest:data:ShardedMysql", "mysql", {}, { custom: false, provider: null });

export const permissionCases: RuleCase[] = [
  {
    rule: "security-kms-key-per-data-store",
    failing: [
      {
        fixture: [
          dataKey,
          store(
            "aws:rds/cluster:Cluster",
            "mysql-0",
            dataKey,
            keyArn("0f1e2d3c-0000-4000-a000-000000000001"),
          ),
          store(
            "aws:elasticache/replicationGroup:ReplicationGroup",
            "cache",
            otherKey,
            keyArn("0f1e2d3c-0000-4000-a000-000000000001"),
          ),
        ],
        finding: /mysql-0 shares key arn:aws:kms:.*:key\/0f1e2d3c-0000-4000-a000-000000000001 with cache/,
      },
      {
        // In a preview the ARN is unknown; the key resource it came from is known.
        fixture: [
          dataKey,
          store("aws:rds/cluster:Cluster", "mysql-0", dataKey, unknown),
          store("aws:elasticache/replicationGroup:ReplicationGroup", "cache", dataKey, unknown),
        ],
        finding: /cache shares key data with mysql-0/,
      },
    ],
    passing: [
      [
        dataKey,
        otherKey,
        store("aws:rds/cluster:Cluster", "mysql-0", dataKey, keyArn("0f1e2d3c-0000-4000-a000-000000000001")),
        store(
          "aws:elasticache/replicationGroup:ReplicationGroup",
          "cache",
          otherKey,
          keyArn("0f1e2d3c-0000-4000-a000-000000000002"),
        ),
      ],
      // The shards of one sharded database are one data store.
      [
        mysqlComponent,
        dataKey,
        store("aws:rds/cluster:Cluster", "mysql-0", dataKey, unknown, mysqlComponent.urn),
        store("aws:rds/cluster:Cluster", "mysql-1", dataKey, unknown, mysqlComponent.urn),
      ],
    ],
  },
  {
    rule: "security-iam-no-privileged-wildcard",
    resolvedOnly: true,
    failing: [
      { fixture: [rolePolicy("api", allow("s3:*", "*"))], finding: /allows s3:\* on every resource/ },
      { fixture: [rolePolicy("api", allow(["kms:*"], "*"))], finding: /allows kms:\* on every resource/ },
      {
        fixture: [rolePolicy("api", allow("iam:PassRole", "*"))],
        finding: /allows iam:PassRole .* on every resource/,
      },
      {
        fixture: [rolePolicy("api", allow("sts:AssumeRole", ["*"]))],
        finding: /covers sts:AssumeRole\) on every resource/,
      },
      {
        // A wildcard inside the action still covers escalation.
        fixture: [rolePolicy("api", allow("iam:*Role*", "*"))],
        finding: /allows iam:\*Role\* \(covers iam:PassRole, iam:AttachRolePolicy, iam:PutRolePolicy/,
      },
      {
        fixture: [
          rolePolicy(
            "api",
            allow("KMS:Decrypt", "*", {
              Condition: { StringEquals: { "kms:ViaService": "s3.ap-southeast-1.amazonaws.com" } },
            }),
          ),
        ],
        finding: /covers kms:Decrypt\) on every resource/,
      },
      {
        fixture: [
          rolePolicy("api", {
            Effect: "Allow",
            Action: "secretsmanager:Get*",
            NotResource: "arn:aws:secretsmanager:*:*:secret:x",
          }),
        ],
        finding: /covers secretsmanager:GetSecretValue\) on every resource/,
      },
      {
        fixture: [
          res("aws:iam/role:Role", "ops", {
            assumeRolePolicy: doc({
              Effect: "Allow",
              Principal: { Service: "ec2.amazonaws.com" },
              Action: "sts:AssumeRole",
            }),
            inlinePolicies: [{ name: "ops", policy: doc(allow("iam:*", "*")) }],
          }),
        ],
        finding: /allows iam:\* on every resource/,
      },
      {
        fixture: [res("aws:iam/policy:Policy", "ops", { policy: doc(allow("ec2:*", "*")) })],
        finding: /ec2:\*/,
      },
    ],
    passing: [
      [
        rolePolicy(
          "api",
          allow(
            ["secretsmanager:GetSecretValue"],
            [`arn:aws:secretsmanager:ap-southeast-1:${account}:secret:a-AbC123`],
          ),
          allow(
            "kms:Decrypt",
            `arn:aws:kms:ap-southeast-1:${account}:key/0f1e2d3c-0000-4000-a000-000000000000`,
          ),
          allow(["ec2:Describe*", "elasticloadbalancing:Describe*"], "*"),
          allow("s3:*", "*", { Effect: "Deny" }),
        ),
      ],
      [res("aws:iam/rolePolicy:RolePolicy", "later", { role: unknown, policy: unknown })],
    ],
  },
  {
    rule: "security-iam-trust-policy-principals",
    resolvedOnly: true,
    failing: [
      {
        fixture: [role("open", { Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" })],
        finding: /admits "\*"/,
      },
      {
        fixture: [role("open", { Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" })],
        finding: /admits \{"AWS":"\*"\} with no account or source condition/,
      },
      {
        fixture: [
          role("open", {
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::*:root" },
            Action: "sts:AssumeRole",
          }),
        ],
        finding: /admits/,
      },
      {
        // A condition that can be absent, or that allows any account, narrows nothing.
        fixture: [
          role("open", {
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: "sts:AssumeRole",
            Condition: { StringLike: { "aws:PrincipalAccount": "*" } },
          }),
        ],
        finding: /admits/,
      },
      {
        fixture: [
          role("open", {
            Effect: "Allow",
            NotPrincipal: { AWS: `arn:aws:iam::${account}:root` },
            Action: "sts:AssumeRole",
          }),
        ],
        finding: /admits everyone but/,
      },
    ],
    passing: [
      [
        role("flow-logs", {
          Effect: "Allow",
          Principal: { Service: "vpc-flow-logs.amazonaws.com" },
          Action: "sts:AssumeRole",
        }),
      ],
      [
        role("ops", {
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${account}:root` },
          Action: "sts:AssumeRole",
        }),
      ],
      [
        role("partner", {
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
        }),
      ],
      [role("api", irsaTrust(pinned))],
    ],
  },
  {
    rule: "security-iam-irsa-trust-pinned",
    resolvedOnly: true,
    failing: [
      {
        fixture: [role("api", irsaTrust({ StringEquals: { [`${issuer}:aud`]: "sts.amazonaws.com" } }))],
        finding: /does not pin .*:sub to one service account/,
      },
      {
        fixture: [
          role("api", irsaTrust({ StringEquals: { [`${issuer}:sub`]: "system:serviceaccount:app:api" } })),
        ],
        finding: /does not pin .*:aud to sts\.amazonaws\.com/,
      },
      {
        fixture: [
          role(
            "api",
            irsaTrust({
              StringLike: { [`${issuer}:sub`]: "system:serviceaccount:app:*" },
              StringEquals: { [`${issuer}:aud`]: "sts.amazonaws.com" },
            }),
          ),
        ],
        finding: /does not pin .*:sub/,
      },
      { fixture: [role("api", irsaTrust({}))], finding: /does not pin .*:aud/ },
    ],
    passing: [
      [role("api", irsaTrust(pinned))],
      [
        role("nodes", {
          Effect: "Allow",
          Principal: { Service: "ec2.amazonaws.com" },
          Action: "sts:AssumeRole",
        }),
      ],
    ],
  },
  {
    rule: "security-iam-no-users",
    failing: [
      {
        fixture: [res("aws:iam/user:User", "deployer", { name: "deployer" })],
        finding: /User gives an IAM user/,
      },
      {
        fixture: [
          res("aws:iam/userPolicy:UserPolicy", "deployer", {
            user: "deployer",
            policy: doc(allow("s3:GetObject", "*")),
          }),
        ],
        finding: /UserPolicy gives an IAM user/,
      },
      {
        fixture: [res("aws:iam/accessKey:AccessKey", "deployer", { user: "deployer" })],
        finding: /AccessKey/,
      },
      {
        fixture: [
          res("aws:iam/policyAttachment:PolicyAttachment", "readers", {
            users: ["deployer"],
            policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
          }),
        ],
        finding: /attaches a policy to users \["deployer"\]/,
      },
    ],
    passing: [
      [role("api", irsaTrust(pinned))],
      [
        res("aws:iam/policyAttachment:PolicyAttachment", "roles", {
          roles: ["crest-prod-api"],
          policyArn: unknown,
        }),
      ],
    ],
  },
  {
    rule: "security-iam-managed-policy-allow-list",
    failing: [
      {
        fixture: [
          res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "s3", {
            role: "crest-prod-api",
            policyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess",
          }),
        ],
        finding: /attaches arn:aws:iam::aws:policy\/AmazonS3FullAccess, which is not on the allow-list/,
      },
      {
        fixture: [
          res("aws:iam/role:Role", "ops", {
            assumeRolePolicy: unknown,
            managedPolicyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"],
          }),
        ],
        finding: /PowerUserAccess/,
      },
    ],
    passing: [
      [
        res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "nodes", {
          role: unknown,
          policyArn: "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
        }),
        res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "own", {
          role: unknown,
          policyArn: `arn:aws:iam::${account}:policy/crest-prod-reader`,
        }),
      ],
    ],
  },
  {
    rule: "security-kms-key-policy-not-public",
    resolvedOnly: true,
    failing: [
      {
        fixture: [
          key("data", accountAdministers, {
            Effect: "Allow",
            Principal: "*",
            Action: "kms:Decrypt",
            Resource: "*",
          }),
        ],
        finding: /grants "kms:Decrypt" to "\*"/,
      },
      {
        fixture: [
          key("data", { Effect: "Allow", Principal: { AWS: ["*"] }, Action: ["kms:*"], Resource: "*" }),
        ],
        finding: /grants \["kms:\*"\] to \{"AWS":\["\*"\]\}/,
      },
      {
        fixture: [
          key("data", {
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: "kms:Decrypt",
            Resource: "*",
            Condition: { StringEqualsIfExists: { "kms:CallerAccount": account } },
          }),
        ],
        finding: /grants/,
      },
    ],
    passing: [
      [
        key(
          "data",
          accountAdministers,
          {
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: ["kms:Decrypt", "kms:DescribeKey"],
            Resource: "*",
            Condition: {
              StringEquals: {
                "kms:CallerAccount": account,
                "kms:ViaService": "rds.ap-southeast-1.amazonaws.com",
              },
            },
          },
          {
            Effect: "Allow",
            Principal: { Service: "logs.ap-southeast-1.amazonaws.com" },
            Action: "kms:Encrypt*",
            Resource: "*",
          },
        ),
      ],
    ],
  },
  {
    rule: "security-s3-policy-not-public",
    resolvedOnly: true,
    failing: [
      {
        fixture: [
          bucketPolicy({
            Effect: "Allow",
            Principal: "*",
            Action: "s3:GetObject",
            Resource: "arn:aws:s3:::crest-prod-assets/*",
          }),
        ],
        finding: /grants "s3:GetObject" to "\*"/,
      },
      {
        fixture: [
          bucketPolicy({
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: "s3:ListBucket",
            Resource: "arn:aws:s3:::crest-prod-assets",
          }),
        ],
        finding: /grants "s3:ListBucket"/,
      },
      {
        fixture: [
          bucketPolicy({
            Effect: "Allow",
            NotPrincipal: { AWS: `arn:aws:iam::${account}:root` },
            Action: "s3:*",
            Resource: "*",
          }),
        ],
        finding: /grants "s3:\*"/,
      },
    ],
    passing: [
      [bucketPolicy(oacRead({ StringEquals: { "AWS:SourceArn": [distribution] } }))],
      [
        bucketPolicy({
          Effect: "Allow",
          Principal: "*",
          Action: "s3:GetObject",
          Resource: "arn:aws:s3:::crest-prod-assets/*",
          Condition: { StringEquals: { "aws:SourceVpce": "vpce-0a1b2c3d4e5f67890" } },
        }),
      ],
      [
        bucketPolicy({
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: "*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }),
      ],
    ],
  },
  {
    rule: "security-s3-cloudfront-oac-only",
    resolvedOnly: true,
    failing: [
      {
        fixture: [bucketPolicy(oacRead({}))],
        finding: /grants CloudFront without an AWS:SourceArn condition/,
      },
      {
        fixture: [
          bucketPolicy(
            oacRead({ ArnLike: { "AWS:SourceArn": `arn:aws:cloudfront::${account}:distribution/*` } }),
          ),
        ],
        finding: /is not one distribution's ARN/,
      },
      {
        fixture: [
          bucketPolicy({
            Effect: "Allow",
            Principal: {
              AWS: "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHEXAMPLE",
            },
            Action: "s3:GetObject",
            Resource: "arn:aws:s3:::crest-prod-assets/*",
          }),
        ],
        finding: /legacy origin access identity/,
      },
    ],
    passing: [[bucketPolicy(oacRead({ StringEquals: { "AWS:SourceArn": [distribution] } }))]],
  },
  {
    rule: "security-secret-policy-named-principals",
    resolvedOnly: true,
    failing: [
      { fixture: [secretPolicy(secretRead("*"))], finding: /admits "\*", not a named principal/ },
      {
        // Named principals only: a condition does not make "*" named.
        fixture: [
          secretPolicy({
            ...secretRead({ AWS: "*" }),
            Condition: { StringEquals: { "aws:PrincipalAccount": account } },
          }),
        ],
        finding: /not a named principal/,
      },
      {
        fixture: [secretPolicy(secretRead({ AWS: `arn:aws:iam::${account}:role/*` }))],
        finding: /not a named principal/,
      },
    ],
    passing: [
      [secretPolicy(secretRead({ Service: "kafka.amazonaws.com" }))],
      [secretPolicy(secretRead({ AWS: [`arn:aws:iam::${account}:role/crest-prod-api`] }))],
    ],
  },
];
