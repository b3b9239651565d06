import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { type AppPhase, appPhases, benchApp } from "../../app/bench/appBench";
import { exitCleanlyOnSignals } from "../../app/bench/processes";
import { capacityProfileOf, writeCapacityProfile } from "../capacity/profile";
import { renderChart } from "./chart";
import { runCommand } from "./command";
import { machineInfo } from "./machine";
import { formatMarkdown } from "./markdown";
import { parseOptions, phases, usage } from "./options";
import { benchPlanScaling, type PlanScalingFigures } from "./planScaling";
import { root } from "./planTiming";
import { type BenchDocument, checkTargets, fileStamp } from "./results";

async function runBench(argv: readonly string[]): Promise<void> {
  const options = parseOptions([...argv]);
  if (options.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const startedAt = new Date();
  const since = performance.now();
  const progress = (line: string) =>
    process.stderr.write(
      `[bench ${((performance.now() - since) / 1000).toFixed(0).padStart(3)} s] ${line}\n`,
    );
  exitCleanlyOnSignals(progress);
  const machine = machineInfo();
  const stamp = fileStamp(startedAt);
  // Logs of every process and the plan documents: scratch (git-ignored), kept when the run fails
  // or profiles were asked for, removed otherwise (the API's log alone is tens of MB).
  const workDir = join(options.out, "tmp", stamp);
  mkdirSync(workDir, { recursive: true });
  progress(`logs and scratch files in ${relative(root, workDir)}`);

  const app = appPhases.some((p) => options.phases.has(p))
    ? await benchApp({
        ...options,
        phases: new Set(appPhases.filter((p): p is AppPhase => options.phases.has(p))),
        catalogItems: 20,
        launch: { logDir: workDir, ...(options.profile ? { profileDir: join(workDir, "profiles") } : {}) },
        progress,
      })
    : undefined;
  let plan: PlanScalingFigures | undefined;
  if (options.phases.has("plan")) {
    progress("phase 4: plan time against resources");
    plan = await benchPlanScaling({ shardCounts: options.planShards, workDir, progress });
  }

  const doc: BenchDocument = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    wallSeconds: (performance.now() - since) / 1000,
    command: `npm run bench${argv.length > 0 ? ` -- ${argv.join(" ")}` : ""}`,
    machine,
    options: { ...options, phases: [...options.phases], out: relative(root, options.out) },
    ...(app ? { app } : {}),
    ...(plan ? { plan } : {}),
    targets: checkTargets(app, plan),
  };
  const json = `${JSON.stringify(doc, null, 2)}\n`;
  const svg = renderChart(doc);
  writeFileSync(join(options.out, `${stamp}.json`), json);
  writeFileSync(join(options.out, `${stamp}.svg`), svg);
  // A partial run (--only) does not replace the latest complete figures.
  if (options.phases.size === phases.length) {
    copyFileSync(join(options.out, `${stamp}.json`), join(options.out, "latest.json"));
    copyFileSync(join(options.out, `${stamp}.svg`), join(options.out, "latest.svg"));
    // The per-pod throughput the capacity simulation reads, from this complete run only.
    writeCapacityProfile(capacityProfileOf(doc, relative(root, join(options.out, `${stamp}.json`))));
    progress("wrote bench/capacity-profile.json");
  }
  progress(`wrote ${relative(root, join(options.out, `${stamp}.json`))} and .svg`);
  if (options.profile) progress(`CPU profiles in ${relative(root, join(workDir, "profiles"))}`);
  else rmSync(workDir, { recursive: true, force: true });
  process.stdout.write(`${formatMarkdown(doc)}\n`);
}

/** Runs the benchmark and exits: 0 done, 1 something broke, 2 bad arguments. */
export function benchMain(argv: readonly string[]): void {
  runCommand("bench", usage, 1, () => runBench(argv).then(() => 0));
}
