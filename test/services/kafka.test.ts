import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  ExternalServerError,
  type KafkaService,
  type LocalServices,
  listKafkaTopics,
  startLocalServices,
} from "../../tools/services/index";
import { refusesConnections, withEnv } from "./support";

let services: LocalServices;
let kafka: KafkaService;

before(async () => {
  services = await startLocalServices({ kafka: true });
  assert.ok(services.kafka, "kafka was asked for");
  kafka = services.kafka;
});

after(() => services.stopAll());

function brokerPort(service: KafkaService): number {
  const [broker] = service.brokers;
  assert.ok(broker);
  return Number(broker.split(":")[1]);
}

test("one loopback broker behind SCRAM-SHA-512; createTopics makes topics that Kafka's topic tool lists", async () => {
  assert.equal(kafka.brokers.length, 1);
  assert.match(kafka.brokers[0] ?? "", /^127\.0\.0\.1:\d+$/);
  assert.equal(kafka.sasl?.mechanism, "scram-sha-512");
  await kafka.createTopics([
    { name: "orders", partitions: 3 },
    { name: "orders.dlq", partitions: 1 },
  ]);
  await kafka.createTopics([{ name: "orders", partitions: 3 }]);
  const topics = await listKafkaTopics(kafka);
  assert.ok(topics.includes("orders") && topics.includes("orders.dlq"), `listed: ${topics.join(", ")}`);
});

test("a client with the wrong SCRAM password is refused", async () => {
  assert.ok(kafka.sasl);
  const impostor: KafkaService = { ...kafka, sasl: { ...kafka.sasl, password: "not-the-password" } };
  await assert.rejects(listKafkaTopics(impostor), /invalid credentials with SASL mechanism SCRAM-SHA-512/);
});

test("createTopics names the bad field before it reaches the broker", async () => {
  await assert.rejects(
    kafka.createTopics([
      { name: "ok", partitions: 1 },
      { name: "no spaces", partitions: 1 },
    ]),
    {
      message: /^topics\[1\]\.name: "no spaces" is not a Kafka topic name/,
    },
  );
  await assert.rejects(kafka.createTopics([{ name: "zero", partitions: 0 }]), {
    message: /^topics\[0\]\.partitions: 0 is not allowed: a whole number from 1 to 1000/,
  });
});

test("KAFKA_BROKERS with KAFKA_SASL_* reuses a running broker, which stop() and start() cannot touch", async () => {
  assert.ok(kafka.sasl);
  const vars = {
    KAFKA_BROKERS: kafka.brokers.join(","),
    KAFKA_SASL_USERNAME: kafka.sasl.username,
    KAFKA_SASL_PASSWORD: kafka.sasl.password,
  };
  await withEnv(vars, async () => {
    const reused = await startLocalServices({ kafka: true });
    try {
      assert.equal(reused.kafka?.external, true);
      assert.deepEqual(reused.kafka?.brokers, kafka.brokers);
      assert.deepEqual(reused.kafka?.sasl, kafka.sasl);
      await assert.rejects(reused.kafka?.stop() ?? Promise.resolve(), ExternalServerError);
      await assert.rejects(
        reused.kafka?.start() ?? Promise.resolve(),
        /is external \(set by KAFKA_BROKERS\)/,
      );
      await reused.kafka?.createTopics([{ name: "via-override", partitions: 1 }]);
    } finally {
      await reused.stopAll();
    }
  });
  assert.ok(!(await refusesConnections(brokerPort(kafka))), "stopAll of the external set left the broker up");
  assert.ok((await listKafkaTopics(kafka)).includes("via-override"));
});

test("stop() refuses connections; start() comes back on the same port with the topics kept", async (t) => {
  if (kafka.external) return t.skip("kafka is external (KAFKA_BROKERS): the tests cannot stop it");
  const port = brokerPort(kafka);
  await kafka.stop();
  assert.ok(await refusesConnections(port), `port ${port} still accepts connections after stop()`);
  await kafka.start();
  assert.equal(brokerPort(kafka), port);
  const topics = await listKafkaTopics(kafka);
  assert.ok(topics.includes("orders"), `listed after restart: ${topics.join(", ")}`);
});
