import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

// Times the offline plan of each checked-in stack against a baseline started in the same run: a
// Node process that only loads the Pulumi and AWS SDKs, the fixed cost every plan pays. Prints
// figures; it is a benchmark, never a pass/fail test.
const root = resolve(__dirname, "../..");
const runs = Number(process.env.BENCH_RUNS ?? 5);

function timeCommand(label: string, args: string[]): number[] {
  const samples: number[] = [];
  for (let i = 1; i <= runs; i++) {
    process.stderr.write(`\r[bench] ${label}: run ${i}/${runs}`);
    const started = performance.now();
    const result = spawnSync(process.execPath, ["--import", "tsx", ...args], { cwd: root, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${label} failed (${result.status}): ${result.stderr}`);
    samples.push((performance.now() - started) / 1000);
  }
  process.stderr.write("\n");
  return samples.sort((a, b) => a - b);
}

const median = (xs: number[]) => xs[Math.floor(xs.length / 2)] ?? Number.NaN;
const baseline = median(
  timeCommand("baseline (load SDKs only)", ["-e", "require('@pulumi/pulumi'); require('@pulumi/aws')"]),
);
const rows = ["dev", "prod"].map((stack) => {
  const seconds = median(timeCommand(`plan ${stack}`, ["tools/plan/cli.ts", "--stack", stack]));
  return { stack, seconds, ratio: seconds / baseline };
});

console.log(
  `Plan wall time, median of ${runs} runs (${process.version}, ${process.platform}/${process.arch})`,
);
console.log(`| Command | Median (s) | × baseline |`);
console.log(`| --- | ---: | ---: |`);
console.log(`| baseline: load @pulumi/pulumi + @pulumi/aws | ${baseline.toFixed(2)} | 1.00 |`);
for (const row of rows)
  console.log(`| plan --stack ${row.stack} | ${row.seconds.toFixed(2)} | ${row.ratio.toFixed(2)} |`);
