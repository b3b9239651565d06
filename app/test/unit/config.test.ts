import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { credentialsSecret, SecretSource } from "../../src/adapters/secrets";
import { ConfigError, loadRuntimeConfig } from "../../src/config/loadConfig";
import { appHttpPort, type RuntimeConfigInput } from "../../src/contract/runtimeConfig";
import { secretReferences } from "../../src/contract/secretNames";

const arn = "arn:aws:secretsmanager:ap-east-1:123456789012:secret:crest/x-AbCdEf";
const valid: RuntimeConfigInput = {
  mysql: {
    shards: [
      { id: 0, writerEndpoint: "w0", readerEndpoint: "r0", port: 3306, database: "crest", secretArn: arn },
    ],
    tls: true,
  },
  redis: { configurationEndpoint: "redis", port: 6379, clusterMode: true, tls: true, authSecretArn: arn },
  kafka: {
    bootstrapBrokers: "b-1:9096,b-2:9096",
    tls: true,
    saslMechanism: "scram-sha-512",
    credentialSecretArn: arn,
    topics: { orders: "orders", deadLetter: "orders-dlq" },
  },
  buckets: { archive: "a", staticAssets: "s" },
  wechat: { apiBaseUrl: "https://api.weixin.qq.com", appId: "wx1", appSecretArn: arn },
  sessionSigningSecretArn: arn,
};
const folder = mkdtempSync(join(tmpdir(), "crest-app-config-"));
after(() => rmSync(folder, { recursive: true, force: true }));

function problemsOf(value: unknown): readonly string[] {
  try {
    loadRuntimeConfig({ CREST_RUNTIME_CONFIG_JSON: JSON.stringify(value) });
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  assert.fail("the config was accepted");
}

describe("loadRuntimeConfig", () => {
  it("reads the file named by CREST_RUNTIME_CONFIG and fills in the service defaults", () => {
    const path = join(folder, "runtime-config.json");
    writeFileSync(path, JSON.stringify(valid));
    const config = loadRuntimeConfig({ CREST_RUNTIME_CONFIG: path });
    assert.equal(config.kafka.bootstrapBrokers, "b-1:9096,b-2:9096");
    assert.equal(config.service.httpPort, appHttpPort);
    assert.equal(config.service.signIn.timeZone, "Asia/Shanghai");
  });

  it("names the field, the value and the rule for each problem", () => {
    const problems = problemsOf({
      ...valid,
      redis: { ...valid.redis, port: 70000 },
      service: { rateLimit: { burst: 0 }, signIn: { timeZone: "Mars/Olympus" } },
    });
    assert.deepEqual(
      problems.map((p) => p.split(":")[0]),
      ["redis.port", "service.rateLimit.burst", "service.signIn.timeZone"],
    );
    assert.match(problems[0] ?? "", /redis\.port: .*65535.* \(got 70000\)/);
    assert.match(problems[2] ?? "", /an IANA time zone .*\(got "Mars\/Olympus"\)/);
  });

  it("reports missing sections, unknown keys, a plaintext secret in place of an ARN, and a drain delay past the grace period", () => {
    const { wechat: _omitted, ...withoutWeChat } = valid;
    const problems = problemsOf({
      ...withoutWeChat,
      extra: 1,
      sessionSigningSecretArn: "hunter2",
      service: { shutdownGraceSeconds: 5, drainDelaySeconds: 5 },
    });
    assert.ok(
      problems.some((p) => p.startsWith("(root): unknown field(s) extra")),
      problems.join("\n"),
    );
    assert.ok(
      problems.some((p) => p.startsWith("wechat: ") && p.endsWith("(missing)")),
      problems.join("\n"),
    );
    assert.ok(problems.some((p) => p.startsWith("sessionSigningSecretArn: a Secrets Manager secret ARN")));
    assert.ok(
      problems.some((p) => p.startsWith("service.drainDelaySeconds: must be less than shutdownGraceSeconds")),
    );
  });

  it("explains an unreadable file and non-JSON text", () => {
    assert.throws(
      () => loadRuntimeConfig({ CREST_RUNTIME_CONFIG: join(folder, "absent.json") }),
      /cannot read the file/,
    );
    assert.throws(
      () => loadRuntimeConfig({ CREST_RUNTIME_CONFIG_JSON: "{nope" }),
      /CREST_RUNTIME_CONFIG_JSON.*not JSON/s,
    );
  });
});

describe("SecretSource", () => {
  const reference = { name: "mysql-shard-0", arn };

  it("prefers the environment variable, then the mounted file", async () => {
    writeFileSync(join(folder, "mysql-shard-0"), JSON.stringify({ username: "file", password: "p1" }));
    const fromFile = await new SecretSource({ CREST_SECRETS_DIR: folder }).read(reference, credentialsSecret);
    assert.equal(fromFile.username, "file");
    const fromEnv = await new SecretSource({
      CREST_SECRETS_DIR: folder,
      CREST_SECRET_MYSQL_SHARD_0: JSON.stringify({ username: "env", password: "p2" }),
    }).read(reference, credentialsSecret);
    assert.equal(fromEnv.username, "env");
  });

  it("says where it looked when the secret is missing, and which field is wrong when it is malformed", async () => {
    await assert.rejects(
      new SecretSource({ CREST_SECRETS_DIR: join(folder, "none") }).read(reference, credentialsSecret),
      /secret mysql-shard-0 \(arn:aws:secretsmanager:.*\) not found: set CREST_SECRET_MYSQL_SHARD_0 or mount it at .*none\/mysql-shard-0/,
    );
    await assert.rejects(
      new SecretSource({ CREST_SECRET_MYSQL_SHARD_0: JSON.stringify({ username: "u" }) }).read(
        reference,
        credentialsSecret,
      ),
      /secret mysql-shard-0: password: /,
    );
  });

  it("lists every secret the compute component must mount, under stable names", () => {
    const config = loadRuntimeConfig({ CREST_RUNTIME_CONFIG_JSON: JSON.stringify(valid) });
    assert.deepEqual(
      secretReferences(config).map((r) => r.name),
      ["mysql-shard-0", "redis-auth", "kafka-scram", "wechat-app-secret", "session-signing-key"],
    );
  });
});
