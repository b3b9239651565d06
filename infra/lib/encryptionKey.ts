import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accountIdProblems } from "./placement";
import { assertValidArgs, type Problem } from "./problems";
import { integerProblems } from "./schema";

/** An AWS service allowed to use the key on the account's behalf. */
export interface ServiceGrant {
  /** Statement id in the key policy, e.g. `CloudWatchLogs`. */
  readonly sid: string;
  /** Service principal, e.g. `logs.eu-west-1.amazonaws.com`. */
  readonly service: string;
  /** Condition block that narrows the grant to this stack's resources. */
  readonly condition?: Record<string, Record<string, string | string[]>>;
}

export interface EncryptionKeyArgs {
  /** What the key protects; shown in the KMS console. @default none (required) */
  readonly description: string;
  /** Account that owns the key; its root principal administers it. @default none (required) */
  readonly accountId: string;
  /** Alias without the `alias/` prefix, e.g. `crest-prod-logs`. @default none (required) */
  readonly alias: string;
  /** Services that may encrypt and decrypt with the key. @default [] */
  readonly serviceGrants?: readonly ServiceGrant[];
  /** Days KMS waits before deleting the key once scheduled, 7–30. @default 30 */
  readonly deletionWindowInDays?: number;
}

const serviceActions = [
  "kms:Encrypt*",
  "kms:Decrypt*",
  "kms:ReEncrypt*",
  "kms:GenerateDataKey*",
  "kms:Describe*",
];

export function encryptionKeyArgsProblems(args: EncryptionKeyArgs): Problem[] {
  const problems: Problem[] = accountIdProblems(args.accountId);
  if (!/^[a-zA-Z0-9/_-]{1,250}$/.test(args.alias) || args.alias.startsWith("aws/")) {
    problems.push({
      path: "alias",
      value: args.alias,
      allowed: "1–250 of a-z A-Z 0-9 / _ -, not starting with aws/ (alias/ is added)",
    });
  }
  problems.push(...integerProblems("deletionWindowInDays", args.deletionWindowInDays, 7, 30));
  return problems;
}

/** The key policy: the account administers the key through IAM; each granted service may use it. */
export function keyPolicy(accountId: string, grants: readonly ServiceGrant[]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountAdministersKeyThroughIam",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      ...grants.map((grant) => ({
        Sid: grant.sid,
        Effect: "Allow",
        Principal: { Service: grant.service },
        Action: serviceActions,
        Resource: "*",
        ...(grant.condition ? { Condition: grant.condition } : {}),
      })),
    ],
  });
}

/** A customer-managed KMS key with yearly rotation and an alias. */
export class EncryptionKey extends pulumi.ComponentResource {
  public readonly keyArn: pulumi.Output<string>;
  public readonly keyId: pulumi.Output<string>;
  public readonly aliasName: string;

  constructor(name: string, args: EncryptionKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("crest:security:EncryptionKey", name, {}, opts);
    assertValidArgs("crest:security:EncryptionKey", name, encryptionKeyArgsProblems(args));

    const key = new aws.kms.Key(
      name,
      {
        description: args.description,
        enableKeyRotation: true,
        deletionWindowInDays: args.deletionWindowInDays ?? 30,
        policy: keyPolicy(args.accountId, args.serviceGrants ?? []),
      },
      { parent: this },
    );
    this.aliasName = `alias/${args.alias}`;
    new aws.kms.Alias(name, { name: this.aliasName, targetKeyId: key.keyId }, { parent: this });

    this.keyArn = key.arn;
    this.keyId = key.keyId;
    this.registerOutputs({ keyArn: this.keyArn, keyId: this.keyId, aliasName: this.aliasName });
  }
}
