import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { type PlanTiming, root, timePlan } from "./planTiming";
import { type LinearFit, linearFit } from "./stats";

export interface PlanScalingFigures {
  readonly points: readonly (PlanTiming & { readonly mysqlShards?: number })[];
  /** Wall seconds against resources, all points: the slope is reported per 100 resources. */
  readonly fit: LinearFit & { readonly secondsPer100Resources: number };
  /** Seconds per 100 added resources between neighbouring resource counts, smallest first. */
  readonly steps: readonly {
    readonly from: number;
    readonly to: number;
    readonly secondsPer100Resources: number;
  }[];
  /**
   * The last (largest) step's seconds per resource over the fitted slope: about 1 when time grows
   * linearly with resources, well above 1 when each added resource costs more than the ones before.
   */
  readonly growthRatio: number;
}

/** Pulumi.prod.yaml with `crest:mysql.shards` set, in its own folder (the stack keeps its name). */
function prodWithShards(shards: number, workDir: string): string {
  const dir = join(workDir, `prod-${shards}-shards`);
  mkdirSync(dir, { recursive: true });
  const doc = parseDocument(readFileSync(join(root, "Pulumi.prod.yaml"), "utf8"));
  doc.setIn(["config", "crest:mysql", "shards"], shards);
  writeFileSync(join(dir, "Pulumi.prod.yaml"), doc.toString());
  return dir;
}

function stepsOf(points: readonly PlanTiming[]): PlanScalingFigures["steps"] {
  // Points with the same resource count (prod and prod with its default shard count) are averaged.
  const byResources = new Map<number, number[]>();
  for (const p of points)
    byResources.set(p.resources, [...(byResources.get(p.resources) ?? []), p.wallSeconds]);
  const averaged = [...byResources]
    .map(([resources, seconds]) => ({
      resources,
      seconds: seconds.reduce((a, b) => a + b, 0) / seconds.length,
    }))
    .sort((a, b) => a.resources - b.resources);
  return averaged.slice(1).map((to, i) => {
    const from = averaged[i] as (typeof averaged)[number];
    return {
      from: from.resources,
      to: to.resources,
      secondsPer100Resources: ((to.seconds - from.seconds) / (to.resources - from.resources)) * 100,
    };
  });
}

/** Phase 4: plan dev, prod, and prod with each shard count, one fresh process each. */
export async function benchPlanScaling(options: {
  readonly shardCounts: readonly number[];
  readonly workDir: string;
  readonly progress: (line: string) => void;
}): Promise<PlanScalingFigures> {
  const points: (PlanTiming & { mysqlShards?: number })[] = [];
  const timed = async (label: string, run: () => Promise<PlanTiming>, mysqlShards?: number) => {
    options.progress(`plan ${label}`);
    const timing = await run();
    options.progress(
      `plan ${label}: ${timing.resources} resources in ${timing.wallSeconds.toFixed(2)} s (plan itself ${timing.planSeconds} s)`,
    );
    points.push(mysqlShards === undefined ? timing : { ...timing, mysqlShards });
  };
  for (const stack of ["dev", "prod"]) {
    await timed(stack, () => timePlan(stack, stack, { workDir: options.workDir }));
  }
  for (const shards of options.shardCounts) {
    const label = `prod-${shards}-shards`;
    const configDir = prodWithShards(shards, options.workDir);
    await timed(label, () => timePlan(label, "prod", { configDir, workDir: options.workDir }), shards);
  }
  const fit = linearFit(points.map((p) => ({ x: p.resources, y: p.wallSeconds })));
  const steps = stepsOf(points);
  const secondsPer100Resources = fit.slope * 100;
  const last = steps.at(-1)?.secondsPer100Resources ?? Number.NaN;
  return {
    points,
    fit: { ...fit, secondsPer100Resources },
    steps,
    growthRatio: last / secondsPer100Resources,
  };
}
