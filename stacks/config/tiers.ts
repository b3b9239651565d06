import type { NatGatewayMode } from "../../infra/network";
import type { Tier } from "./schema";

/** Every setting that has a default, resolved for one tier. */
export interface TierDefaults {
  /** How many of the region's AZs a stack spans when it does not list them. */
  readonly availabilityZoneCount: number;
  /** The fewest AZs the tier accepts. */
  readonly minAvailabilityZones: number;
  readonly network: {
    readonly natGateways: NatGatewayMode;
    readonly flowLogRetentionDays: number;
  };
}

/** The highly available, secure baseline. Production runs on exactly this. */
const prod: TierDefaults = {
  availabilityZoneCount: 3,
  minAvailabilityZones: 3,
  network: { natGateways: "perAz", flowLogRetentionDays: 365 },
};

/**
 * The one place where dev trades redundancy and size for cost. Security settings are never
 * overridden here: dev differs from prod in size and redundancy only.
 */
const dev: TierDefaults = {
  ...prod,
  availabilityZoneCount: 2,
  minAvailabilityZones: 2,
  network: { ...prod.network, natGateways: "single", flowLogRetentionDays: 30 },
};

export const tierDefaults: Record<Tier, TierDefaults> = { dev, prod };
