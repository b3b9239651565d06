import type { StackConfig } from "../../stacks/config/load";
import { optInRegions } from "../../stacks/config/regions";
import type { ReviewNote } from "./relocate";

/**
 * What the new region must offer that the offline plan cannot know, listed for review: the first
 * `pulumi up` fails on a region the account has not enabled, or on a size the region does not sell.
 */
export function regionNotes(config: StackConfig): ReviewNote[] {
  return [...optInNotes(config), sizesNote(config)];
}

/** The new stack's regions that its account must enable first, or nothing can be created there. */
function optInNotes(config: StackConfig): ReviewNote[] {
  const keys = [
    ["crest:region", config.region],
    ["crest:storage.drRegion", config.storage.drRegion],
  ] as const;
  return keys.flatMap(([path, region]) =>
    region !== undefined && optInRegions.has(region)
      ? [
          {
            path,
            value: region,
            message:
              `an opt-in region: enable it for account ${config.accountId} first ` +
              `(\`aws account enable-region --region-name ${region}\`), or nothing can be created there`,
          },
        ]
      : [],
  );
}

/**
 * The sizes carried over from the source: each service offers its own per region, and a size the
 * region lacks fails at creation.
 */
function sizesNote(config: StackConfig): ReviewNote {
  const sizes = [
    config.mysql.instanceClass,
    config.redis.nodeType,
    config.kafka.instanceType,
    ...config.cluster.nodeInstanceTypes,
  ];
  const region = config.region;
  return {
    path: "sizes",
    value: sizes.join(", "),
    message:
      `kept from the source: check that ${region} offers each (e.g. \`aws rds describe-orderable-db-instance-options ` +
      `--engine aurora-mysql --db-instance-class ${config.mysql.instanceClass} --region ${region}\`, ` +
      `\`aws ec2 describe-instance-type-offerings --filters Name=instance-type,Values=${config.cluster.nodeInstanceTypes.join(",")} --region ${region}\`)`,
  };
}
