import { join } from "node:path";
import * as aws from "@pulumi/aws";
import * as dockerBuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import { EncryptionKey } from "../lib/encryptionKey";
import type { Problem } from "../lib/problems";
import type { WorkloadArgs } from "./args";
import { contentTag } from "./imageTag";

/**
 * The image part of the workload: the ECR repository (KMS-encrypted, immutable tags, scanned,
 * pruned) and the app image built from source into it. The Kubernetes part only takes its reference.
 */

/** ECR repository names: lowercase path segments of letters and digits joined by . _ - , 2–256 long. */
export function repositoryNameProblems(name: string): Problem[] {
  const pattern = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
  return pattern.test(name) && name.length >= 2 && name.length <= 256
    ? []
    : [
        {
          path: "name",
          value: name,
          allowed: "an ECR repository name: lowercase a-z 0-9 . _ - /, 2–256 long",
        },
      ];
}

/** What the image part reads of the workload's arguments. */
export type AppImageArgs = Pick<WorkloadArgs, "accountId" | "region" | "image" | "keepImages" | "protect">;

export interface AppImage {
  readonly repositoryUrl: string;
  /** Content tag of the image this deploy ships. */
  readonly tag: string;
  /** `<repository>:<tag>@<digest>`: what the pods run. */
  readonly ref: pulumi.Output<string>;
}

/**
 * The repository and the image built into it, children of `parent` (the workload: their URNs stay
 * those of the resources the workload always declared).
 */
export function appImage(name: string, args: AppImageArgs, parent: pulumi.Resource): AppImage {
  const protect = args.protect ?? true;
  const repositoryUrl = `${args.accountId}.dkr.ecr.${args.region}.amazonaws.com/${name}`;
  const tag = contentTag(args.image.context, args.image.dockerfile, args.image.sources);
  const key = new EncryptionKey(
    `${name}-images`,
    { description: `the app images of ${name}`, accountId: args.accountId, alias: `${name}-images` },
    { parent },
  );
  const repository = new aws.ecr.Repository(
    name,
    {
      name,
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: key.keyArn }],
      forceDelete: !protect,
    },
    { parent, protect },
  );
  new aws.ecr.LifecyclePolicy(
    name,
    {
      repository: repository.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: "Untagged manifests (superseded build outputs) after a day",
            selection: {
              tagStatus: "untagged",
              countType: "sinceImagePushed",
              countUnit: "days",
              countNumber: 1,
            },
            action: { type: "expire" },
          },
          {
            rulePriority: 2,
            description: "Keep the newest images for rollbacks",
            selection: {
              tagStatus: "any",
              countType: "imageCountMoreThan",
              countNumber: args.keepImages ?? 50,
            },
            action: { type: "expire" },
          },
        ],
      }),
    },
    { parent },
  );
  const image = new dockerBuild.Image(
    name,
    {
      context: { location: args.image.context },
      dockerfile: { location: join(args.image.context, args.image.dockerfile) },
      platforms: [args.image.platform ?? "linux/arm64"],
      push: true,
      tags: [`${repositoryUrl}:${tag}`],
    },
    // Old tags stay for rollbacks (the lifecycle policy expires them) instead of vanishing on replace.
    { parent, dependsOn: [repository], retainOnDelete: true },
  );
  return { repositoryUrl, tag, ref: pulumi.interpolate`${repositoryUrl}:${tag}@${image.digest}` };
}
