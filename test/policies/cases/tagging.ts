import { res, standardTags } from "../fixtures";
import type { RuleCase } from "./ruleCase";

/** A provider without default tags, as a second-region provider might be declared by mistake. */
const untagged = res("pulumi:providers:aws", "dr", { region: "ap-northeast-1" }, { provider: null });
const retagged = res(
  "pulumi:providers:aws",
  "copied",
  {
    region: "ap-southeast-1",
    defaultTags: JSON.stringify({ tags: { ...standardTags, environment: "prod" } }),
  },
  { provider: null },
);

export const taggingCases: RuleCase[] = [
  {
    rule: "tagging-required-tags",
    failing: [
      {
        fixture: [untagged, res("aws:s3/bucket:Bucket", "copy", {}, { provider: untagged })],
        finding:
          /missing owner, environment, cost-center \(neither its tags nor provider dr's defaultTags set them\)/,
      },
      {
        fixture: [res("aws:ec2/vpc:Vpc", "vpc", { tags: { owner: "platform" } }, { provider: null })],
        finding:
          /missing environment, cost-center \(neither its tags nor provider default_7_48_0's defaultTags/,
      },
    ],
    passing: [
      [res("aws:s3/bucket:Bucket", "archive", {})],
      [untagged, res("aws:s3/bucket:Bucket", "copy", { tags: standardTags }, { provider: untagged })],
      // Route table associations take no tags; the SDK says so, and the rule does not judge them.
      [
        untagged,
        res("aws:ec2/routeTableAssociation:RouteTableAssociation", "assoc", {}, { provider: untagged }),
      ],
    ],
  },
  {
    rule: "tagging-environment-matches-stack",
    failing: [
      {
        fixture: [retagged, res("aws:s3/bucket:Bucket", "archive", {}, { provider: retagged })],
        finding: /environment tag is "prod", not "fixtures"/,
      },
    ],
    passing: [[res("aws:s3/bucket:Bucket", "archive", {})]],
  },
];
