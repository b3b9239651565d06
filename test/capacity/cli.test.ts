import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { root } from "../../tools/bench/planTiming";

function capacity(args: readonly string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "tools/capacity/cli.ts", ...args], {
    cwd: root,
    encoding: "utf8",
  });
}

const cases: { args: string[]; message: string }[] = [
  { args: ["--peak-rps", "100"], message: "--stack: missing" },
  {
    args: ["--stack", "prod", "--peak-rps", ""],
    message: '--peak-rps: got ""; allowed: a whole number from 0 to 10000000',
  },
  {
    args: ["--stack", "prod", "--expected-orders", "6000"],
    message: "--expected-orders: got 6000; allowed: at most --peak-orders (5000)",
  },
  {
    args: ["--stack", "prod", "--peak-rps", "lots"],
    message: '--peak-rps: got "lots"; allowed: a whole number',
  },
  {
    args: ["--stack", "prod", "--peak-rps", "100", "--ramp-seconds=-5"],
    message: '--ramp-seconds: got "-5"',
  },
  {
    args: ["--stack", "nope", "--peak-rps", "100"],
    message: '--stack: got "nope"; allowed: one of dev, prod',
  },
  {
    args: ["--stack", "prod", "--peak-rps", "100", "--baseline-rps", "200"],
    message: "--baseline-rps: got 200; allowed: at most --peak-rps (100)",
  },
  { args: ["--stack", "prod", "--peak-rps", "100", "--colour", "red"], message: "Unknown option '--colour'" },
];

for (const { args, message } of cases) {
  test(`capacity ${args.join(" ")} → exit 2`, () => {
    const run = capacity(args);
    assert.equal(run.status, 2, run.stderr);
    assert.ok(run.stderr.includes(message), run.stderr);
    assert.ok(run.stderr.includes("usage: npm run capacity"), run.stderr);
  });
}

test("capacity for prod replays its declared sale, prints the figures and writes the chart", () => {
  const out = join(mkdtempSync(join(tmpdir(), "crest-capacity-")), "prod.svg");
  const run = capacity(["--stack", "prod", "--out", out]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /time to full capacity: \d+ s/);
  assert.match(run.stdout, /shed after waiting 60 s: [\d,]+ reads/);
  assert.match(
    run.stdout,
    /order worker: at most [\d,]+ accepted orders wait in Kafka, the longest \d+ s; its HPA peaks at \d+ pods/,
  );
  assert.match(run.stdout, /fix: pre-scale: hold minReplicas at \d+ from before the sale/);
  assert.ok(existsSync(out));
  assert.match(readFileSync(out, "utf8"), /^<svg [^>]*>[\s\S]*<polyline/);
});
