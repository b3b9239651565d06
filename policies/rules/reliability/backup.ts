import { type Rule, type StackResourceView, type StackView, stackRule } from "../../lib/rule";
import { t } from "../../lib/types";
import { at, isObject, items, type Plain, unknown } from "../../lib/values";

interface BackupConfig {
  readonly minRetentionDays: number;
  readonly requireCrossRegionCopy: boolean;
  readonly requireVaultLock: boolean;
}

const regionOf = (r: StackResourceView): Plain | undefined => r.provider?.props.region;

/** The vaults a plan's rules write to, split by whether they sit in the plan's region. */
function planVaults(stack: StackView, plan: StackResourceView) {
  const vaults = stack.referencedBy(plan, "rules").filter((r) => r.type === t.backupVault);
  const home = regionOf(plan);
  return {
    local: vaults.filter((v) => regionOf(v) === home),
    remote: vaults.filter((v) => regionOf(v) !== home),
  };
}

/** Problems with one vault: its key, whether it is the database's key, and its lock. */
function vaultProblems(
  stack: StackView,
  vault: StackResourceView,
  cluster: StackResourceView,
  config: BackupConfig,
): string[] {
  const problems: string[] = [];
  const key = vault.props.kmsKeyArn;
  if (key === undefined || key === null) {
    problems.push(`vault ${vault.name} has no kmsKeyArn of its own (AWS Backup's default key)`);
  }
  const keySources = vault.propertyDependencies.kmsKeyArn ?? [];
  if (keySources.some((urn) => cluster.propertyDependencies.kmsKeyId?.includes(urn))) {
    problems.push(`vault ${vault.name} uses the database's own key: one key lost or leaked loses both`);
  }
  const locked = stack
    .ofType(t.backupVaultLock)
    .some((lock) => lock.propertyDependencies.backupVaultName?.includes(vault.urn));
  if (config.requireVaultLock && !locked) {
    problems.push(`vault ${vault.name} is not locked (no VaultLockConfiguration)`);
  }
  return problems;
}

export const auroraBackupPlan = stackRule<BackupConfig>({
  id: "reliability-aurora-backup-plan",
  family: "data stores",
  controls: ["CKV2_AWS_8", "FSBP Backup.1"],
  concern: "reliability",
  description:
    "Every Aurora cluster is in an AWS Backup selection whose plan keeps recovery points at least the stack's " +
    "minimum, in a vault encrypted with a key of its own (not the database's); in a prod-tier stack each " +
    "point is also copied to a vault in another region and the vaults are locked (Vault Lock), so neither a " +
    "region's loss nor a deleted or compromised account empties them. Fix: use the AuroraBackup component " +
    "(infra/backup) with the shard cluster ARNs, copyToDrRegion and vaultLock on in prod.",
  config: {
    schema: {
      minRetentionDays: {
        type: "integer",
        minimum: 1,
        description: "Shortest lifecycle.deleteAfter of a recovery point.",
      },
      requireCrossRegionCopy: {
        type: "boolean",
        description: "Require a copy action to a vault in another region.",
      },
      requireVaultLock: { type: "boolean", description: "Require a Vault Lock on every vault." },
    },
    defaults: ({ tier }) => ({
      minRetentionDays: 7,
      requireCrossRegionCopy: tier === "prod",
      requireVaultLock: tier === "prod",
    }),
  },
  check: (stack, config, report) => {
    const selections = stack.ofType(t.backupSelection);
    for (const cluster of stack.ofType(t.rdsCluster)) {
      if (!String(cluster.props.engine ?? "aurora").startsWith("aurora")) continue;
      const mine = selections.filter((s) => s.propertyDependencies.resources?.includes(cluster.urn));
      if (mine.length === 0) {
        if (!selections.some((s) => s.props.resources === unknown)) {
          report("is in no AWS Backup selection", cluster.urn);
        }
        continue;
      }
      for (const plan of mine.flatMap((s) => stack.referencedBy(s, "planId"))) {
        const rules = items(plan.props.rules);
        if (rules === unknown) continue;
        const vaults = planVaults(stack, plan);
        for (const problem of [...vaults.local, ...vaults.remote].flatMap((v) =>
          vaultProblems(stack, v, cluster, config),
        )) {
          report(problem, cluster.urn);
        }
        rules.forEach((rule, i) => {
          const days = at(rule, "lifecycle.deleteAfter");
          if (days === undefined || (typeof days === "number" && days < config.minRetentionDays)) {
            report(
              `plan ${plan.name} rule #${i + 1} keeps recovery points ${days === undefined ? "without a lifecycle" : `${days} days`}, under ${config.minRetentionDays}`,
              cluster.urn,
            );
          }
        });
        const copies = rules.flatMap((rule): Plain[] => {
          const list = items(at(rule, "copyActions"));
          return list === unknown ? [unknown] : list;
        });
        // A copy without a lifecycle is kept until deleted; one with a shorter one expires first.
        for (const copy of copies) {
          const days = at(copy, "lifecycle.deleteAfter");
          if (typeof days === "number" && days < config.minRetentionDays) {
            report(
              `plan ${plan.name} keeps copies ${days} days, under ${config.minRetentionDays}`,
              cluster.urn,
            );
          }
        }
        const copiesElsewhere =
          vaults.remote.length > 0 ||
          copies.some((c) => c === unknown || at(c, "destinationVaultArn") === unknown) ||
          copies.some((c) => isObject(c) && crossRegionArn(at(c, "destinationVaultArn"), regionOf(plan)));
        if (config.requireCrossRegionCopy && !copiesElsewhere) {
          report(`plan ${plan.name} copies no recovery point to another region`, cluster.urn);
        }
      }
    }
  },
});

/** A literal vault ARN in another region than the plan's. */
function crossRegionArn(arn: Plain | undefined, home: Plain | undefined): boolean {
  if (typeof arn !== "string" || typeof home !== "string") return false;
  const region = arn.split(":")[3];
  return region !== undefined && region !== "" && region !== home;
}

export const backupRules: Rule[] = [auroraBackupPlan];
