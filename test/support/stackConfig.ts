import assert from "node:assert/strict";
import { join } from "node:path";
import { StackConfigError } from "../../stacks/config/errors";
import { resolveStackConfig } from "../../stacks/config/load";
import { readCapacityProfile } from "../../tools/capacity/profile";

/**
 * The capacity profile config tests size against: a checked-in copy of the 2026-11-23 bench run's, so
 * their hand-computed needs hold whatever a new `npm run bench` writes to bench/capacity-profile.json.
 */
export const testCapacityProfile = readCapacityProfile(join(__dirname, "capacity-profile-2026-11-23.json"));

/** A valid prod stack's raw config, as Pulumi hands it to the program: every required key, no more. */
export const prodConfig: Readonly<Record<string, string>> = {
  "crest:tier": "prod",
  "crest:region": "eu-west-1",
  "crest:accountId": "123456789012",
  "crest:owner": "platform",
  "crest:costCenter": "cc-1",
  "crest:network": JSON.stringify({ vpcCidr: "10.40.0.0/16" }),
  "crest:storage": JSON.stringify({ drRegion: "eu-central-1" }),
  "crest:edge": JSON.stringify({ domainName: "api.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" }),
  "crest:wechat": JSON.stringify({ appId: "wx0123456789abcdef" }),
};

/** The same stack on the dev tier, which needs no disaster-recovery region. */
export const devConfig: Readonly<Record<string, string>> = {
  ...prodConfig,
  "crest:tier": "dev",
  "crest:storage": "{}",
};

/** The problem lines a raw config produces (a key set to undefined is left out), or [] when it resolves. */
export function configProblems(raw: Readonly<Record<string, string | undefined>>): string[] {
  const defined = Object.fromEntries(
    Object.entries(raw).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  try {
    resolveStackConfig("test", defined, testCapacityProfile);
    return [];
  } catch (error) {
    assert.ok(StackConfigError.is(error), `expected StackConfigError, got ${String(error)}`);
    return error.message.split("\n").slice(1);
  }
}

/** The problem lines of a stack whose `crest:<section>` is `value`. */
export function sectionProblems(
  section: string,
  value: object,
  base: Readonly<Record<string, string>> = prodConfig,
): string[] {
  return configProblems({ ...base, [`crest:${section}`]: JSON.stringify(value) });
}
