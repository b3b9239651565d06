import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EncryptionKey } from "../lib/encryptionKey";
import { GeneratedSecret, rotationExceptionTags } from "../lib/generatedSecret";
import { accountIdProblems } from "../lib/placement";
import { assertValidArgs, type Problem } from "../lib/problems";
import { integerProblems } from "../lib/schema";

const token = "crest:security:AppSecrets";

export interface AppSecretsArgs {
  /** Account of the secrets; scopes the key policy. @default none (required) */
  readonly accountId: string;
  /** Days a deleted secret can still be restored (7–30). @default 30 */
  readonly recoveryWindowInDays?: number;
  /** Pulumi `protect` on both secrets: losing the signing key signs every user out. @default true */
  readonly protect?: boolean;
}

export function appSecretsArgsProblems(args: AppSecretsArgs): Problem[] {
  return [
    ...accountIdProblems(args.accountId),
    ...integerProblems("recoveryWindowInDays", args.recoveryWindowInDays, 7, 30),
  ];
}

/**
 * What the app holds that no data store issues: the key that signs session tokens (generated) and
 * the mini-program's AppSecret (issued by WeChat). Both live in Secrets Manager under a key of their
 * own; the app receives their ARNs in its RuntimeConfig.
 *
 * The AppSecret's value never passes through Pulumi: the secret starts with a placeholder, and its
 * owner replaces it with `aws secretsmanager put-secret-value --secret-id <wechatAppSecretArn>
 * --secret-string '{"password":"…"}'`. Pulumi ignores later changes to the value, so a deploy never
 * puts the placeholder back. Until then, sign-in answers 502 from WeChat; orders and the smoke gate,
 * which use the signing key only, work.
 */
export class AppSecrets extends pulumi.ComponentResource {
  public readonly kmsKeyArn: pulumi.Output<string>;
  /** `{ password }`: the HMAC key (64 characters) that signs session tokens. */
  public readonly sessionSigningSecretArn: pulumi.Output<string>;
  /** `{ password }`: the mini-program's AppSecret, set by its owner. */
  public readonly wechatAppSecretArn: pulumi.Output<string>;

  constructor(name: string, args: AppSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(token, name, {}, opts);
    assertValidArgs(token, name, appSecretsArgsProblems(args));
    const protect = args.protect ?? true;
    const recoveryWindowInDays = args.recoveryWindowInDays ?? 30;
    const key = new EncryptionKey(
      `${name}-secrets`,
      {
        description: `Encrypts the app secrets of ${name}: session signing key and WeChat AppSecret`,
        accountId: args.accountId,
        alias: `${name}-secrets`,
      },
      { parent: this },
    );
    const signingKey = new GeneratedSecret(
      `${name}-session-signing-key`,
      {
        description: "HMAC key that signs mini-program session tokens",
        kmsKeyId: key.keyArn,
        length: 64,
        recoveryWindowInDays,
        rotationException: "A new key signs every user out: rotate it with a deploy during a quiet hour",
      },
      { parent: this, protect },
    );
    const appSecret = new aws.secretsmanager.Secret(
      `${name}-wechat-app-secret`,
      {
        description: 'WeChat mini-program AppSecret as {"password": ...}; its owner sets the value',
        kmsKeyId: key.keyArn,
        recoveryWindowInDays,
        tags: rotationExceptionTags(
          { type: token, name },
          "WeChat issues the AppSecret: its owner resets it in the WeChat console and puts the new value here",
        ),
      },
      { parent: this, protect },
    );
    new aws.secretsmanager.SecretVersion(
      `${name}-wechat-app-secret`,
      {
        secretId: appSecret.id,
        secretString: pulumi.secret(JSON.stringify({ password: "unset: put the AppSecret here" })),
      },
      { parent: this, ignoreChanges: ["secretString"] },
    );
    this.kmsKeyArn = key.keyArn;
    this.sessionSigningSecretArn = signingKey.secretArn;
    this.wechatAppSecretArn = appSecret.arn;
    this.registerOutputs({
      kmsKeyArn: this.kmsKeyArn,
      sessionSigningSecretArn: this.sessionSigningSecretArn,
      wechatAppSecretArn: this.wechatAppSecretArn,
    });
  }
}
