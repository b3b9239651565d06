import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assertValidArgs, type Problem } from "../lib/problems";

/** The cluster's OIDC identity provider in IAM: what an IRSA role's trust policy names. */
export interface OidcIssuer {
  /** ARN of the IAM OIDC provider. */
  readonly oidcProviderArn: pulumi.Input<string>;
  /** Issuer URL, `https://oidc.eks.<region>.amazonaws.com/id/<id>`. */
  readonly oidcProviderUrl: pulumi.Input<string>;
}

export interface ServiceAccountRoleArgs {
  /** The cluster (or any OIDC issuer) whose tokens the role trusts. @default none (required) */
  readonly cluster: OidcIssuer;
  /** Namespace of the service account. @default none (required) */
  readonly namespace: string;
  /** Name of the service account. @default none (required) */
  readonly serviceAccount: string;
  /** Inline IAM policy (JSON) the role holds. @default none (required unless managedPolicyArns) */
  readonly policy?: pulumi.Input<string>;
  /** AWS managed policies the role holds besides `policy`. @default [] */
  readonly managedPolicyArns?: readonly string[];
}

const audience = "sts.amazonaws.com";

/** DNS-1123 label: what Kubernetes accepts as a namespace name. */
const namespacePattern = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** DNS-1123 subdomain: what Kubernetes accepts as a service account name. */
const serviceAccountPattern =
  /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function serviceAccountRoleArgsProblems(args: ServiceAccountRoleArgs): Problem[] {
  const problems: Problem[] = [];
  if (!namespacePattern.test(args.namespace)) {
    problems.push({
      path: "namespace",
      value: args.namespace,
      allowed: "a Kubernetes namespace name: 1–63 of a-z 0-9 -, starting and ending with a letter or digit",
    });
  }
  if (!serviceAccountPattern.test(args.serviceAccount)) {
    problems.push({
      path: "serviceAccount",
      value: args.serviceAccount,
      allowed:
        "a Kubernetes service account name: up to 253 of a-z 0-9 - ., each dot-separated part alphanumeric at both ends",
    });
  }
  if (args.policy === undefined && (args.managedPolicyArns ?? []).length === 0) {
    problems.push({
      path: "policy",
      value: undefined,
      allowed:
        "an IAM policy document, or at least one managedPolicyArns entry (a role with no permissions is a mistake)",
    });
  }
  return problems;
}

/**
 * The trust policy of an IRSA role: only tokens the cluster issued for exactly this service account
 * (`sub`) and meant for STS (`aud`) may assume it; StringEquals, never StringLike, so no other
 * service account or namespace matches.
 */
export function serviceAccountTrustPolicy(
  oidcProviderArn: string,
  oidcProviderUrl: string,
  namespace: string,
  serviceAccount: string,
): string {
  const issuer = oidcProviderUrl.replace(/^https:\/\//, "");
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
            [`${issuer}:aud`]: audience,
          },
        },
      },
    ],
  });
}

/** An IRSA role and its ARN; the ARN resolves only once the role's policies are attached. */
export interface ServiceAccountRole {
  readonly role: aws.iam.Role;
  /** Use this (not `role.arn`) in the service account annotation, so pods start with permissions. */
  readonly roleArn: pulumi.Output<string>;
}

/**
 * An IAM role for one Kubernetes service account (IRSA). Annotate the service account with
 * `eks.amazonaws.com/role-arn: <roleArn>`; pods using it get the role's credentials from STS, and
 * nothing else on the node can use them (IMDS is closed to pods).
 */
export function serviceAccountRole(
  name: string,
  args: ServiceAccountRoleArgs,
  opts: pulumi.CustomResourceOptions = {},
): ServiceAccountRole {
  assertValidArgs("crest:compute:ServiceAccountRole", name, serviceAccountRoleArgsProblems(args));
  const role = new aws.iam.Role(
    name,
    {
      description: `IRSA role of the service account ${args.namespace}/${args.serviceAccount}`,
      assumeRolePolicy: pulumi
        .all([args.cluster.oidcProviderArn, args.cluster.oidcProviderUrl])
        .apply(([arn, url]) => serviceAccountTrustPolicy(arn, url, args.namespace, args.serviceAccount)),
    },
    opts,
  );
  const grants: pulumi.Resource[] = [];
  if (args.policy !== undefined) {
    grants.push(new aws.iam.RolePolicy(name, { role: role.id, policy: args.policy }, opts));
  }
  for (const policyArn of args.managedPolicyArns ?? []) {
    const policyName = policyArn.slice(policyArn.lastIndexOf("/") + 1);
    grants.push(
      new aws.iam.RolePolicyAttachment(`${name}-${policyName}`, { role: role.name, policyArn }, opts),
    );
  }
  const roleArn = pulumi.all([role.arn, pulumi.all(grants.map((grant) => grant.urn))]).apply(([arn]) => arn);
  return { role, roleArn };
}
