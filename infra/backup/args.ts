import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { accountIdProblems, type OtherRegion } from "../lib/placement";
import type { Problem } from "../lib/problems";
import { allowed, integer, parseSettings } from "../lib/schema";

/**
 * AWS Backup's limits (Developer Guide, "Creating a backup plan" and "AWS Backup Vault Lock"): a
 * recovery point lives at least 1 day; a vault lock's minimum retention is at least 1 day and its
 * compliance-mode grace time at least 3 days.
 */
const maxRetentionDays = 36_500;

/** How the Aurora shards are backed up: schedule, retention, the copy and the lock, once. */
export const auroraBackupSettingsSchema = z.object({
  schedule: z
    .string()
    .regex(
      /^cron\([^()]+\)$/,
      allowed('an AWS Backup cron expression in UTC, e.g. "cron(0 18 * * ? *)" (daily at 18:00)'),
    )
    .describe("When the daily recovery point is taken (UTC): outside the flash-sale peak.")
    .default("cron(0 18 * * ? *)"),
  retentionDays: integer(7, maxRetentionDays, "a week of daily points at least")
    .describe("Days each daily recovery point (and its copy) is kept.")
    .default(35),
  copyToDrRegion: z
    .boolean()
    .describe("Copy every recovery point to a vault in the disaster-recovery region.")
    .default(true),
  vaultLock: z
    .boolean()
    .describe(
      "Lock the vaults in compliance mode: after a 3-day grace time nobody, root included, can delete a recovery point before its retention ends.",
    )
    .default(true),
});

export type AuroraBackupSettings = z.output<typeof auroraBackupSettingsSchema>;

export type AuroraBackupArgs = Readonly<z.input<typeof auroraBackupSettingsSchema>> & {
  /** Account owning the vault keys; its root administers them. @default none (required) */
  readonly accountId: string;
  /** ARNs of the Aurora clusters to back up. @default none (required) */
  readonly clusterArns: readonly pulumi.Input<string>[];
  /** Where recovery points are copied when `copyToDrRegion` is on. @default none (required then) */
  readonly copyTo?: OtherRegion;
  /** Pulumi-protect the vaults and their keys. @default true */
  readonly protect?: boolean;
};

export function auroraBackupArgsProblems(args: AuroraBackupArgs): Problem[] {
  const { settings, problems } = parseSettings(auroraBackupSettingsSchema, args);
  return [
    ...accountIdProblems(args.accountId),
    ...problems,
    ...(args.clusterArns.length === 0
      ? [{ path: "clusterArns", value: [], allowed: "at least one Aurora cluster ARN" }]
      : []),
    ...(settings?.copyToDrRegion && !args.copyTo
      ? [
          {
            path: "copyTo",
            value: undefined,
            allowed: "a region and its provider when copyToDrRegion is true (or copyToDrRegion: false)",
          },
        ]
      : []),
  ];
}
