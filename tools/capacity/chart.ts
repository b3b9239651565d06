import { type Box, colors, document, legend, line, panelTitle, text, yAxis } from "../bench/svg";
import type { SimulationResult } from "./simulate";

const width = 760;
const height = 360;
const box: Box = { x: 70, y: 80, width: 650, height: 230 };

function polyline(points: readonly [number, number][], stroke: string): string {
  const path = points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ");
  return `<polyline points="${path}" fill="none" stroke="${stroke}" stroke-width="2"/>`;
}

/** Demand against the Ready pods' capacity over the sale, in requests per second; `preScaled` adds the same sale with the pre-scale in force. */
export function renderSimulationChart(
  title: string,
  result: SimulationResult,
  preScaled?: { readonly minReplicas: number; readonly result: SimulationResult },
): string {
  const { samples } = result;
  const last = samples[samples.length - 1]?.t ?? 1;
  const max = Math.max(...samples.map((s) => Math.max(s.demand, s.capacity)), 1);
  const axis = yAxis(box, max, "requests / s");
  const x = (t: number) => box.x + (t / Math.max(last, 1)) * box.width;
  const body = [
    panelTitle(box, title),
    ...legend(box.x, box.y - 24, [
      { label: "demand", color: colors.target },
      { label: "capacity (HPA alone)", color: colors.app },
      ...(preScaled
        ? [{ label: `capacity (pre-scaled to ${preScaled.minReplicas})`, color: colors.met }]
        : []),
    ]),
    ...axis.svg,
    line(box.x, box.y + box.height, box.x + box.width, box.y + box.height, colors.axis),
    ...[0, 0.25, 0.5, 0.75, 1].map((f) =>
      text(x(f * last), box.y + box.height + 16, `${Math.round(f * last)} s`, { size: 11, anchor: "middle" }),
    ),
    polyline(
      samples.map((s) => [x(s.t), axis.y(s.demand)]),
      colors.target,
    ),
    polyline(
      samples.map((s) => [x(s.t), axis.y(s.capacity)]),
      colors.app,
    ),
    ...(preScaled
      ? [
          polyline(
            preScaled.result.samples.map((s) => [x(s.t), axis.y(Math.min(s.capacity, max))]),
            colors.met,
          ),
        ]
      : []),
    text(
      box.x,
      box.y + box.height + 40,
      `peak ${result.peakPods} pods, ${result.peakNodes} nodes; ${result.overloadedSeconds} s over capacity`,
      { size: 11, color: colors.axis },
    ),
  ];
  return document(width, height, body);
}
