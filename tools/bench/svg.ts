// Just enough SVG for the benchmark chart: panels with a y axis, grouped bars, a scatter with a
// fitted line, and dashed target lines. Hand-written so the chart needs no dependency.

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export const colors = {
  app: "#2563eb",
  bare: "#9ca3af",
  met: "#15803d",
  missed: "#b91c1c",
  target: "#dc2626",
  axis: "#374151",
  grid: "#e5e7eb",
  text: "#111827",
} as const;

const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const num = (n: number) => (Number.isFinite(n) ? Number(n.toFixed(1)) : 0);

export function text(
  x: number,
  y: number,
  content: string,
  options: { size?: number; anchor?: "start" | "middle" | "end"; color?: string; weight?: "bold" } = {},
): string {
  const weight = options.weight ? ` font-weight="${options.weight}"` : "";
  return `<text x="${num(x)}" y="${num(y)}" font-size="${options.size ?? 12}" text-anchor="${options.anchor ?? "start"}" fill="${options.color ?? colors.text}"${weight}>${escapeXml(content)}</text>`;
}

export function rect(x: number, y: number, width: number, height: number, fill: string): string {
  return `<rect x="${num(x)}" y="${num(y)}" width="${num(Math.max(0, width))}" height="${num(Math.max(0, height))}" fill="${fill}"/>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, stroke: string, dashed = false): string {
  const dash = dashed ? ` stroke-dasharray="6 4"` : "";
  return `<line x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}" stroke="${stroke}" stroke-width="${dashed ? 2 : 1}"${dash}/>`;
}

export function circle(x: number, y: number, r: number, fill: string): string {
  return `<circle cx="${num(x)}" cy="${num(y)}" r="${r}" fill="${fill}"/>`;
}

export function document(width: number, height: number, body: readonly string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    rect(0, 0, width, height, "#ffffff"),
    ...body,
    "</svg>",
    "",
  ].join("\n");
}

/** Round tick step (1, 2 or 5 × 10^n) giving at most `count` ticks up to `max`. */
function tickStep(max: number, count = 5): number {
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].map((m) => m * magnitude).find((step) => max / step <= count) ?? raw) as number;
}

export function compact(value: number): string {
  if (Math.abs(value) >= 1000) return `${Number((value / 1000).toFixed(1))}k`;
  if (Math.abs(value) >= 100) return value.toFixed(0);
  return String(Number(value.toFixed(1)));
}

/** Multi-line text: one line per "\n", `lineHeight` apart. */
function lines(
  x: number,
  y: number,
  content: string,
  options: Parameters<typeof text>[3] & { lineHeight?: number },
) {
  return content.split("\n").map((part, i) => text(x, y + i * (options.lineHeight ?? 13), part, options));
}

/** The dashed target's key, above the panel's top right corner (where it cannot cover a bar). */
function targetKey(box: Box, label: string): string[] {
  const right = box.x + box.width;
  return [
    line(right - 24, box.y - 12, right, box.y - 12, colors.target, true),
    text(right - 30, box.y - 8, label, { size: 11, anchor: "end", color: colors.target }),
  ];
}

/** A value scale from `min`..`max` (rounded up to a tick) onto the box height, and the y axis drawn. */
export function yAxis(
  box: Box,
  max: number,
  label: string,
  min = 0,
): { readonly y: (value: number) => number; readonly svg: string[] } {
  const step = tickStep(Math.max(max - min, 1e-9));
  const top = Math.ceil(max / step) * step;
  const bottom = Math.floor(min / step) * step;
  const y = (value: number) => box.y + box.height - ((value - bottom) / (top - bottom)) * box.height;
  const svg: string[] = [];
  for (let tick = bottom; tick <= top + step / 2; tick += step) {
    svg.push(line(box.x, y(tick), box.x + box.width, y(tick), colors.grid));
    svg.push(text(box.x - 6, y(tick) + 4, compact(tick), { size: 11, anchor: "end", color: colors.axis }));
  }
  svg.push(line(box.x, box.y, box.x, box.y + box.height, colors.axis));
  svg.push(
    `<text transform="translate(${num(box.x - 42)} ${num(box.y + box.height / 2)}) rotate(-90)" font-size="11" text-anchor="middle" fill="${colors.axis}">${escapeXml(label)}</text>`,
  );
  return { y, svg };
}

export function panelTitle(box: Box, title: string): string {
  return text(box.x, box.y - 46, title, { size: 14, weight: "bold" });
}

