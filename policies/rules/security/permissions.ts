import {
  actionsAdmitting,
  admitsAnyone,
  iamList,
  narrowedBy,
  narrowingKeys,
  onEveryResource,
  statementLabel,
  statements,
} from "../../lib/iam";
import { type Rule, resourceRule } from "../../lib/rule";
import { t } from "../../lib/types";
import { at, isObject, items, type Plain, type PlainObject, show, unknown } from "../../lib/values";

/** Identity policies: the documents that give a principal permissions, per type. */
const identityPolicyTypes = [t.iamPolicy, t.iamRolePolicy, t.iamUserPolicy, t.iamGroupPolicy, t.iamRole];

function identityDocuments(type: string, props: PlainObject): Plain[] {
  if (type === t.iamRole) {
    const inline = items(props.inlinePolicies);
    return inline === unknown ? [] : inline.map((p) => at(p, "policy") ?? null);
  }
  return [props.policy ?? null];
}

/** Calls each known Allow statement of a resource's identity policies; unknown documents wait. */
function eachAllow(type: string, props: PlainObject, visit: (statement: PlainObject, label: string) => void) {
  for (const document of identityDocuments(type, props)) {
    const list = statements(document);
    if (list === unknown) continue;
    list.forEach((s, i) => {
      if (s.Effect === "Allow") visit(s, statementLabel(s, i));
    });
  }
}

const adminPolicies = ["arn:aws:iam::aws:policy/AdministratorAccess"];
/** `*` and `*:*`: every action of every service, security-iam-no-admin-wildcard's finding. */
const everyAction = (pattern: string) => pattern === "*" || pattern === "*:*";

export const iamNoAdminWildcard = resourceRule({
  id: "security-iam-no-admin-wildcard",
  concern: "security",
  family: "IAM",
  controls: ["FSBP IAM.1", "CIS AWS 1.16", "CKV_AWS_62", "CKV_AWS_274"],
  description:
    'No IAM policy allows every action ("*", "*:*", or an Allow with NotAction) and no role gets ' +
    "AdministratorAccess. Fix: list the actions the principal needs, on the resources it needs them for " +
    "(see storage/policies.ts for the pattern).",
  types: [...identityPolicyTypes, t.iamRolePolicyAttachment],
  check: ({ type, props }, _config, report) => {
    if (type === t.iamRolePolicyAttachment) {
      if (typeof props.policyArn === "string" && adminPolicies.includes(props.policyArn)) {
        report(`attaches ${props.policyArn}`);
      }
      return;
    }
    eachAllow(type, props, (statement, label) => {
      const everything = iamList(statement.Action).filter(everyAction);
      if (everything.length > 0)
        report(`${label} allows ${everything.join(", ")} on ${show(statement.Resource)}`);
      if (statement.NotAction !== undefined) {
        report(`${label} allows everything except ${show(statement.NotAction)} (NotAction with Allow)`);
      }
    });
  },
});

/**
 * Actions that hand over a service, a key, or the power to grant oneself more: allowed on every
 * resource, each is an escalation path (Rhino Security Labs' IAM privilege-escalation methods, which
 * Checkov's CKV_AWS_286 encodes) or a read of every secret or key.
 */
const privilegedActions = [
  "iam:PassRole",
  "iam:CreatePolicyVersion",
  "iam:SetDefaultPolicyVersion",
  "iam:AttachRolePolicy",
  "iam:AttachUserPolicy",
  "iam:AttachGroupPolicy",
  "iam:PutRolePolicy",
  "iam:PutUserPolicy",
  "iam:PutGroupPolicy",
  "iam:CreateAccessKey",
  "iam:CreateLoginProfile",
  "iam:UpdateLoginProfile",
  "iam:UpdateAssumeRolePolicy",
  "iam:AddUserToGroup",
  "sts:AssumeRole",
  "kms:Decrypt",
  "kms:CreateGrant",
  "kms:PutKeyPolicy",
  "secretsmanager:GetSecretValue",
  "s3:PutBucketPolicy",
  "lambda:UpdateFunctionCode",
  "ec2:RunInstances",
];

/** A pattern that grants a whole service: `iam:*`, `s3:*`. */
const serviceWide = /^[a-z0-9-]+:\*$/i;

