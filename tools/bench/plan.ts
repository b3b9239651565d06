import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exitCleanlyOnSignals } from "../../app/bench/processes";
import { timeNodeCommand, timePlan } from "./planTiming";
import { median } from "./stats";

// Times the offline plan of each checked-in stack against a baseline started in the same run: a
// Node process that only loads the Pulumi and AWS SDKs, the fixed cost every plan pays. Prints
// figures; it is a benchmark, never a pass/fail test. (`npm run bench` covers plan scaling too.)
const runs = Number(process.env.BENCH_RUNS ?? 5);

async function sampled(label: string, run: () => Promise<number>): Promise<number> {
  const samples: number[] = [];
  for (let i = 1; i <= runs; i++) {
    process.stderr.write(`\r[bench] ${label}: run ${i}/${runs}`);
    samples.push(await run());
  }
  process.stderr.write("\n");
  return median(samples);
}

async function main(): Promise<void> {
  exitCleanlyOnSignals((line) => process.stderr.write(`\n[bench] ${line}\n`));
  const workDir = mkdtempSync(join(tmpdir(), "crest-bench-plan-"));
  try {
    const baseline = await sampled("baseline (load SDKs only)", () =>
      timeNodeCommand(
        "baseline",
        ["-e", "require('@pulumi/pulumi'); require('@pulumi/aws')"],
        join(workDir, "baseline.log"),
      ),
    );
    const rows: { stack: string; seconds: number; ratio: number }[] = [];
    for (const stack of ["dev", "prod"]) {
      const seconds = await sampled(
        `plan ${stack}`,
        async () => (await timePlan(stack, stack, { workDir })).wallSeconds,
      );
      rows.push({ stack, seconds, ratio: seconds / baseline });
    }
    console.log(
      `Plan wall time, median of ${runs} runs (${process.version}, ${process.platform}/${process.arch})`,
    );
    console.log(`| Command | Median (s) | × baseline |`);
    console.log(`| --- | ---: | ---: |`);
    console.log(`| baseline: load @pulumi/pulumi + @pulumi/aws | ${baseline.toFixed(2)} | 1.00 |`);
    for (const row of rows)
      console.log(`| plan --stack ${row.stack} | ${row.seconds.toFixed(2)} | ${row.ratio.toFixed(2)} |`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
