import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { EncryptionKey, type ServiceGrant } from "./encryptionKey";
import type { Problem } from "./problems";
import { allowed, issueProblems } from "./schema";

/** Retention periods CloudWatch Logs accepts, in days. */
export const logRetentionDays = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Days a CloudWatch log group keeps events: one of the periods CloudWatch Logs accepts. */
const retentionPeriod = allowed(`one of CloudWatch Logs' retention periods: ${logRetentionDays.join(", ")}`);
export const logRetentionSchema = z
  .number(retentionPeriod)
  .int(retentionPeriod)
  .refine((days) => (logRetentionDays as readonly number[]).includes(days), retentionPeriod)
  .meta({ title: "a CloudWatch Logs retention period" });

export function logRetentionProblems(path: string, value: number | undefined): Problem[] {
  if (value === undefined) return [];
  return issueProblems(logRetentionSchema.safeParse(value).error?.issues ?? [], value).map((p) => ({
    ...p,
    path,
  }));
}

export interface LogGroupLocation {
  readonly region: string;
  readonly accountId: string;
  /** Log group name, e.g. `/crest/crest-prod/flow-logs`. */
  readonly logGroupName: string;
}

/** Lets CloudWatch Logs use a key for exactly one log group (the encryption context names it). */
export function cloudWatchLogsGrant({ region, accountId, logGroupName }: LogGroupLocation): ServiceGrant {
  return {
    sid: "CloudWatchLogsOfThisLogGroup",
    service: `logs.${region}.amazonaws.com`,
    condition: {
      ArnEquals: {
        "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${region}:${accountId}:log-group:${logGroupName}`,
      },
    },
  };
}

export interface EncryptedLogGroupArgs extends LogGroupLocation {
  /** What the logs are, for the key's description. */
  readonly description: string;
  readonly retentionInDays: number;
}

/** A log group encrypted with a customer-managed key of its own, usable by CloudWatch Logs for it only. */
export function encryptedLogGroup(
  name: string,
  args: EncryptedLogGroupArgs,
  opts: pulumi.CustomResourceOptions,
): aws.cloudwatch.LogGroup {
  const key = new EncryptionKey(
    name,
    {
      description: `Encrypts ${args.description}`,
      accountId: args.accountId,
      alias: name,
      serviceGrants: [cloudWatchLogsGrant(args)],
    },
    opts,
  );
  return new aws.cloudwatch.LogGroup(
    name,
    { name: args.logGroupName, retentionInDays: args.retentionInDays, kmsKeyId: key.keyArn },
    opts,
  );
}
