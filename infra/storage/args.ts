import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { s3ExpirationDaysSchema } from "../lib/buckets";
import { accountIdProblems, type OtherRegion } from "../lib/placement";
import type { Problem } from "../lib/problems";
import { integerAtLeast, parseSettings, regionName, valueProblems } from "../lib/schema";

/**
 * When archived objects move to colder classes, and how long old versions stay. Limits from the S3
 * User Guide, "Transitioning objects using Amazon S3 Lifecycle" (constraints), and the S3 API
 * reference for `Transition` and `NoncurrentVersionExpiration`; the order of the transitions is
 * checked in `storageSettingsProblems`.
 */
const archiveTieringSchema = z.object({
  standardIaAfterDays: integerAtLeast(
    30,
    "an integer of at least 30 (S3 moves objects to STANDARD_IA only after 30 days in STANDARD)",
  )
    .describe("Days after upload an object moves to STANDARD_IA (≥ 30).")
    .default(30),
  glacierIrAfterDays: integerAtLeast(1, "an integer of at least 30 days after archive.standardIaAfterDays")
    .describe(
      "Days after upload it moves to GLACIER_IR; ≥ 30 after standardIaAfterDays, as S3 rejects a transition out of STANDARD_IA within its 30-day minimum.",
    )
    .default(90),
  deepArchiveAfterDays: integerAtLeast(1, "an integer greater than archive.glacierIrAfterDays")
    .describe("Days after upload it moves to DEEP_ARCHIVE (after glacierIrAfterDays).")
    .default(365),
  noncurrentVersionExpirationDays: integerAtLeast(
    1,
    "a positive integer (days after a version stops being current)",
  )
    .describe("Days an overwritten or deleted version stays restorable before S3 removes it.")
    .default(90),
});

export type ArchiveTiering = z.output<typeof archiveTieringSchema>;

/** The lifecycle and log retention of a TieredStorage: type, limits, description and baseline default, once. */
export const storageSettingsSchema = z.object({
  archive: archiveTieringSchema
    .describe("Lifecycle of the archive bucket.")
    .default(() => archiveTieringSchema.parse({})),
  accessLogRetentionDays: s3ExpirationDaysSchema
    .describe(
      "Days the server access logs of the archive, the static assets and the archive's DR copy are kept.",
    )
    .default(365),
});

export type StorageSettings = z.output<typeof storageSettingsSchema>;

/** The disaster-recovery region the archive is copied to (it must differ from `region`), and its provider. */
export type StorageReplicationArgs = OtherRegion;

/** The settings above (each optional: every one has a default) and the store's place and readers. */
export type TieredStorageArgs = Readonly<z.input<typeof storageSettingsSchema>> & {
  /** Account the store lives in; scopes key policies. @default none (required) */
  readonly accountId: string;
  /** Region of the store. @default none (required) */
  readonly region: string;
  /** Copy the archive bucket to a bucket in a second region. @default none (no copy) */
  readonly replication?: StorageReplicationArgs;
  /**
   * CloudFront distributions that read the static assets through origin access control. The bucket
   * policy lets CloudFront fetch objects for exactly these distributions, and the key policy lets
   * CloudFront decrypt for this account's distributions. A distribution needs the bucket's domain
   * name first, so pass its ARN through `pulumi.deferredOutput()` and resolve that once the
   * distribution exists (an unresolved one stalls the program). @default [] (no CDN reads the bucket)
   */
  readonly cdnDistributionArns?: readonly pulumi.Input<string>[];
  /** Deletion protection, final snapshots where the service has them, and Pulumi `protect` on stateful resources. @default true */
  readonly protect?: boolean;
};

/** The transitions in order: each class's minimum stay before the next one. */
export function storageSettingsProblems(settings: StorageSettings): Problem[] {
  const t = settings.archive;
  const problems: Problem[] = [];
  if (t.glacierIrAfterDays < t.standardIaAfterDays + 30) {
    problems.push({
      path: "archive.glacierIrAfterDays",
      value: t.glacierIrAfterDays,
      allowed:
        `an integer of at least ${t.standardIaAfterDays + 30}: 30 days or more after archive.standardIaAfterDays ` +
        `(${t.standardIaAfterDays}), as S3 rejects a transition out of STANDARD_IA within its 30-day minimum`,
    });
  }
  if (t.deepArchiveAfterDays <= t.glacierIrAfterDays) {
    problems.push({
      path: "archive.deepArchiveAfterDays",
      value: t.deepArchiveAfterDays,
      allowed:
        `an integer greater than archive.glacierIrAfterDays (${t.glacierIrAfterDays}): ` +
        "objects move GLACIER_IR → DEEP_ARCHIVE, never back",
    });
  }
  return problems;
}

export function tieredStorageArgsProblems(args: TieredStorageArgs): Problem[] {
  const problems: Problem[] = [
    ...accountIdProblems(args.accountId),
    ...valueProblems("region", args.region, regionName),
  ];
  const check = (ok: boolean, path: string, value: unknown, allowed: string) => {
    if (!ok) problems.push({ path, value, allowed });
  };

  const { settings, problems: settingProblems } = parseSettings(storageSettingsSchema, args);
  problems.push(...settingProblems, ...(settings ? storageSettingsProblems(settings) : []));

  (args.cdnDistributionArns ?? []).forEach((arn, i) => {
    if (typeof arn !== "string") return;
    check(
      new RegExp(`^arn:aws:cloudfront::${args.accountId}:distribution/[A-Z0-9]+$`).test(arn),
      `cdnDistributionArns[${i}]`,
      arn,
      `the ARN of a CloudFront distribution of account ${args.accountId}, ` +
        `e.g. "arn:aws:cloudfront::${args.accountId}:distribution/E2QWRUHEXAMPLE"`,
    );
  });

  if (args.replication) {
    const drRegion = args.replication.region;
    check(
      regionName.safeParse(drRegion).success && drRegion !== args.region,
      "replication.region",
      drRegion,
      `an AWS region other than ${args.region}: the copy must survive the loss of the primary region`,
    );
  }
  return problems;
}