export const iamNoWildcardOnEveryResource = resourceRule({
  id: "security-iam-no-privileged-wildcard",
  concern: "security",
  family: "IAM",
  controls: ["FSBP IAM.21", "FSBP KMS.1", "FSBP KMS.2", "CKV_AWS_286", "CKV_AWS_355", "AwsSolutions-IAM5"],
  description:
    "No IAM policy allows a whole service (`s3:*`, `kms:*`, `iam:*`) or a privilege-escalating action (iam:PassRole, " +
    "sts:AssumeRole, iam:Put*Policy, kms:Decrypt, secretsmanager:GetSecretValue, …, also through patterns such as " +
    '`iam:*Role*`) on Resource "*" or through NotResource. Fix: name the actions and the ARNs they apply to ' +
    "(the role, key, secret or bucket), or narrow a KMS grant with kms:ViaService.",
  types: identityPolicyTypes,
  check: ({ type, props }, _config, report) => {
    eachAllow(type, props, (statement, label) => {
      if (!onEveryResource(statement)) return;
      const wide = iamList(statement.Action).filter((a) => serviceWide.test(a));
      const admitting = (action: string) =>
        actionsAdmitting(statement, action).filter((pattern) => !everyAction(pattern));
      const escalating = privilegedActions.filter((action) => admitting(action).length > 0);
      if (wide.length > 0) report(`${label} allows ${wide.join(", ")} on every resource`);
      else if (escalating.length > 0) {
        const patterns = [...new Set(escalating.flatMap(admitting))];
        report(`${label} allows ${patterns.join(", ")} (covers ${escalating.join(", ")}) on every resource`);
      }
    });
  },
});

/** Condition keys that make a trust policy admit one account, organization or source only. */
const trustNarrowingKeys = [...narrowingKeys, "sts:ExternalId"];

export const iamTrustPolicyPrincipals = resourceRule({
  id: "security-iam-trust-policy-principals",
  concern: "security",
  family: "IAM",
  controls: ["CKV_AWS_60", "CKV_AWS_61"],
  description:
    'A role\'s trust policy never admits everyone: no Allow to Principal "*", {"AWS": "*"} (or an AWS ' +
    "principal with a wildcard) without a condition on aws:PrincipalAccount, aws:PrincipalOrgID, " +
    "aws:SourceAccount, aws:SourceArn or sts:ExternalId, and no Allow with NotPrincipal. Fix: name the " +
    "service (Principal.Service), the account root or role ARN, or the OIDC provider that may assume it.",
  types: [t.iamRole],
  check: ({ props }, _config, report) => {
    const list = statements(props.assumeRolePolicy);
    if (list === unknown) return;
    list.forEach((s, i) => {
      if (s.Effect !== "Allow") return;
      if (s.NotPrincipal !== undefined)
        report(`${statementLabel(s, i)} admits everyone but ${show(s.NotPrincipal)}`);
      else if (admitsAnyone(s.Principal) && !narrowedBy(s, trustNarrowingKeys))
        report(`${statementLabel(s, i)} admits ${show(s.Principal)} with no account or source condition`);
    });
  },
});

export const iamIrsaTrustPinned = resourceRule({
  id: "security-iam-irsa-trust-pinned",
  concern: "security",
  family: "IAM",
  controls: ["EKS Best Practices: IRSA trust scoped to one service account"],
  description:
    "An IRSA role (trusting an EKS OIDC provider) admits one service account's tokens for STS only: the " +
    "trust statement tests `<issuer>:sub` with StringEquals to system:serviceaccount:<namespace>:<name> and " +
    "`<issuer>:aud` to sts.amazonaws.com (no wildcards). Fix: build the trust policy with " +
    "serviceAccountTrustPolicy (infra/cluster/irsa.ts).",
  types: [t.iamRole],
  check: ({ props }, _config, report) => {
    const list = statements(props.assumeRolePolicy);
    if (list === unknown) return;
    list.forEach((s, i) => {
      const federated = iamList(at(s.Principal ?? null, "Federated"));
      const provider = federated.find((p) => p.includes(":oidc-provider/"));
      if (s.Effect !== "Allow" || !provider) return;
      const issuer = provider
        .slice(provider.indexOf(":oidc-provider/") + ":oidc-provider/".length)
        .toLowerCase();
      const equals = isObject(s.Condition) ? s.Condition.StringEquals : undefined;
      const pinned = (claim: string, expected: RegExp) => {
        const value = isObject(equals ?? null)
          ? Object.entries(equals as PlainObject).find(([k]) => k.toLowerCase() === `${issuer}:${claim}`)?.[1]
          : undefined;
        const values = iamList(value);
        return values.length > 0 && values.every((v) => expected.test(v));
      };
      const label = statementLabel(s, i);
      if (!pinned("sub", /^system:serviceaccount:[a-z0-9-]+:[a-z0-9-]+$/))
        report(`${label} does not pin ${issuer}:sub to one service account with StringEquals`);
      if (!pinned("aud", /^sts\.amazonaws\.com$/))
        report(`${label} does not pin ${issuer}:aud to sts.amazonaws.com with StringEquals`);
    });
  },
});

