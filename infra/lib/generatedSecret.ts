import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { assertValidArgs, type Problem } from "./problems";

/**
 * The tag that records why Secrets Manager does not rotate a secret: the documented exception the
 * policy pack (security-secret-rotation) accepts instead of a rotation schedule.
 */
const rotationExceptionTag = "rotation-exception";

const token = "crest:security:GeneratedSecret";

/** Tag values allow 256 of letters, digits, spaces and `_ . : / = + - @` (Secrets Manager TagResource). */
const tagValue = /^[\p{L}\p{N}\s_.:/=+\-@]{20,256}$/u;

export function rotationExceptionProblems(reason: string): Problem[] {
  return tagValue.test(reason)
    ? []
    : [
        {
          path: "rotationException",
          value: reason,
          allowed:
            "a sentence of 20 to 256 letters, digits, spaces and _ . : / = + - @ (a tag value) saying why the secret is not rotated",
        },
      ];
}

/** The tags of a secret Secrets Manager does not rotate, for `reason`; `owner` names the component that declares it. */
export function rotationExceptionTags(
  owner: { readonly type: string; readonly name: string },
  reason: string,
): Record<string, string> {
  assertValidArgs(owner.type, owner.name, rotationExceptionProblems(reason));
  return { [rotationExceptionTag]: reason };
}

export interface GeneratedSecretArgs {
  /** What the secret is for; shown in Secrets Manager. @default none (required) */
  readonly description: string;
  /** Customer-managed KMS key that encrypts the secret. @default none (required) */
  readonly kmsKeyId: pulumi.Input<string>;
  /**
   * Start of the secret's name, for services that require one (MSK SCRAM secrets must start with
   * `AmazonMSK_`); the provider appends a unique suffix. A fixed name would make a re-created stack
   * (or a replaced secret) collide with the deleted one, which keeps its name for the whole
   * recovery window. @default a name Pulumi generates from the resource name
   */
  readonly secretNamePrefix?: string;
  /** Plain fields stored beside the password in the secret's JSON, e.g. `{ username: "crest" }`. @default {} */
  readonly fields?: Readonly<Record<string, string>>;
  /** Password length. @default 32 */
  readonly length?: number;
  /**
   * Special characters the password may contain. The default leaves out `@ " / \ '` and spaces,
   * which Redis AUTH, MySQL URLs and SCRAM tooling each reject or mangle.
   * @default "!#$%&*()-_=+[]{}<>:?"
   */
  readonly specialCharacters?: string;
  /** Days a deleted secret can still be restored. @default 30 */
  readonly recoveryWindowInDays?: number;
  /**
   * Why Secrets Manager does not rotate this secret (none of Crest's has a rotation function: each
   * is rotated by a deploy, for the reason given). Kept on the secret as its `rotation-exception`
   * tag, which the policy pack reads. @default none (required)
   */
  readonly rotationException: string;
}

/**
 * A generated password stored in Secrets Manager as JSON `{ ...fields, password }`. The password
 * exists only as a Pulumi secret (encrypted in state, `[secret]` in every plan and preview) and in
 * Secrets Manager; consumers receive the secret's ARN, never the value.
 */
export class GeneratedSecret extends pulumi.ComponentResource {
  public readonly secretArn: pulumi.Output<string>;
  /** The password, as a Pulumi secret, for the one resource that must be created with it. */
  public readonly password: pulumi.Output<string>;

  constructor(name: string, args: GeneratedSecretArgs, opts?: pulumi.ComponentResourceOptions) {
    super(token, name, {}, opts);
    assertValidArgs(token, name, rotationExceptionProblems(args.rotationException));
    const password = new random.RandomPassword(
      name,
      {
        length: args.length ?? 32,
        special: true,
        overrideSpecial: args.specialCharacters ?? "!#$%&*()-_=+[]{}<>:?",
        minLower: 1,
        minUpper: 1,
        minNumeric: 1,
      },
      { parent: this },
    );
    const secret = new aws.secretsmanager.Secret(
      name,
      {
        description: args.description,
        kmsKeyId: args.kmsKeyId,
        recoveryWindowInDays: args.recoveryWindowInDays ?? 30,
        tags: rotationExceptionTags({ type: token, name }, args.rotationException),
        ...(args.secretNamePrefix ? { namePrefix: args.secretNamePrefix } : {}),
      },
      { parent: this },
    );
    new aws.secretsmanager.SecretVersion(
      name,
      {
        secretId: secret.id,
        secretString: pulumi.secret(
          password.result.apply((value) => JSON.stringify({ ...(args.fields ?? {}), password: value })),
        ),
      },
      { parent: this },
    );
    this.secretArn = secret.arn;
    this.password = pulumi.secret(password.result);
    this.registerOutputs({ secretArn: this.secretArn });
  }
}
