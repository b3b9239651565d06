import type { Comparison, LoadFigures } from "../../app/bench/httpLoad";
import type { BenchDocument } from "./results";

export function table(
  header: readonly string[],
  align: readonly ("l" | "r")[],
  rows: readonly string[][],
): string[] {
  return [
    `| ${header.join(" | ")} |`,
    `| ${align.map((a) => (a === "r" ? "---:" : "---")).join(" | ")} |`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ];
}

const int = (value: number) => Math.round(value).toLocaleString("en-US");
const ms = (value: number) => value.toFixed(1);

/** Answers other than 2xx, e.g. "429×12", so a figure that hides failures is visible. */
function otherAnswers(figures: LoadFigures): string {
  const other = Object.entries(figures.statusCounts)
    .filter(([status]) => !status.startsWith("2"))
    .map(([status, count]) => `${status}×${count}`);
  if (figures.errors > 0) other.push(`errors×${figures.errors}`);
  return other.join(" ") || "–";
}

/** Processes whose CPU time an app request is charged with (see app/bench/cpuTime.ts). */
const cpuColumns = ["api", "redis", "mysql", "kafka"] as const;

function comparisons(doc: BenchDocument): { scenario: string; connections: number; c: Comparison }[] {
  const read = doc.app?.cachedRead;
  const orders = doc.app?.orderPlacement;
  return [
    ...(read?.byConnections ?? []).map((c) => ({
      scenario: read?.path ?? "",
      connections: c.connections,
      c,
    })),
    ...(orders ? [{ scenario: orders.path, connections: orders.connections, c: orders }] : []),
  ];
}

function httpSection(doc: BenchDocument): string[] {
  const compared = comparisons(doc);
  if (compared.length === 0) return [];
  const rows = compared.map(({ scenario, connections, c }) => [
    scenario,
    String(connections),
    int(c.app.requestsPerSecond),
    ms(c.app.p50Ms),
    ms(c.app.p99Ms),
    int(c.bare.requestsPerSecond),
    ms(c.bare.p50Ms),
    ms(c.bare.p99Ms),
    `**${c.rpsRatio.toFixed(2)}**`,
    otherAnswers(c.app),
  ]);
  const cpuRows = compared.map(({ scenario, connections, c }) => {
    const app = c.app.cpuUsPerRequest;
    const appTotal = Object.values(app).reduce((sum, us) => sum + us, 0);
    const bareTotal = Object.values(c.bare.cpuUsPerRequest).reduce((sum, us) => sum + us, 0);
    return [
      scenario,
      String(connections),
      ...cpuColumns.map((name) => (app[name] === undefined ? "–" : int(app[name]))),
      int(appTotal),
      int(bareTotal),
      (appTotal / bareTotal).toFixed(2),
    ];
  });
  const read = doc.app?.cachedRead;
  const orders = doc.app?.orderPlacement;
  const notes: string[] = [];
  if (read)
    notes.push(
      `Catalog body ${read.bodyBytes} bytes; ${(read.l1HitRatio * 100).toFixed(2)}% of the app's catalog lookups were L1 hits.`,
    );
  if (orders)
    notes.push(`Orders: ${orders.users} users, a unique idempotency key per request; ${orders.settings}.`);
  return [
    "### HTTP: app vs bare Express (same load, same run)",
    "",
    ...table(
      [
        "Scenario",
        "Conns",
        "App rps",
        "App p50 ms",
        "App p99 ms",
        "Bare rps",
        "Bare p50 ms",
        "Bare p99 ms",
        "App / bare",
        "App non-2xx",
      ],
      ["l", "r", "r", "r", "r", "r", "r", "r", "r", "l"],
      rows,
    ),
    "",
    ...notes,
    "",
    "CPU time per answered request (µs), from /proc: the app's API process and the servers it calls, against the bare process.",
    "",
    ...table(
      ["Scenario", "Conns", ...cpuColumns.map((n) => `App: ${n}`), "App total", "Bare", "App / bare"],
      ["l", "r", ...cpuColumns.map(() => "r" as const), "r", "r", "r"],
      cpuRows,
    ),
    "",
  ];
}

function pipelineSection(doc: BenchDocument): string[] {
  const pipeline = doc.app?.pipeline;
  if (!pipeline) return [];
  return [
    `### Order pipeline: Kafka → one worker → ${pipeline.shards} MySQL shards (${pipeline.partitions} partitions)`,
    "",
    ...table(
      [
        "Batch size",
        "Orders",
        "Pre-load s",
        "Worker start s",
        "Warm-up orders",
        "Warm-up s",
        "Drain s",
        "Orders/s",
      ],
      ["r", "r", "r", "r", "r", "r", "r", "r"],
      pipeline.runs.map((r) => [
        String(r.batchSize),
        int(r.orders),
        r.preloadSeconds.toFixed(2),
        r.workerStartSeconds.toFixed(2),
        int(r.warmUpOrders),
        r.warmUpSeconds.toFixed(2),
        r.drainSeconds.toFixed(2),
        `**${int(r.ordersPerSecond)}**`,
      ]),
    ),
    "",
  ];
}

function planSection(doc: BenchDocument): string[] {
  const plan = doc.plan;
  if (!plan) return [];
  return [
    "### Offline plan: time against resources (one fresh process each)",
    "",
    ...table(
      ["Plan", "Resources", "Wall s", "Plan itself s", "Wall s / 100 resources"],
      ["l", "r", "r", "r", "r"],
      plan.points.map((p) => [
        p.label,
        String(p.resources),
        p.wallSeconds.toFixed(2),
        p.planSeconds.toFixed(1),
        ((p.wallSeconds / p.resources) * 100).toFixed(2),
      ]),
    ),
    "",
    `Linear fit: wall s = ${plan.fit.intercept.toFixed(2)} + ${plan.fit.secondsPer100Resources.toFixed(2)} × resources/100 (R² ${plan.fit.r2.toFixed(3)}). ` +
      `Added resources cost ${plan.steps.map((s) => `${s.secondsPer100Resources.toFixed(2)} s/100 (${s.from}→${s.to})`).join(", ")}.`,
    "",
  ];
}

function targetSection(doc: BenchDocument): string[] {
  if (doc.targets.length === 0) return [];
  return [
    "### Targets",
    "",
    ...table(
      ["Target", "Goal", "This run", "Met"],
      ["l", "l", "l", "l"],
      doc.targets.map((t) => [t.name, t.target, t.actual, t.met ? "yes" : "**no**"]),
    ),
    "",
  ];
}

export function formatMarkdown(doc: BenchDocument): string {
  const m = doc.machine;
  return [
    `## Benchmark ${doc.startedAt}`,
    "",
    `${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node} (${m.platform}, kernel ${m.kernel}); ` +
      `load average ${m.loadAverageAtStart} at start; ${doc.wallSeconds.toFixed(0)} s in all.`,
    "",
    ...httpSection(doc),
    ...pipelineSection(doc),
    ...planSection(doc),
    ...targetSection(doc),
  ].join("\n");
}
