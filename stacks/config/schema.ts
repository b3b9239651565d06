import { z } from "zod";
import { logRetentionDays } from "../../infra/network";

/**
 * The shape of every `crest:*` key a stack file may set. Every field is described: the README's
 * config reference is generated from these descriptions and the tier defaults (`npm run docs`).
 * Fields without a tier default are required. Error text for a bad value is built from the
 * `allowed` phrases below, so a message always says what would have been accepted.
 */
const allowed = (phrase: string) => ({ error: phrase });

export const tiers = ["dev", "prod"] as const;
export type Tier = (typeof tiers)[number];

const tagValue = (what: string) =>
  z
    .string(allowed(`a ${what}: 1–64 of a-z 0-9 - _ . (lower case, used in tags and names)`))
    .regex(
      /^[a-z0-9][a-z0-9._-]{0,63}$/,
      allowed(`a ${what}: 1–64 of a-z 0-9 - _ . starting with a letter or digit`),
    );

export const networkSchema = z.strictObject(
  {
    availabilityZones: z
      .array(z.string(allowed("an AZ name string")), allowed("a list of AZ names of the stack's region"))
      .optional()
      .describe(
        "AZ names the stack spans, in subnet-carving order. Default: the first N AZs of the region in stacks/config/regions.ts (N = 2 for dev, 3 for prod).",
      ),
    vpcCidr: z
      .string(allowed('a private IPv4 CIDR string such as "10.20.0.0/16"'))
      .describe(
        "Private IPv4 CIDR of the VPC, /16 to /20. Must not overlap another stack's, so regions can be peered.",
      ),
    natGateways: z
      .enum(["perAz", "single"], allowed('"perAz" or "single"'))
      .optional()
      .describe("NAT gateways: one per AZ (AZ-independent egress) or a single shared one (cheaper)."),
    flowLogRetentionDays: z
      .number(allowed("a whole number of days"))
      .int(allowed("a whole number of days"))
      .optional()
      .describe(`Days VPC flow logs are kept; one of CloudWatch's periods (${logRetentionDays.join(", ")}).`),
  },
  allowed("a map with at least vpcCidr"),
);

export const stackConfigSchema = z.strictObject({
  tier: z
    .enum(tiers, allowed(`one of ${tiers.map((t) => `"${t}"`).join(", ")}`))
    .describe("Environment tier: selects the defaults below. dev is small and cheap, prod highly available."),
  region: z
    .string(allowed("an AWS region name string"))
    .describe("AWS region of the stack; one of the regions in stacks/config/regions.ts."),
  accountId: z
    .string(allowed("a 12-digit AWS account id, quoted"))
    .regex(/^\d{12}$/, allowed("a 12-digit AWS account id, quoted"))
    .describe("AWS account the stack deploys into; the provider refuses any other account's credentials."),
  owner: tagValue("team name").describe("Team that owns the stack; the `owner` tag on every resource."),
  costCenter: tagValue("cost center").describe(
    "Cost center billed; the `cost-center` tag on every resource.",
  ),
  network: networkSchema.describe("The VPC and its subnets."),
});

/** What a stack file holds, before tier defaults are applied. */
export type StackConfigInput = z.infer<typeof stackConfigSchema>;

/** The keys of the map at `path` (e.g. `["network"]`); empty where there is no map. */
export function keysAt(path: readonly PropertyKey[], schema: z.ZodType = stackConfigSchema): string[] {
  const [head, ...rest] = path;
  const shape = shapeOf(schema);
  if (head === undefined) return Object.keys(shape);
  const child = shape[String(head)];
  return child ? keysAt(rest, child) : [];
}

/** Dotted paths of every key and nested key the schema accepts, e.g. `network.vpcCidr`. */
export function configKeyPaths(schema: z.ZodType = stackConfigSchema, prefix = ""): string[] {
  return Object.entries(shapeOf(schema)).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...configKeyPaths(child, path)];
  });
}

function shapeOf(schema: z.ZodType): Record<string, z.ZodType> {
  const inner = schema instanceof z.ZodOptional ? schema.unwrap() : schema;
  return inner instanceof z.ZodObject ? (inner.shape as Record<string, z.ZodType>) : {};
}
