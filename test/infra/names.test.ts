import assert from "node:assert/strict";
import { test } from "node:test";
import { eksClusterDerivedNames } from "../../infra/cluster/args";
import { derivedNameProblems, nameBudget } from "../../infra/lib/names";
import { shardedMysqlDerivedNames } from "../../infra/mysql";
import { redisClusterDerivedNames } from "../../infra/redis";
import { tieredStorageDerivedNames } from "../../infra/storage";

test("a component's longest name is its tightest derived name's limit less the suffixes", () => {
  // 40 − Pulumi's 8; the replication group id is the component's name itself.
  assert.deepEqual(nameBudget(redisClusterDerivedNames).maxLength, 32);
  // 63 − 8 − "-static-assets" (14) beats the IAM role's 64 − 8 − "-replication" (12).
  assert.deepEqual(nameBudget(tieredStorageDerivedNames), {
    maxLength: 41,
    tightest: { what: "S3 bucket name", suffix: "-static-assets", autonamed: true, maxLength: 63 },
  });
  assert.equal(nameBudget(eksClusterDerivedNames).maxLength, 39);
  assert.equal(nameBudget(shardedMysqlDerivedNames({ shards: 64, readersPerShard: 15 })).maxLength, 49);
});

test("a name too long or in characters the derived names refuse is refused, naming the tightest", () => {
  assert.deepEqual(derivedNameProblems("a".repeat(32), redisClusterDerivedNames), []);
  const allowed =
    "lowercase letters, digits and single hyphens, starting with a letter, at most 32 characters " +
    "(it prefixes the ElastiCache replication group id, which AWS caps at 40)";
  for (const name of ["a".repeat(33), "Cache", "cache_1", "cache--1", "cache-"]) {
    assert.deepEqual(derivedNameProblems(name, redisClusterDerivedNames), [
      { path: "name", value: name, allowed },
    ]);
  }
});