const userTypes = [
  "aws:iam/user:User",
  "aws:iam/accessKey:AccessKey",
  "aws:iam/userLoginProfile:UserLoginProfile",
  t.iamUserPolicy,
  "aws:iam/userPolicyAttachment:UserPolicyAttachment",
  "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive",
  "aws:iam/policyAttachment:PolicyAttachment",
];

export const iamNoUsers = resourceRule({
  id: "security-iam-no-users",
  concern: "security",
  family: "IAM",
  controls: ["FSBP IAM.2", "CIS AWS 1.15", "CKV_AWS_40"],
  description:
    "The program creates no IAM users, user policies or access keys: people sign in through IAM Identity " +
    "Center, workloads use roles (IRSA, instance profiles), CI uses GitHub's OIDC role. Fix: replace the user " +
    "with a role and its policy with a role policy.",
  types: userTypes,
  check: ({ type, props }, _config, report) => {
    if (type === "aws:iam/policyAttachment:PolicyAttachment") {
      const users = items(props.users);
      if (users !== unknown && users.length > 0) report(`attaches a policy to users ${show(props.users)}`);
      return;
    }
    report(`${type.split(":").pop()} gives an IAM user long-lived permissions or credentials`);
  },
});

/** AWS managed policies a role may carry, each with the reason it is needed. */
const defaultManagedPolicies: Record<string, string> = {
  "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy": "the EKS service role of the control plane",
  "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy": "managed node groups join the cluster with it",
  "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly": "nodes pull images from ECR, read only",
  "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy": "the VPC CNI add-on's IRSA role assigns pod IPs",
  "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole":
    "RDS publishes Enhanced Monitoring metrics with it, to RDS* log groups only",
  "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup":
    "AWS Backup snapshots and copies the Aurora shards with it",
};

export const iamManagedPolicyAllowList = resourceRule<{ allowedManagedPolicies: Record<string, string> }>({
  id: "security-iam-managed-policy-allow-list",
  concern: "security",
  family: "IAM",
  controls: ["AwsSolutions-IAM4", "CKV_AWS_274"],
  description:
    "A role carries an AWS managed policy only from the allow-list, each listed with the reason it is needed " +
    "(AWS managed policies grant broadly and change without review). Fix: write a role policy with the " +
    "actions needed, or add the policy ARN with its reason to allowedManagedPolicies in the stack's policy config.",
  types: [t.iamRolePolicyAttachment, "aws:iam/policyAttachment:PolicyAttachment", t.iamRole],
  config: {
    schema: {
      allowedManagedPolicies: {
        type: "object",
        additionalProperties: { type: "string", minLength: 1 },
        description: "Managed policy ARN → why a role of this stack needs it.",
      },
    },
    defaults: () => ({ allowedManagedPolicies: defaultManagedPolicies }),
  },
  check: ({ type, props }, config, report) => {
    const arns = type === t.iamRole ? items(props.managedPolicyArns) : [props.policyArn ?? null];
    if (arns === unknown) return;
    for (const arn of arns) {
      // A customer-managed policy of this program is judged by its own document.
      if (typeof arn !== "string" || !arn.startsWith("arn:aws:iam::aws:policy/")) continue;
      if (!(arn in config.allowedManagedPolicies)) report(`attaches ${arn}, which is not on the allow-list`);
    }
  },
});

export const permissionRules: Rule[] = [
  iamNoAdminWildcard,
  iamNoWildcardOnEveryResource,
  iamTrustPolicyPrincipals,
  iamIrsaTrustPinned,
  iamNoUsers,
  iamManagedPolicyAllowList,
];
