import { resolve } from "node:path";
import { parseFlags, UsageError } from "../bench/command";
import { root } from "../bench/planTiming";
import { faultIds } from "./faults";
import type { LoadPlan } from "./runFault";

/** The quick form leaves out the second MySQL shard fault: shard 1 stopped covers the kind. */
const quickSkips = ["catalog-shard-stopped"];

export const usage = `usage: npm run faults -- [options]
  --quick          the CI form: fewer orders, shorter load and settle, every fault but ${quickSkips.join(", ")}
  --only <list>    faults to run, comma-separated: ${faultIds.join(",")}
  --out <dir>      where results go (default bench/results)`;

/** The full run: 40 new buyers a second, about 7 minutes on 2 cores with every fault. */
export const fullPlan: LoadPlan = {
  ordersPerSecond: 40,
  leadSeconds: 3,
  afterSeconds: 8,
  settleSeconds: 60,
  retryWindowSeconds: 30,
  requestTimeoutMs: 5_000,
  replays: 20,
  clearAllowanceSeconds: 10,
};

/** The CI form: half the rate, shorter phases; stalls still outlast the worker's session timeout. */
export const quickPlan: LoadPlan = {
  ordersPerSecond: 20,
  leadSeconds: 2,
  afterSeconds: 4,
  settleSeconds: 30,
  retryWindowSeconds: 20,
  requestTimeoutMs: 5_000,
  replays: 10,
  clearAllowanceSeconds: 5,
};

export interface FaultOptions {
  readonly help: boolean;
  readonly quick: boolean;
  readonly faults: readonly string[];
  readonly plan: LoadPlan;
  readonly out: string;
}

export function parseFaultOptions(argv: readonly string[]): FaultOptions {
  const values = parseFlags(argv, {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    out: { type: "string", default: "bench/results" },
    help: { type: "boolean", default: false },
  });
  const defaults = values.quick ? faultIds.filter((id) => !quickSkips.includes(id)) : faultIds;
  const only = values.only === undefined ? defaults : values.only.split(",").map((id) => id.trim());
  const unknown = only.filter((id) => !faultIds.includes(id));
  if (unknown.length > 0 || only.length === 0) {
    throw new UsageError(`--only: got "${values.only}"; allowed: ${faultIds.join(", ")}, comma-separated`);
  }
  return {
    help: values.help,
    quick: values.quick,
    faults: faultIds.filter((id) => only.includes(id)),
    plan: values.quick ? quickPlan : fullPlan,
    out: resolve(root, values.out),
  };
}
