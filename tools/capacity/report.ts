import type { StackConfig } from "../../stacks/config/types";
import type { CapacityProfile } from "./profile";
import { declaredSale, orderPipeline, simulationSetup } from "./setup";
import { fixesFor, type Sale, type SimulationResult, type SimulationSetup, simulate } from "./simulate";
import { farAbove, farAboveFactor, headroomPercent, type SizingRow, sizingRows } from "./sizing";
import { type OrderQueueResult, simulateOrderQueue } from "./worker";

/** The sale replayed against the stack's autoscaling, as the plan and `npm run capacity` report it. */
export interface SimulationSummary extends Omit<SimulationResult, "samples" | "secondsToFullCapacity"> {
  readonly secondsToFullCapacity: number | null;
  readonly podReadySeconds: number;
  readonly nodeProvisioningSeconds: number;
  readonly queueWaitSeconds: number;
  readonly orderQueue: OrderQueueResult;
  /** The least minReplicas held before the sale with which no second is over capacity; null when none within maxReplicas. */
  readonly preScaleMinReplicas: number | null;
  /** What would keep every second within capacity; empty when nothing is over it. */
  readonly fixes: readonly string[];
  /** The same sale with the declared window's pre-scale in force; null when the stack declares no window. */
  readonly withPreScale: {
    readonly minReplicas: number;
    readonly overloadedSeconds: number;
    readonly secondsToFullCapacity: number | null;
  } | null;
}

