import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { exitCleanlyOnSignals, interrupted } from "../../app/bench/processes";
import { runCommand } from "../bench/command";
import { machineInfo } from "../bench/machine";
import { root } from "../bench/planTiming";
import { fileStamp } from "../bench/results";
import { faultIds, faults } from "./faults";
import { parseFaultOptions, usage } from "./options";
import { type FaultsDocument, formatFaultsMarkdown } from "./report";
import { FaultRig } from "./rig";
import { type FaultResult, type LoadPlan, runFault } from "./runFault";

/**
 * Starts the rig, runs the faults one after another on it, and stops everything it started,
 * whether the faults pass, fail or throw.
 */
export async function runFaults(options: {
  readonly faults: readonly string[];
  readonly plan: LoadPlan;
  readonly logDir: string;
  readonly progress: (line: string) => void;
}): Promise<FaultResult[]> {
  const rig = await FaultRig.start({ logDir: options.logDir }, options.progress);
  try {
    const results: FaultResult[] = [];
    for (const fault of faults.filter((f) => options.faults.includes(f.id))) {
      results.push(await runFault(rig, fault, options.plan, options.progress));
    }
    return results;
  } finally {
    // After a stop signal tools/services is already stopping the servers; stopping them twice races.
    if (!interrupted()) await rig.stop();
  }
}

async function main(argv: readonly string[]): Promise<boolean> {
  const options = parseFaultOptions(argv);
  if (options.help) {
    process.stdout.write(`${usage}\n`);
    return true;
  }
  const startedAt = new Date();
  const since = performance.now();
  const progress = (line: string) =>
    process.stderr.write(
      `[faults ${((performance.now() - since) / 1000).toFixed(0).padStart(3)} s] ${line}\n`,
    );
  exitCleanlyOnSignals(progress);
  const machine = machineInfo();
  const stamp = fileStamp(startedAt);
  const logDir = join(options.out, "tmp", `faults-${stamp}`);
  mkdirSync(logDir, { recursive: true });
  progress(`logs of the app processes in ${relative(root, logDir)}`);

  const results = await runFaults({ faults: options.faults, plan: options.plan, logDir, progress });
  const doc: FaultsDocument = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    wallSeconds: (performance.now() - since) / 1000,
    command: `npm run faults${argv.length > 0 ? ` -- ${argv.join(" ")}` : ""}`,
    machine,
    quick: options.quick,
    plan: options.plan,
    faults: results,
    passed: results.every((r) => r.passed),
  };
  const file = join(options.out, `faults-${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
  // Only a full run of every fault replaces the figures the README quotes.
  if (!options.quick && options.faults.length === faultIds.length) {
    copyFileSync(file, join(options.out, "faults-latest.json"));
  }
  progress(`wrote ${relative(root, file)}`);
  // The logs show what a failing fault did; a passing run leaves nothing behind.
  if (doc.passed) rmSync(logDir, { recursive: true, force: true });
  process.stdout.write(`${formatFaultsMarkdown(doc)}\n`);
  return doc.passed;
}

/** Runs the suite and exits: 0 every fault passed, 1 a fault failed, 2 bad arguments, 3 the suite broke. */
export function faultsMain(argv: readonly string[]): void {
  runCommand("faults", usage, 3, () => main(argv).then((passed) => (passed ? 0 : 1)));
}
