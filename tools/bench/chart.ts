import type { Comparison } from "../../app/bench/httpLoad";
import type { BenchDocument } from "./results";
import {
  type BarGroup,
  type Box,
  colors,
  document,
  groupedBars,
  legend,
  panelTitle,
  scatterWithFit,
  text,
} from "./svg";

const width = 980;
/** Below the panels: one line saying how many targets were met, then one per missed target. */
const footerTop = 765;
const footerLine = 18;
const panels: Record<"rps" | "p99" | "pipeline" | "plan", Box> = {
  rps: { x: 80, y: 150, width: 380, height: 220 },
  p99: { x: 580, y: 150, width: 370, height: 220 },
  pipeline: { x: 80, y: 500, width: 380, height: 200 },
  plan: { x: 580, y: 500, width: 370, height: 200 },
};

interface Scenario extends Comparison {
  readonly label: string;
  /** The app/bare ratio the issue asks for in this scenario. */
  readonly targetRatio: number;
}

function scenarios(doc: BenchDocument): Scenario[] {
  const read = (doc.app?.cachedRead?.byConnections ?? []).map((c) => ({
    ...c,
    label: `GET catalog\n${c.connections} conns`,
    targetRatio: 0.8,
  }));
  const orders = doc.app?.orderPlacement;
  return orders
    ? [...read, { ...orders, label: `POST order\n${orders.connections} conns`, targetRatio: 0.5 }]
    : read;
}

function httpPanels(doc: BenchDocument): string[] {
  const runs = scenarios(doc);
  if (runs.length === 0) return [];
  const rpsGroups: BarGroup[] = runs.map((s) => ({
    label: s.label,
    bars: [
      { value: s.app.requestsPerSecond, color: colors.app },
      { value: s.bare.requestsPerSecond, color: colors.bare },
    ],
    note: {
      text: `${s.rpsRatio.toFixed(2)}× bare\ngoal ≥ ${s.targetRatio}`,
      color: s.rpsRatio >= s.targetRatio ? colors.met : colors.missed,
    },
  }));
  const p99Groups: BarGroup[] = runs.map((s) => ({
    label: s.label,
    bars: [
      { value: s.app.p99Ms, color: colors.app },
      { value: s.bare.p99Ms, color: colors.bare },
    ],
  }));
  return [
    panelTitle(panels.rps, "Requests/s (2xx): app vs bare Express"),
    ...groupedBars(panels.rps, rpsGroups, { axisLabel: "requests per second" }),
    panelTitle(panels.p99, "p99 latency (ms): app vs bare Express"),
    ...groupedBars(panels.p99, p99Groups, {
      axisLabel: "milliseconds",
      target: { value: 25, label: "read goal: ≤ 25 ms at 50 conns" },
    }),
  ];
}

function pipelinePanel(doc: BenchDocument): string[] {
  const pipeline = doc.app?.pipeline;
  if (!pipeline) return [];
  return [
    panelTitle(panels.pipeline, `Worker drain: orders/s into ${pipeline.shards} MySQL shards`),
    ...groupedBars(
      panels.pipeline,
      pipeline.runs.map((r) => ({
        label: `batch ${r.batchSize}`,
        bars: [{ value: r.ordersPerSecond, color: r.ordersPerSecond >= 5_000 ? colors.met : colors.missed }],
      })),
      { axisLabel: "orders per second", target: { value: 5_000, label: "goal ≥ 5,000/s" } },
    ),
  ];
}

function planPanel(doc: BenchDocument): string[] {
  const plan = doc.plan;
  if (!plan) return [];
  return [
    panelTitle(
      panels.plan,
      `Plan time vs resources: ${plan.fit.secondsPer100Resources.toFixed(2)} s per 100 (fit)`,
    ),
    ...scatterWithFit(
      panels.plan,
      plan.points.map((p) => ({ x: p.resources, y: p.wallSeconds, label: p.label })),
      plan.fit,
      { xLabel: "resources", yLabel: "wall seconds", target: { value: 10, label: "prod goal < 10 s" } },
    ),
  ];
}

/** The run at a glance: rps and p99 app vs bare, pipeline drain per batch size, plan scaling. */
export function renderChart(doc: BenchDocument): string {
  const m = doc.machine;
  const missed = doc.targets.filter((t) => !t.met);
  const footer = [
    {
      line: `Targets met: ${doc.targets.length - missed.length} of ${doc.targets.length}`,
      color: missed.length > 0 ? colors.missed : colors.met,
    },
    ...missed.map((t) => ({
      line: `missed: ${t.name}: ${t.actual} (goal ${t.target})`,
      color: colors.missed,
    })),
  ];
  return document(width, footerTop + footer.length * footerLine + 10, [
    text(24, 32, `Crest benchmark, ${doc.startedAt}`, { size: 18, weight: "bold" }),
    text(
      24,
      54,
      `${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, load ${m.loadAverageAtStart} at start`,
      {
        size: 12,
        color: colors.axis,
      },
    ),
    ...legend(24, 80, [
      { label: "app", color: colors.app },
      { label: "bare Express", color: colors.bare },
    ]),
    ...httpPanels(doc),
    ...pipelinePanel(doc),
    ...planPanel(doc),
    ...footer.map((f, i) => text(24, footerTop + i * footerLine, f.line, { size: 12, color: f.color })),
  ]);
}
