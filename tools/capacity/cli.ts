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
import { simulationSetup } from "./setup";
import { fixesFor, type Sale, simulate } from "./simulate";

export const usage = `usage: npm run capacity -- --stack <name> --peak-rps <n> [options]
  --stack <name>             stack whose Pulumi.<name>.yaml settings are simulated
  --peak-rps <n>             cached reads per second at the sale's peak (required)
  --peak-orders <n>          order attempts per second at the peak (default 0)
  --baseline-rps <n>         reads per second before the sale (default 0)
  --baseline-orders <n>      order attempts per second before the sale (default 0)
  --ramp-seconds <n>         seconds from baseline to peak (default 30)
  --duration-seconds <n>     seconds the peak lasts (default 300)
  --out <file.svg>           chart (default bench/results/capacity-<stack>.svg)`;

const flagSpec = {
  stack: { type: "string" },
  "peak-rps": { type: "string" },
  "peak-orders": { type: "string", default: "0" },
  "baseline-rps": { type: "string", default: "0" },
  "baseline-orders": { type: "string", default: "0" },
  "ramp-seconds": { type: "string", default: "30" },
  "duration-seconds": { type: "string", default: "300" },
  out: { type: "string" },
} as const;

function count(flag: string, value: string | undefined, max: number): number {
  const n = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || n > max) {
    throw new UsageError(`--${flag}: got "${value ?? ""}"; allowed: a whole number from 0 to ${max}`);
  }
  return n;
}

/** The sale the flags declare; bad values are usage errors naming the flag. */
export function saleFromFlags(flags: Record<string, string | undefined>): Sale {
  const sale: Sale = {
    peakReadsPerSecond: count("peak-rps", flags["peak-rps"], 10_000_000),
    peakOrdersPerSecond: count("peak-orders", flags["peak-orders"], 10_000_000),
    baselineReadsPerSecond: count("baseline-rps", flags["baseline-rps"], 10_000_000),
    baselineOrdersPerSecond: count("baseline-orders", flags["baseline-orders"], 10_000_000),
    rampSeconds: count("ramp-seconds", flags["ramp-seconds"], 3600),
    durationSeconds: count("duration-seconds", flags["duration-seconds"], 86_400),
  };
  if (sale.baselineReadsPerSecond > sale.peakReadsPerSecond) {
    throw new UsageError(
      `--baseline-rps: got ${sale.baselineReadsPerSecond}; allowed: at most --peak-rps (${sale.peakReadsPerSecond})`,
    );
  }
  if (sale.baselineOrdersPerSecond > sale.peakOrdersPerSecond) {
    throw new UsageError(
      `--baseline-orders: got ${sale.baselineOrdersPerSecond}; allowed: at most --peak-orders (${sale.peakOrdersPerSecond})`,
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
  const sale = saleFromFlags(flags);
  let settings: ReturnType<typeof readStackSettings>;
  try {
    settings = readStackSettings(root, flags.stack);
  } catch (error) {
    if (error instanceof PlanUsageError) throw new UsageError(error.message);
    throw error;
  }
  const config = resolveStackConfig(flags.stack, settings.config);
  const profile = readCapacityProfile(join(root, capacityProfilePath));
  const setup = simulationSetup(config, profile);
  const result = simulate(sale, setup);
  const node = allocatable(setup.nodeType);
  const out = flags.out ?? join(root, "bench", "results", `capacity-${flags.stack}.svg`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    renderSimulationChart(
      `${flags.stack}: ${int(sale.peakReadsPerSecond)} reads/s + ${int(sale.peakOrdersPerSecond)} orders/s, ${sale.rampSeconds} s ramp`,
      result,
    ),
  );

  const lines = [
    `capacity simulation, stack ${flags.stack} (profile ${profile.source}, measured ${profile.measuredAt} on ${profile.machine.cpuModel} × ${profile.machine.cores})`,
    `  per API pod at ${setup.pod.millicores}m: ${perSecond((profile.cachedReadsPerCpuSecond * setup.pod.millicores) / 1000)} cached reads/s or ${perSecond((profile.orderAttemptsPerCpuSecond * setup.pod.millicores) / 1000)} order attempts/s`,
    `  node ${config.cluster.nodeInstanceTypes[0]}: allocatable ${node.millicores}m, ${node.memoryMiB} MiB, ${node.pods} pods; ${podsPerNode(setup.nodeType, setup.pod)} API-sized pods after DaemonSets; provisioning ${setup.nodeType.provisioningSeconds} s (assumed)`,
    `  HPA ${setup.hpa.minReplicas}..${setup.hpa.maxReplicas} at ${setup.hpa.targetUtilization} % CPU, sync ${hpaSyncSeconds} s; pod scheduled → Ready ${setup.podReadySeconds} s`,
    `  time to full capacity: ${result.secondsToFullCapacity === undefined ? "never (within the sale)" : `${result.secondsToFullCapacity} s`}`,
    `  demand over capacity: ${result.overloadedSeconds} s; shed ${int(result.shedReads)} reads, ${int(result.shedOrders)} order attempts`,
    `  peak: ${result.peakPods} API pods, ${result.peakNodes} nodes`,
    `  chart: ${out}`,
  ];
  if (result.shedReads + result.shedOrders > 0) {
    const fixes = fixesFor(sale, setup);
    lines.push(`  the peak needs ${fixes.peakReplicas} API pods at 100 % of the CPU request`);
    if (fixes.peakReplicas > setup.hpa.maxReplicas) {
      lines.push(
        `  fix: crest:workload.api.maxReplicas ${setup.hpa.maxReplicas} → at least ${fixes.peakReplicas}`,
      );
    }
    lines.push(
      fixes.preScaleMinReplicas === undefined
        ? "  fix: no pre-scale within maxReplicas serves the sale"
        : `  fix: pre-scale minReplicas to ${fixes.preScaleMinReplicas} before the sale`,
      fixes.scaleUpPodsPer15s === undefined
        ? "  fix: no scale-up policy alone meets the ramp (pods start too slowly): pre-scale"
        : `  fix: a scale-up policy of ${fixes.scaleUpPodsPer15s} pods every 15 s meets the ramp`,
    );
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}

runCommand("capacity", usage, 1, () => capacity(process.argv.slice(2)));
