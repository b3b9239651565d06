/**
 * AWS commercial regions Crest can deploy to, with the Availability Zone *names* a stack may use.
 *
 * Source: the AWS documentation "Regions and Zones" (docs.aws.amazon.com/global-infrastructure/
 * latest/regions/aws-availability-zones.html) and `aws ec2 describe-availability-zones --region R
 * --filters Name=zone-type,Values=availability-zone`, as of 2026. AZ names map to different
 * physical zones per account, and a few zones are closed to new accounts (ap-northeast-1b,
 * us-west-1a for most accounts); the lists below hold the zones open to new accounts. Check your
 * account with the command above before you pin a stack to a zone.
 *
 * The table is checked in so that a plan is offline and deterministic: AZ names come from stack
 * config, validated against this table, never from a live lookup.
 */
export const regions = {
  "us-east-1": ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"],
  "us-east-2": ["us-east-2a", "us-east-2b", "us-east-2c"],
  "us-west-1": ["us-west-1b", "us-west-1c"],
  "us-west-2": ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"],
  "ca-central-1": ["ca-central-1a", "ca-central-1b", "ca-central-1d"],
  "sa-east-1": ["sa-east-1a", "sa-east-1b", "sa-east-1c"],
  "eu-west-1": ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
  "eu-west-2": ["eu-west-2a", "eu-west-2b", "eu-west-2c"],
  "eu-west-3": ["eu-west-3a", "eu-west-3b", "eu-west-3c"],
  "eu-central-1": ["eu-central-1a", "eu-central-1b", "eu-central-1c"],
  "eu-north-1": ["eu-north-1a", "eu-north-1b", "eu-north-1c"],
  "ap-east-1": ["ap-east-1a", "ap-east-1b", "ap-east-1c"],
  "ap-south-1": ["ap-south-1a", "ap-south-1b", "ap-south-1c"],
  "ap-southeast-1": ["ap-southeast-1a", "ap-southeast-1b", "ap-southeast-1c"],
  "ap-southeast-2": ["ap-southeast-2a", "ap-southeast-2b", "ap-southeast-2c"],
  "ap-northeast-1": ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"],
  "ap-northeast-2": ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c", "ap-northeast-2d"],
} as const satisfies Record<string, readonly string[]>;

export type RegionName = keyof typeof regions;

/**
 * Regions of the table that an account must enable before it can create anything there: AWS
 * enables the Regions launched before 20 March 2019 by default, and the later ones only on request
 * (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html).
 */
export const optInRegions: ReadonlySet<RegionName> = new Set<RegionName>(["ap-east-1"]);

export const regionNames = Object.keys(regions) as RegionName[];

export function isRegionName(value: string): value is RegionName {
  return Object.hasOwn(regions, value);
}
