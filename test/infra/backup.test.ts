import assert from "node:assert/strict";
import { test } from "node:test";
import * as aws from "@pulumi/aws";
import { AuroraBackup, type AuroraBackupArgs, auroraBackupArgsProblems } from "../../infra/backup";
import type { ComputedOutputs } from "../../tools/plan/recorder";
import { recordProgram } from "../../tools/plan/run";
import { ofType, one } from "../support/recording";

const accountId = "123456789012";
const clusterArns = [0, 1].map((shard) => `arn:aws:rds:eu-west-1:${accountId}:cluster:db-${shard}`);

// Vault and plan identities AWS would return after a create, so the wiring shows in the inputs.
const known: ComputedOutputs = ({ type, name, inputs }) => {
  switch (type) {
    case "aws:kms/key:Key":
      return { arn: `arn:aws:kms:region:${accountId}:key/${name}` };
    case "aws:backup/vault:Vault":
      return {
        name,
        arn: `arn:aws:backup:${name.endsWith("-dr") ? "eu-central-1" : "eu-west-1"}:${accountId}:backup-vault:${name}`,
      };
    case "aws:backup/plan:Plan":
      return { id: `plan-${name}` };
    case "aws:iam/role:Role":
      return { name, arn: `arn:aws:iam::${accountId}:role/${name}` };
    default:
      return inputs.name ? { name: inputs.name } : {};
  }
};

const prod = recordProgram(
  "crest",
  "test",
  () => {
    new AuroraBackup("db-backup", {
      accountId,
      clusterArns,
      schedule: "cron(0 18 * * ? *)",
      retentionDays: 35,
      copyToDrRegion: true,
      vaultLock: true,
      copyTo: { region: "eu-central-1", provider: new aws.Provider("dr", { region: "eu-central-1" }) },
    });
  },
  { computedOutputs: known },
);
const dev = prod.then(() =>
  recordProgram(
    "crest",
    "test",
    () => {
      new AuroraBackup("dev-backup", {
        accountId,
        clusterArns,
        retentionDays: 7,
        copyToDrRegion: false,
        vaultLock: false,
        protect: false,
      });
    },
    { computedOutputs: known },
  ),
);

test("prod: a daily point kept 35 days in a vault with its own key, copied to a vault in the DR region", async () => {
  const rec = await prod;
  const plan = one(rec, "aws:backup/plan:Plan");
  const rules = plan.inputs.rules as Record<string, unknown>[];
  assert.deepEqual(rules, [
    {
      ruleName: "daily",
      targetVaultName: "db-backup",
      schedule: "cron(0 18 * * ? *)",
      startWindow: 60,
      completionWindow: 1440,
      lifecycle: { deleteAfter: 35 },
      copyActions: [
        {
          destinationVaultArn: `arn:aws:backup:eu-central-1:${accountId}:backup-vault:db-backup-dr`,
          lifecycle: { deleteAfter: 35 },
        },
      ],
    },
  ]);
  const dr = one(rec, "pulumi:providers:aws", "dr").urn;
  const [home, copy] = [
    one(rec, "aws:backup/vault:Vault", "db-backup"),
    one(rec, "aws:backup/vault:Vault", "db-backup-dr"),
  ];
  assert.notEqual(home.provider, dr);
  assert.equal(copy.provider, dr);
  assert.equal(home.inputs.kmsKeyArn, `arn:aws:kms:region:${accountId}:key/db-backup-vault`);
  assert.equal(copy.inputs.kmsKeyArn, `arn:aws:kms:region:${accountId}:key/db-backup-dr-vault`);
  assert.equal(one(rec, "aws:kms/key:Key", "db-backup-dr-vault").provider, dr);
  for (const vault of [home, copy]) {
    assert.equal(vault.protect, true);
    assert.equal(vault.inputs.forceDestroy, false);
  }
});

test("prod: both vaults are locked in compliance mode after a 3-day grace time", async () => {
  const locks = ofType(await prod, "aws:backup/vaultLockConfiguration:VaultLockConfiguration");
  assert.deepEqual(
    locks.map((l) => [
      l.inputs.backupVaultName,
      l.inputs.minRetentionDays,
      l.inputs.maxRetentionDays,
      l.inputs.changeableForDays,
    ]),
    [
      ["db-backup", 35, 365, 3],
      ["db-backup-dr", 35, 365, 3],
    ],
  );
});

test("the selection names the shard clusters, through a role only AWS Backup may assume", async () => {
  const rec = await prod;
  const selection = one(rec, "aws:backup/selection:Selection");
  assert.deepEqual(selection.inputs.resources, clusterArns);
  assert.equal(selection.inputs.planId, "plan-db-backup");
  const role = one(rec, "aws:iam/role:Role");
  assert.equal(selection.inputs.iamRoleArn, `arn:aws:iam::${accountId}:role/${role.name}`);
  assert.deepEqual(JSON.parse(String(role.inputs.assumeRolePolicy)).Statement, [
    { Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" },
  ]);
  assert.equal(
    one(rec, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").inputs.policyArn,
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
  );
});

test("dev: one vault, no copy and no lock, and nothing protected", async () => {
  const rec = await dev;
  assert.equal(ofType(rec, "aws:backup/vault:Vault").length, 1);
  assert.equal(ofType(rec, "aws:backup/vaultLockConfiguration:VaultLockConfiguration").length, 0);
  const [rule] = one(rec, "aws:backup/plan:Plan").inputs.rules as Record<string, unknown>[];
  assert.equal(rule?.copyActions, undefined);
  assert.deepEqual(rule?.lifecycle, { deleteAfter: 7 });
  assert.equal(one(rec, "aws:backup/vault:Vault").inputs.forceDestroy, true);
});

test("argument checks name the field, the value and what is allowed", () => {
  const base: AuroraBackupArgs = { accountId, clusterArns, copyToDrRegion: false };
  assert.deepEqual(auroraBackupArgsProblems(base), []);
  assert.deepEqual(
    auroraBackupArgsProblems({
      ...base,
      accountId: "12",
      clusterArns: [],
      retentionDays: 3,
      schedule: "daily",
    }),
    [
      { path: "accountId", value: "12", allowed: "a 12-digit AWS account id" },
      {
        path: "schedule",
        value: "daily",
        allowed: 'an AWS Backup cron expression in UTC, e.g. "cron(0 18 * * ? *)" (daily at 18:00)',
      },
      {
        path: "retentionDays",
        value: 3,
        allowed: "an integer from 7 to 36500 (a week of daily points at least)",
      },
      { path: "clusterArns", value: [], allowed: "at least one Aurora cluster ARN" },
    ],
  );
  assert.deepEqual(auroraBackupArgsProblems({ accountId, clusterArns }), [
    {
      path: "copyTo",
      value: undefined,
      allowed: "a region and its provider when copyToDrRegion is true (or copyToDrRegion: false)",
    },
  ]);
});