export interface BarGroup {
  /** Under the group; "\n" breaks the line. */
  readonly label: string;
  readonly bars: readonly { readonly value: number; readonly color: string }[];
  /** Printed above the group, e.g. the app/bare ratio; "\n" breaks the line. */
  readonly note?: { readonly text: string; readonly color: string };
}

/** Grouped vertical bars with values on top; an optional dashed target line across the panel. */
export function groupedBars(
  box: Box,
  groups: readonly BarGroup[],
  options: {
    readonly axisLabel: string;
    readonly target?: { readonly value: number; readonly label: string };
  },
): string[] {
  const values = groups.flatMap((g) => g.bars.map((b) => b.value));
  const { y, svg } = yAxis(box, Math.max(...values, options.target?.value ?? 0) * 1.15, options.axisLabel);
  const groupWidth = box.width / Math.max(groups.length, 1);
  groups.forEach((group, g) => {
    const barWidth = Math.min(46, (groupWidth * 0.7) / group.bars.length);
    const start = box.x + g * groupWidth + (groupWidth - barWidth * group.bars.length) / 2;
    group.bars.forEach((bar, b) => {
      const x = start + b * barWidth;
      svg.push(rect(x + 2, y(bar.value), barWidth - 4, y(0) - y(bar.value), bar.color));
      svg.push(text(x + barWidth / 2, y(bar.value) - 4, compact(bar.value), { size: 10, anchor: "middle" }));
    });
    const center = box.x + g * groupWidth + groupWidth / 2;
    svg.push(...lines(center, box.y + box.height + 16, group.label, { size: 11, anchor: "middle" }));
    if (group.note)
      svg.push(
        ...lines(center, box.y - 22, group.note.text, {
          size: 12,
          anchor: "middle",
          color: group.note.color,
          weight: "bold",
        }),
      );
  });
  if (options.target) {
    const ty = y(options.target.value);
    svg.push(
      line(box.x, ty, box.x + box.width, ty, colors.target, true),
      ...targetKey(box, options.target.label),
    );
  }
  return svg;
}

export function legend(x: number, y: number, entries: readonly { label: string; color: string }[]): string[] {
  return entries.flatMap((entry, i) => [
    rect(x + i * 110, y - 9, 12, 12, entry.color),
    text(x + i * 110 + 17, y + 1, entry.label, { size: 11 }),
  ]);
}

/** Labelled points, x axis included, with a fitted line and an optional dashed target line. */
export function scatterWithFit(
  box: Box,
  points: readonly { readonly x: number; readonly y: number; readonly label: string }[],
  fit: { readonly intercept: number; readonly slope: number },
  options: {
    readonly xLabel: string;
    readonly yLabel: string;
    readonly target?: { readonly value: number; readonly label: string };
  },
): string[] {
  const xs = points.map((p) => p.x);
  const xMin = Math.min(...xs) * 0.9;
  const xMax = Math.max(...xs) * 1.05;
  const { y, svg } = yAxis(
    box,
    Math.max(...points.map((p) => p.y), options.target?.value ?? 0) * 1.15,
    options.yLabel,
  );
  const x = (value: number) => box.x + ((value - xMin) / (xMax - xMin)) * box.width;
  const step = tickStep(xMax - xMin, 5);
  for (let tick = Math.ceil(xMin / step) * step; tick <= xMax; tick += step) {
    svg.push(line(x(tick), box.y + box.height, x(tick), box.y + box.height + 4, colors.axis));
    svg.push(
      text(x(tick), box.y + box.height + 16, compact(tick), {
        size: 11,
        anchor: "middle",
        color: colors.axis,
      }),
    );
  }
  svg.push(line(box.x, box.y + box.height, box.x + box.width, box.y + box.height, colors.axis));
  svg.push(
    text(box.x + box.width / 2, box.y + box.height + 32, options.xLabel, {
      size: 11,
      anchor: "middle",
      color: colors.axis,
    }),
  );
  svg.push(
    line(
      x(xMin),
      y(fit.intercept + fit.slope * xMin),
      x(xMax),
      y(fit.intercept + fit.slope * xMax),
      colors.bare,
    ),
  );
  if (options.target) {
    const ty = y(options.target.value);
    svg.push(
      line(box.x, ty, box.x + box.width, ty, colors.target, true),
      ...targetKey(box, options.target.label),
    );
  }
  points.forEach((p, i) => {
    svg.push(circle(x(p.x), y(p.y), 5, colors.app));
    // Alternate label sides so neighbouring points (prod and prod-4-shards) stay readable.
    const above = i % 2 === 0;
    svg.push(text(x(p.x), y(p.y) + (above ? -9 : 17), p.label, { size: 10, anchor: "middle" }));
  });
  return svg;
}
