import { resolve } from "node:path";
import { declaredSaleProblems } from "../../infra/capacity/args";
import type { Problem } from "../../infra/lib/problems";
import { type CapacityProfile, capacityProfilePath, readCapacityProfile } from "../../tools/capacity/profile";
import { simulationSummary } from "../../tools/capacity/report";
import { shortfalls, sizingRows } from "../../tools/capacity/sizing";
import type { StackConfig } from "./types";

/** The measured per-pod throughput the sizes are checked against, read from the checked-in profile. */
export function stackCapacityProfile(): CapacityProfile {
  return readCapacityProfile(resolve(__dirname, "../..", capacityProfilePath));
}

/**
 * The declared sale's own consistency, then whether the configured maxima serve its peak: a key too
 * small for the peak is a config problem naming what it bounds and the least value that serves.
 */
export function capacityProblems(config: StackConfig, profile = stackCapacityProfile()): Problem[] {
  const sale = declaredSaleProblems(config.capacity).map((p) => ({ ...p, path: `crest:capacity.${p.path}` }));
  if (sale.length > 0) return sale;
  return shortfalls(sizingRows(config, profile)).map((row) => ({
    path: `crest:${row.key}`,
    value: row.configured,
    allowed: `at least ${row.need} — ${row.what}; ${row.basis}`,
  }));
}

/**
 * The API minReplicas to hold through the declared sale window: the least with which the replay
 * keeps every second within capacity (the sizing check has made sure maxReplicas serves the peak).
 */
export function preScaleMinReplicas(config: StackConfig, profile = stackCapacityProfile()): number {
  return simulationSummary(config, profile).summary.preScaleMinReplicas ?? config.workload.api.maxReplicas;
}
