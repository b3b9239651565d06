import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { runCommand } from "./command";
import { generatePassword, serviceUser } from "./credentials";
import { acceptsConnections, freePort, loopback } from "./ports";
import { retryOnPortTaken, ServerProcess } from "./process";
import type { KafkaSasl, KafkaService, KafkaTopic } from "./types";

const kafkaFolder = join(__dirname, "kafka");
const libs = join(__dirname, ".cache", "kafka", "libs");

/** Short-lived tools compile nothing twice: C1 only starts the JVM faster than the full JIT would. */
function javaArgs(kind: "broker" | "tool", main: string, args: readonly string[]): string[] {
  if (!existsSync(libs)) {
    throw new Error(`the Kafka jars are missing from ${libs}: run bash tools/services/install.sh`);
  }
  const jvm =
    kind === "broker"
      ? ["-Xms256m", "-Xmx1g", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20"]
      : ["-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dcrest.kafka.log.level=warn"];
  return [
    ...jvm,
    "-Djava.awt.headless=true",
    `-Dlog4j2.configurationFile=${join(kafkaFolder, "log4j2.properties")}`,
    "-cp",
    join(libs, "*"),
    main,
    ...args,
  ];
}

function runKafkaTool(main: string, args: readonly string[]) {
  const label = `kafka tool ${basename(main, ".java").split(".").pop()}`;
  return runCommand("java", javaArgs("tool", main, args), { timeoutMs: 60_000, label });
}

function jaasConfig(sasl: KafkaSasl): string {
  return `org.apache.kafka.common.security.scram.ScramLoginModule required username="${sasl.username}" password="${sasl.password}";`;
}

/** A Kafka client configuration, as the workload's producer and consumer would set it. */
function clientProperties(brokers: readonly string[], sasl: KafkaSasl | undefined): string {
  const lines = [`bootstrap.servers=${brokers.join(",")}`];
  if (sasl) {
    lines.push(
      "security.protocol=SASL_PLAINTEXT",
      "sasl.mechanism=SCRAM-SHA-512",
      `sasl.jaas.config=${jaasConfig(sasl)}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Runs `use` with a client configuration file for the service, removed afterwards (it holds the password). */
async function withClientConfig<T>(kafka: KafkaService, use: (file: string) => Promise<T>): Promise<T> {
  const folder = mkdtempSync(join(tmpdir(), "crest-kafka-client-"));
  try {
    const file = join(folder, "client.properties");
    writeFileSync(file, clientProperties(kafka.brokers, kafka.sasl), { mode: 0o600 });
    return await use(file);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const topicName = /^[a-zA-Z0-9._-]{1,249}$/;
const maxPartitions = 1000;

function checkTopics(topics: readonly KafkaTopic[]): void {
  topics.forEach((topic, i) => {
    if (!topicName.test(topic.name) || topic.name === "." || topic.name === "..") {
      throw new Error(
        `topics[${i}].name: ${JSON.stringify(topic.name)} is not a Kafka topic name: 1 to 249 of a-z A-Z 0-9 . _ -, and not "." or ".."`,
      );
    }
    if (!Number.isInteger(topic.partitions) || topic.partitions < 1 || topic.partitions > maxPartitions) {
      throw new Error(
        `topics[${i}].partitions: ${topic.partitions} is not allowed: a whole number from 1 to ${maxPartitions}`,
      );
    }
  });
}

/** Creates the missing topics in one Admin call (kafka/CreateTopics.java); existing ones are left as they are. */
export async function createKafkaTopics(kafka: KafkaService, topics: readonly KafkaTopic[]): Promise<void> {
  checkTopics(topics);
  if (topics.length === 0) return;
  await withClientConfig(kafka, (config) =>
    runKafkaTool(join(kafkaFolder, "CreateTopics.java"), [
      config,
      ...topics.map((topic) => `${topic.name}:${topic.partitions}`),
    ]),
  );
}

/** The topics that the broker lists, through Kafka's own topic tool (kafka-topics.sh --list). */
export async function listKafkaTopics(kafka: KafkaService): Promise<string[]> {
  const { stdout } = await withClientConfig(kafka, (config) =>
    runKafkaTool("org.apache.kafka.tools.TopicCommand", [
      ...["--bootstrap-server", kafka.brokers.join(","), "--command-config", config, "--list"],
    ]),
  );
  return stdout.split("\n").filter((line) => line.length > 0);
}

interface BrokerPorts {
  readonly broker: number;
  readonly controller: number;
}

/**
 * One combined broker and controller in KRaft mode. Clients use a SASL_PLAINTEXT listener with
 * SCRAM-SHA-512, the mechanism MSK uses (over TLS there; TLS adds nothing on loopback), and the broker
 * uses it to reach itself; the controller listener is plaintext, as a controller cannot use SCRAM
 * credentials that live in the metadata it serves. Topics are never created implicitly, as in MSK.
 */
function serverProperties(folder: string, ports: BrokerPorts, sasl: KafkaSasl): string {
  return `${[
    "process.roles=broker,controller",
    "node.id=1",
    `controller.quorum.voters=1@${loopback}:${ports.controller}`,
    "controller.listener.names=CONTROLLER",
    `listeners=SASL_PLAINTEXT://${loopback}:${ports.broker},CONTROLLER://${loopback}:${ports.controller}`,
    `advertised.listeners=SASL_PLAINTEXT://${loopback}:${ports.broker}`,
    "listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
    "inter.broker.listener.name=SASL_PLAINTEXT",
    "sasl.enabled.mechanisms=SCRAM-SHA-512",
    "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512",
    `listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=${jaasConfig(sasl)}`,
    `log.dirs=${join(folder, "data")}`,
    "auto.create.topics.enable=false",
    "num.partitions=1",
    "offsets.topic.replication.factor=1",
    "transaction.state.log.replication.factor=1",
    "transaction.state.log.min.isr=1",
    "share.coordinator.state.topic.replication.factor=1",
    "share.coordinator.state.topic.min.isr=1",
    "group.initial.rebalance.delay.ms=0",
  ].join("\n")}\n`;
}

/** A KRaft cluster id: 16 random bytes in URL-safe base64 (Kafka's Uuid), not starting with "-". */
function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}

class LocalKafka implements KafkaService {
  readonly external = false;
  readonly brokers: string[];

  constructor(
    port: number,
    readonly sasl: KafkaSasl,
    private readonly server: ServerProcess,
  ) {
    this.brokers = [`${loopback}:${port}`];
  }

  start(): Promise<void> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  createTopics(topics: readonly KafkaTopic[]): Promise<void> {
    return createKafkaTopics(this, topics);
  }
}

export function startKafka(servicesFolder: string, onProgress: (line: string) => void): Promise<LocalKafka> {
  const folder = join(servicesFolder, "kafka");
  return retryOnPortTaken("kafka", onProgress, async () => {
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder);
    const ports = { broker: await freePort(), controller: await freePort() };
    const sasl: KafkaSasl = {
      mechanism: "scram-sha-512",
      username: serviceUser,
      password: generatePassword(),
    };
    const properties = join(folder, "server.properties");
    writeFileSync(properties, serverProperties(folder, ports, sasl), { mode: 0o600 });
    onProgress("kafka: formatting its storage with the SCRAM user (kafka-storage format)");
    await runKafkaTool("kafka.tools.StorageTool", [
      ...["format", "--cluster-id", clusterId(), "--config", properties],
      ...["--add-scram", `SCRAM-SHA-512=[name=${sasl.username},password=${sasl.password}]`],
    ]);
    const server = new ServerProcess({
      name: "kafka",
      command: "java",
      args: () => javaArgs("broker", "kafka.Kafka", [properties]),
      cwd: folder,
      logFile: join(folder, "kafka.log"),
      startTimeoutMs: 60_000,
      stopTimeoutMs: 20_000,
      isReady: async (log) => log().includes("Kafka Server started") && acceptsConnections(ports.broker),
    });
    onProgress(`kafka: starting on ${loopback}:${ports.broker} (controller on ${ports.controller})`);
    await server.start();
    return new LocalKafka(ports.broker, sasl, server);
  });
}
