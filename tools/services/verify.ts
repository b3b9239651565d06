import { parseArgs } from "node:util";
import { type LocalServices, listKafkaTopics, mysqlQuery, redisCommand, startLocalServices } from "./index";

/**
 * Starts the local services, proves each one serves its protocol (Redis PING, a query through the
 * `mariadb` client, a Kafka topic created and listed with Kafka's own tool), stops them, and prints
 * how long each phase took. install.sh runs it after fresh Kafka jars; `tools/crest.sh services`
 * runs it as a start-up benchmark. Progress goes to stderr, figures to stdout.
 */

const usage = `usage: tools/crest.sh services [--runs N] [--redis] [--mysql-shards N] [--kafka]
  with no service named: redis, 2 MySQL shards and kafka`;

function options() {
  const { values } = parseArgs({
    options: {
      runs: { type: "string", default: "1" },
      redis: { type: "boolean", default: false },
      "mysql-shards": { type: "string" },
      kafka: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 20) {
    throw new Error(`--runs: ${JSON.stringify(values.runs)} is not allowed: a whole number from 1 to 20`);
  }
  const all = !values.redis && values["mysql-shards"] === undefined && !values.kafka;
  return {
    runs,
    services: {
      redis: all || values.redis,
      mysqlShards: all ? 2 : Number(values["mysql-shards"] ?? 0),
      kafka: all || values.kafka,
    },
  };
}

async function check(services: LocalServices): Promise<void> {
  const checks: Promise<unknown>[] = [];
  if (services.redis) {
    const { host, port } = services.redis;
    checks.push(
      redisCommand(host, port, ["PING"]).then((reply) => {
        if (reply !== "PONG") throw new Error(`redis answered PING with ${JSON.stringify(reply)}`);
      }),
    );
  }
  for (const shard of services.mysqlShards) {
    checks.push(
      mysqlQuery(shard, "SELECT DATABASE(), @@character_set_server;").then((out) => {
        if (out.trim() !== `${shard.database}\tutf8mb4`)
          throw new Error(`mysql shard answered ${JSON.stringify(out)}`);
      }),
    );
  }
  const { kafka } = services;
  if (kafka) {
    const topic = `verify-${process.pid}-${Date.now()}`;
    await kafka.createTopics([{ name: topic, partitions: 2 }]);
    const topics = await listKafkaTopics(kafka);
    if (!topics.includes(topic)) throw new Error(`kafka lists ${JSON.stringify(topics)}, not ${topic}`);
  }
  await Promise.all(checks);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  const { runs, services: wanted } = options();
  const phases = { start: [] as number[], check: [] as number[], stop: [] as number[] };
  for (let run = 1; run <= runs; run++) {
    const onProgress = (line: string) => process.stderr.write(`[services] run ${run}/${runs} ${line}\n`);
    let since = performance.now();
    const services = await startLocalServices({ ...wanted, onProgress });
    phases.start.push((performance.now() - since) / 1000);
    try {
      since = performance.now();
      await check(services);
      phases.check.push((performance.now() - since) / 1000);
    } finally {
      since = performance.now();
      await services.stopAll();
      phases.stop.push((performance.now() - since) / 1000);
    }
  }
  const names = [
    wanted.redis && "redis",
    wanted.mysqlShards > 0 && `${wanted.mysqlShards} MySQL shard(s)`,
    wanted.kafka && "kafka",
  ].filter(Boolean);
  console.log(
    `Local services: ${names.join(" + ")}, median of ${runs} run(s), ${process.platform}/${process.arch}`,
  );
  console.log("| Phase | Median (s) | Runs (s) |");
  console.log("| --- | ---: | --- |");
  for (const [phase, samples] of Object.entries(phases)) {
    console.log(
      `| ${phase} | ${median(samples).toFixed(2)} | ${samples.map((s) => s.toFixed(2)).join(", ")} |`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(`[services] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