/** The plan document's `capacity` key: the declared sale, need against configured, and the replay. */
export interface CapacityReport {
  readonly profile: { readonly source: string; readonly measuredAt: string };
  readonly sale: Sale;
  readonly sizing: readonly (SizingRow & { readonly headroomPercent: number })[];
  /** Advisory: maxima far above the need, worth a look at their cost. */
  readonly notes: readonly string[];
  readonly simulation: SimulationSummary;
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");

/** The fixes the simulation finds for a sale that outruns the autoscaling, as sentences. */
function fixSentences(sale: Sale, setup: SimulationSetup, result: SimulationResult) {
  if (result.overloadedSeconds === 0) return { preScaleMinReplicas: setup.hpa.minReplicas, fixes: [] };
  const fixes = fixesFor(sale, setup);
  const lines: string[] = [];
  if (fixes.peakReplicas > setup.hpa.maxReplicas) {
    lines.push(
      `raise crest:workload.api.maxReplicas from ${setup.hpa.maxReplicas} to at least ${fixes.peakReplicas}`,
    );
  }
  lines.push(
    fixes.preScaleMinReplicas === undefined
      ? "no pre-scale within maxReplicas keeps up"
      : `pre-scale: hold minReplicas at ${fixes.preScaleMinReplicas} from before the sale (crest:capacity.saleWindow schedules it)`,
    fixes.scaleUpPodsPer15s === undefined
      ? "no scale-up policy alone meets the ramp: pods start too slowly, pre-scale"
      : `a scale-up policy of ${fixes.scaleUpPodsPer15s} pods every 15 s meets the ramp`,
  );
  return { preScaleMinReplicas: fixes.preScaleMinReplicas ?? null, fixes: lines };
}

/** Replays a sale against a stack's API fleet and order worker. */
export function simulationSummary(
  config: StackConfig,
  profile: CapacityProfile,
  sale: Sale = declaredSale(config),
): {
  summary: SimulationSummary;
  result: SimulationResult;
  /** The same sale with the declared window's pre-scale in force. */
  preScaled?: { readonly minReplicas: number; readonly result: SimulationResult };
  setup: SimulationSetup;
} {
  const setup = simulationSetup(config, profile);
  const result = simulate(sale, setup);
  const { preScaleMinReplicas, fixes } = fixSentences(sale, setup, result);
  const minReplicas = preScaleMinReplicas ?? setup.hpa.maxReplicas;
  const preScaled = config.capacity.saleWindow
    ? { minReplicas, result: simulate(sale, { ...setup, hpa: { ...setup.hpa, minReplicas } }) }
    : undefined;
  const { samples: _samples, ...figures } = result;
  return {
    setup,
    result,
    preScaled,
    summary: {
      ...figures,
      secondsToFullCapacity: result.secondsToFullCapacity ?? null,
      podReadySeconds: setup.podReadySeconds,
      nodeProvisioningSeconds: setup.nodeType.provisioningSeconds,
      queueWaitSeconds: setup.queueWaitSeconds,
      orderQueue: simulateOrderQueue(sale, orderPipeline(config, profile)),
      preScaleMinReplicas,
      fixes,
      withPreScale: preScaled
        ? {
            minReplicas,
            overloadedSeconds: preScaled.result.overloadedSeconds,
            secondsToFullCapacity: preScaled.result.secondsToFullCapacity ?? null,
          }
        : null,
    },
  };
}

export function capacityReport(config: StackConfig, profile: CapacityProfile): CapacityReport {
  const rows = sizingRows(config, profile);
  return {
    profile: { source: profile.source, measuredAt: profile.measuredAt },
    sale: declaredSale(config),
    sizing: rows.map((row) => ({ ...row, headroomPercent: headroomPercent(row) })),
    notes: farAbove(rows).map(
      (row) =>
        `crest:${row.key} is ${row.configured}, ${farAboveFactor}× or more the ${row.need} the declared peak needs: check its cost`,
    ),
    simulation: simulationSummary(config, profile).summary,
  };
}

/** The simulation's figures as report lines, shared by the plan's summary and `npm run capacity`. */
export function simulationLines(s: SimulationSummary): string[] {
  const full = s.secondsToFullCapacity === null ? "never (within the sale)" : `${s.secondsToFullCapacity} s`;
  return [
    `time to full capacity: ${full} (pods Ready ${s.podReadySeconds} s after scheduling; a new node ${s.nodeProvisioningSeconds} s)`,
    `demand over capacity: ${s.overloadedSeconds} s; queued and served late: ${int(s.servedLateReads)} reads, ${int(s.servedLateOrders)} order attempts, the longest after ${s.longestWaitSeconds} s; shed after waiting ${s.queueWaitSeconds} s: ${int(s.shedReads)} reads, ${int(s.shedOrders)} order attempts`,
    `rate limited (429, buyers trying faster than the per-user bucket refills): ${int(s.rateLimitedOrders)} order attempts`,
    `peak: ${s.peakPods} API pods, ${s.peakNodes} nodes`,
    `order worker: at most ${int(s.orderQueue.peakBacklog)} accepted orders wait in Kafka, the longest ${s.orderQueue.longestWaitSeconds} s; its HPA peaks at ${s.orderQueue.peakWorkerPods} pods`,
    ...s.fixes.map((fix) => `fix: ${fix}`),
    ...(s.withPreScale
      ? [
          `with the sale window's pre-scale to ${s.withPreScale.minReplicas} API pods: ${s.withPreScale.overloadedSeconds} s over capacity`,
        ]
      : []),
  ];
}

/** The console section of the plan: need against configured, advisory notes, the replay. */
export function formatCapacitySummary(report: CapacityReport): string[] {
  const sale = report.sale;
  return [
    `Capacity — declared peak ${int(sale.peakReadsPerSecond)} reads/s, ${int(sale.peakOrdersPerSecond)} order attempts/s (${int(sale.expectedOrdersPerSecond)} succeed), ${sale.rampSeconds} s ramp, held ${sale.durationSeconds} s; profile ${report.profile.source}`,
    ...report.sizing.map(
      (r) =>
        `  ${`crest:${r.key}`.padEnd(34)} need ${String(r.need).padStart(4)}  configured ${String(r.configured).padStart(4)}  headroom ${r.headroomPercent} %`,
    ),
    ...report.notes.map((note) => `  note: ${note}`),
    ...simulationLines(report.simulation).map((line) => `  ${line}`),
    "",
  ];
}

/** The Markdown section of the plan: the same figures as a table and a list. */
export function formatCapacityMarkdown(report: CapacityReport, cell: (text: string) => string): string[] {
  const sale = report.sale;
  return [
    "### Capacity",
    "",
    `Declared sale: ${int(sale.baselineReadsPerSecond)} → ${int(sale.peakReadsPerSecond)} reads/s and ${int(sale.baselineOrdersPerSecond)} → ${int(sale.peakOrdersPerSecond)} order attempts/s (${int(sale.expectedOrdersPerSecond)} orders/s succeed) over a ${sale.rampSeconds} s ramp, held ${sale.durationSeconds} s. Per-pod throughput: \`${report.profile.source}\` (measured ${report.profile.measuredAt}).`,
    "",
    "| Key | What | Need at peak | Configured | Headroom | Basis |",
    "| --- | --- | ---: | ---: | ---: | --- |",
    ...report.sizing.map(
      (r) =>
        `| \`crest:${r.key}\` | ${cell(r.what)} | ${r.need} | ${r.configured} | ${r.headroomPercent} % | ${cell(r.basis)} |`,
    ),
    "",
    ...report.notes.map((note) => `- note: ${cell(note)}`),
    ...simulationLines(report.simulation).map((line) => `- ${cell(line)}`),
    "",
  ];
}
