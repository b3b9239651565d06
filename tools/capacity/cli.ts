import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { resolveStackConfig } from "../../stacks/config/load";
import { parseFlags, runCommand, UsageError } from "../bench/command";
import { root } from "../bench/planTiming";
import { UsageError as PlanUsageError, readStackSettings } from "../plan/project";
import { renderSimulationChart } from "./chart";
import { hpaSyncSeconds } from "./hpa";
import { allocatable, podsPerNode } from "./nodes";
import { capacityProfilePath, readCapacityProfile } from "./profile";
import { simulationLines, simulationSummary } from "./report";
import { declaredSale } from "./setup";
import type { Sale } from "./simulate";

export const usage = `usage: npm run capacity -- --stack <name> [options]
  --stack <name>             stack whose Pulumi.<name>.yaml settings and declared sale (crest:capacity) are simulated
  --peak-rps <n>             cached reads per second at the sale's peak (default: the declared sale's)
  --peak-orders <n>          order attempts per second at the peak (default: declared)
  --expected-orders <n>      orders per second that succeed at the peak (default: declared)
  --baseline-rps <n>         reads per second before the sale (default: declared)
  --baseline-orders <n>      order attempts per second before the sale (default: declared)
  --attempts-per-buyer <n>   order attempts per second from one buyer (default: declared)
  --ramp-seconds <n>         seconds from baseline to peak (default: declared)
  --duration-seconds <n>     seconds the peak lasts (default: declared)
  --out <file.svg>           chart (default bench/results/capacity-<stack>.svg)`;

const flagSpec = {
  stack: { type: "string" },
  "peak-rps": { type: "string" },
  "peak-orders": { type: "string" },
  "expected-orders": { type: "string" },
  "baseline-rps": { type: "string" },
  "baseline-orders": { type: "string" },
  "attempts-per-buyer": { type: "string" },
  "ramp-seconds": { type: "string" },
  "duration-seconds": { type: "string" },
  out: { type: "string" },
} as const;

function count(flag: string, value: string | undefined, declared: number, max: number): number {
  if (value === undefined) return declared;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > max) {
    throw new UsageError(`--${flag}: got "${value}"; allowed: a whole number from 0 to ${max}`);
  }
  return n;
}

/** The declared sale with the flags laid over it; bad values are usage errors naming the flag. */
export function saleFromFlags(flags: Record<string, string | undefined>, declared: Sale): Sale {
  const sale: Sale = {
    peakReadsPerSecond: count("peak-rps", flags["peak-rps"], declared.peakReadsPerSecond, 10_000_000),
    peakOrdersPerSecond: count("peak-orders", flags["peak-orders"], declared.peakOrdersPerSecond, 10_000_000),
    expectedOrdersPerSecond: count(
      "expected-orders",
      flags["expected-orders"],
      declared.expectedOrdersPerSecond,
      10_000_000,
    ),
    baselineReadsPerSecond: count(
      "baseline-rps",
      flags["baseline-rps"],
      declared.baselineReadsPerSecond,
      10_000_000,
    ),
    baselineOrdersPerSecond: count(
      "baseline-orders",
      flags["baseline-orders"],
      declared.baselineOrdersPerSecond,
      10_000_000,
    ),
    attemptsPerBuyerPerSecond: count(
      "attempts-per-buyer",
      flags["attempts-per-buyer"],
      declared.attemptsPerBuyerPerSecond,
      100,
    ),
    rampSeconds: count("ramp-seconds", flags["ramp-seconds"], declared.rampSeconds, 3600),
    durationSeconds: count("duration-seconds", flags["duration-seconds"], declared.durationSeconds, 86_400),
  };
  const atMost = (flag: string, value: number, limit: string, max: number) => {
    if (value > max) throw new UsageError(`--${flag}: got ${value}; allowed: at most --${limit} (${max})`);
  };
  atMost("baseline-rps", sale.baselineReadsPerSecond, "peak-rps", sale.peakReadsPerSecond);
  atMost("baseline-orders", sale.baselineOrdersPerSecond, "peak-orders", sale.peakOrdersPerSecond);
  atMost("expected-orders", sale.expectedOrdersPerSecond, "peak-orders", sale.peakOrdersPerSecond);
  if (sale.attemptsPerBuyerPerSecond < 1) {
    throw new UsageError(
      `--attempts-per-buyer: got ${sale.attemptsPerBuyerPerSecond}; allowed: a whole number from 1 to 100`,
    );
  }
  if (sale.peakReadsPerSecond + sale.peakOrdersPerSecond === 0) {
    throw new UsageError(
      `--peak-rps: got 0 with --peak-orders 0; allowed: a sale with some load at its peak`,
    );
  }
  return sale;
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
/** Whole requests per second, rounded down like the profile's per-pod figures. */
const perSecond = (n: number) => Math.floor(n).toLocaleString("en-US");

async function capacity(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv, flagSpec);
  if (!flags.stack) throw new UsageError(`--stack: missing; allowed: the name of a Pulumi.<name>.yaml`);
  let settings: ReturnType<typeof readStackSettings>;
  try {
    settings = readStackSettings(root, flags.stack);
  } catch (error) {
    if (error instanceof PlanUsageError) throw new UsageError(error.message);
    throw error;
  }
  const config = resolveStackConfig(flags.stack, settings.config);
  const sale = saleFromFlags(flags, declaredSale(config));
  const profile = readCapacityProfile(join(root, capacityProfilePath));
  const { setup, result, preScaled, summary } = simulationSummary(config, profile, sale);
  const node = allocatable(setup.nodeType);
  const out = flags.out ?? join(root, "bench", "results", `capacity-${flags.stack}.svg`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    renderSimulationChart(
      `${flags.stack}: ${int(sale.peakReadsPerSecond)} reads/s + ${int(sale.peakOrdersPerSecond)} orders/s, ${sale.rampSeconds} s ramp`,
      result,
      preScaled,
    ),
  );

  const lines = [
    `capacity simulation, stack ${flags.stack} (profile ${profile.source}, measured ${profile.measuredAt} on ${profile.machine.cpuModel} × ${profile.machine.cores})`,
    `  per API pod at ${setup.pod.millicores}m: ${perSecond((profile.cachedReadsPerCpuSecond * setup.pod.millicores) / 1000)} cached reads/s or ${perSecond((profile.orderAttemptsPerCpuSecond * setup.pod.millicores) / 1000)} order attempts/s`,
    `  node ${config.cluster.nodeInstanceTypes[0]}: allocatable ${node.millicores}m, ${node.memoryMiB} MiB, ${node.pods} pods; ${podsPerNode(setup.nodeType, setup.pod)} API-sized pods after DaemonSets; provisioning ${setup.nodeType.provisioningSeconds} s (the Cluster Autoscaler FAQ's figure)`,
    `  HPA ${setup.hpa.minReplicas}..${setup.hpa.maxReplicas} at ${setup.hpa.targetUtilization} % CPU, sync ${hpaSyncSeconds} s`,
    ...simulationLines(summary).map((line) => `  ${line}`),
    `  chart: ${out}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}

runCommand("capacity", usage, 1, () => capacity(process.argv.slice(2)));
