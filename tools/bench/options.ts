import { resolve } from "node:path";
import { appPhases } from "../../app/bench/appBench";
import { parseFlags, UsageError } from "./command";
import { root } from "./planTiming";

export const phases = [...appPhases, "plan"] as const;
export type Phase = (typeof phases)[number];

export const usage = `usage: npm run bench -- [options]
  --only <list>              phases to run, comma-separated: ${phases.join(",")} (default: all)
  --duration <s>             seconds each server is measured per HTTP comparison, in two halves (default 10)
  --warmup <s>               seconds each server is driven before an HTTP phase is measured (default 30)
  --read-connections <list>  connection counts of the cached read (default 50,200)
  --order-connections <n>    connections of the order placement (default 50)
  --order-users <n>          distinct users placing orders (default 5000)
  --pipeline-orders <n>      orders pre-loaded per batch size (default 20000)
  --batch-sizes <list>       worker batch sizes (default 50,200,1000)
  --plan-shards <list>       MySQL shard counts of the prod plan (default 4,16,64)
  --out <dir>                where results go (default bench/results)
  --profile                  run the app processes with --cpu-prof (profiles next to their logs)`;

function numbers(name: string, value: string, min: number, max: number): number[] {
  const list = value.split(",").map((v) => Number(v.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < min || n > max)) {
    throw new UsageError(
      `--${name}: got "${value}"; allowed: whole numbers from ${min} to ${max}, comma-separated`,
    );
  }
  return list;
}

function one(name: string, value: string, min: number, max: number): number {
  const [n] = numbers(name, value, min, max);
  return n as number;
}

function readArgs(argv: string[]) {
  return parseFlags(argv, {
    only: { type: "string", default: phases.join(",") },
    duration: { type: "string", default: "10" },
    warmup: { type: "string", default: "30" },
    "read-connections": { type: "string", default: "50,200" },
    "order-connections": { type: "string", default: "50" },
    "order-users": { type: "string", default: "5000" },
    "pipeline-orders": { type: "string", default: "20000" },
    "batch-sizes": { type: "string", default: "50,200,1000" },
    "plan-shards": { type: "string", default: "4,16,64" },
    out: { type: "string", default: "bench/results" },
    profile: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  });
}

export function parseOptions(argv: string[]) {
  const values = readArgs(argv);
  const only = values.only.split(",").map((p) => p.trim());
  const unknown = only.filter((p) => !(phases as readonly string[]).includes(p));
  if (unknown.length > 0)
    throw new UsageError(`--only: got "${unknown.join(",")}"; allowed: ${phases.join(", ")}`);
  return {
    help: values.help,
    profile: values.profile,
    phases: new Set(only as Phase[]),
    durationSeconds: one("duration", values.duration, 1, 600),
    warmUpSeconds: one("warmup", values.warmup, 1, 60),
    readConnections: numbers("read-connections", values["read-connections"], 1, 10_000),
    orderConnections: one("order-connections", values["order-connections"], 1, 10_000),
    orderUsers: one("order-users", values["order-users"], 1, 1_000_000),
    pipelineOrders: one("pipeline-orders", values["pipeline-orders"], 1, 1_000_000),
    batchSizes: numbers("batch-sizes", values["batch-sizes"], 1, 5_000),
    planShards: numbers("plan-shards", values["plan-shards"], 1, 64),
    out: resolve(root, values.out),
  };
}
