import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EncryptionKey } from "../lib/encryptionKey";
import { managedPolicies } from "../lib/pins";
import { assertValidArgs } from "../lib/problems";
import { type AuroraBackupArgs, auroraBackupArgsProblems, auroraBackupSettingsSchema } from "./args";

export {
  type AuroraBackupArgs,
  type AuroraBackupSettings,
  auroraBackupArgsProblems,
  auroraBackupSettingsSchema,
} from "./args";

const token = "crest:data:AuroraBackup";

/**
 * Days a compliance-mode lock can still be removed after it is set (AWS Backup's minimum): time to
 * notice a wrong retention before the lock becomes permanent.
 */
const lockGraceDays = 3;

/**
 * AWS Backup for the Aurora shards, besides Aurora's own point-in-time backups: a daily recovery
 * point in a vault encrypted with a key of its own, optionally copied to a vault in the
 * disaster-recovery region (its own key there), and optionally both vaults locked in compliance
 * mode, so neither a mistaken delete nor stolen admin credentials can remove a recovery point
 * before its retention ends. Aurora's snapshots live in the cluster's account and region; the
 * copy is what survives losing the region.
 */
export class AuroraBackup extends pulumi.ComponentResource {
  public readonly vaultArn: pulumi.Output<string>;
  public readonly planId: pulumi.Output<string>;
  /** The copy's vault, when recovery points are copied to another region. */
  public readonly copyVaultArn?: pulumi.Output<string>;

  constructor(name: string, args: AuroraBackupArgs, opts?: pulumi.ComponentResourceOptions) {
    super(token, name, {}, opts);
    assertValidArgs(token, name, auroraBackupArgsProblems(args));
    const settings = auroraBackupSettingsSchema.parse(args);
    const protect = args.protect ?? true;

    const vault = this.vault(name, args, settings.vaultLock ? settings.retentionDays : undefined, protect);
    const copy =
      settings.copyToDrRegion && args.copyTo
        ? this.vault(
            `${name}-dr`,
            args,
            settings.vaultLock ? settings.retentionDays : undefined,
            protect,
            args.copyTo.provider,
          )
        : undefined;
    const lifecycle = { deleteAfter: settings.retentionDays };
    const plan = new aws.backup.Plan(
      name,
      {
        rules: [
          {
            ruleName: "daily",
            targetVaultName: vault.name,
            schedule: settings.schedule,
            // Start within an hour of the schedule, finish within a day (AWS Backup's defaults are 8 h / 7 d).
            startWindow: 60,
            completionWindow: 1440,
            lifecycle,
            ...(copy ? { copyActions: [{ destinationVaultArn: copy.arn, lifecycle }] } : {}),
          },
        ],
      },
      { parent: this },
    );
    const role = new aws.iam.Role(
      name,
      {
        description: `Lets AWS Backup snapshot and copy the Aurora shards of ${name}`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        }),
      },
      { parent: this },
    );
    const permissions = new aws.iam.RolePolicyAttachment(
      name,
      { role: role.name, policyArn: managedPolicies.backup.value },
      { parent: this },
    );
    new aws.backup.Selection(
      name,
      { planId: plan.id, iamRoleArn: role.arn, resources: [...args.clusterArns] },
      { parent: this, dependsOn: [permissions] },
    );

    this.vaultArn = vault.arn;
    this.planId = plan.id;
    this.copyVaultArn = copy?.arn;
    this.registerOutputs({ vaultArn: this.vaultArn, planId: this.planId, copyVaultArn: this.copyVaultArn });
  }

  /** A vault with a customer-managed key of its own, locked for `lockDays` when given. */
  private vault(
    name: string,
    args: AuroraBackupArgs,
    lockDays: number | undefined,
    protect: boolean,
    provider?: pulumi.ProviderResource,
  ): aws.backup.Vault {
    const key = new EncryptionKey(
      `${name}-vault`,
      {
        description: `Encrypts the recovery points in the ${name} backup vault`,
        accountId: args.accountId,
        alias: `${name}-vault`,
      },
      { parent: this, protect, ...(provider ? { providers: [provider] } : {}) },
    );
    const vault = new aws.backup.Vault(
      name,
      { kmsKeyArn: key.keyArn, forceDestroy: !protect },
      { parent: this, protect, provider },
    );
    if (lockDays !== undefined) {
      new aws.backup.VaultLockConfiguration(
        name,
        {
          backupVaultName: vault.name,
          minRetentionDays: lockDays,
          // Nothing is kept past a year by mistake; the plan's own retention must stay in [min, max].
          maxRetentionDays: Math.max(lockDays, 365),
          changeableForDays: lockGraceDays,
        },
        { parent: this, protect, provider },
      );
    }
    return vault;
  }
}
