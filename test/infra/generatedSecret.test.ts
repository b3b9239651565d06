import assert from "node:assert/strict";
import { test } from "node:test";
import { GeneratedSecret, rotationExceptionProblems } from "../../infra/lib/generatedSecret";
import { recordProgram } from "../../tools/plan/run";
import { one } from "../support/recording";

const reason = "Kafka clients read the SCRAM password at start only: rotate it with a deploy";

test("a generated secret carries its rotation exception as a tag the policy pack reads", async () => {
  const rec = await recordProgram("crest", "test", () => {
    new GeneratedSecret("scram", {
      description: "SCRAM user",
      kmsKeyId: "arn:key",
      rotationException: reason,
    });
  });
  assert.deepEqual(one(rec, "aws:secretsmanager/secret:Secret").inputs.tags, {
    "rotation-exception": reason,
  });
});

test("a rotation exception is a sentence a tag value can hold", () => {
  assert.deepEqual(rotationExceptionProblems(reason), []);
  const allowed =
    "a sentence of 20 to 256 letters, digits, spaces and _ . : / = + - @ (a tag value) saying why the secret is not rotated";
  for (const bad of ["n/a", "the ElastiCache 'ROTATE' strategy needs a deploy", "x".repeat(257)]) {
    assert.deepEqual(rotationExceptionProblems(bad), [{ path: "rotationException", value: bad, allowed }]);
  }
});

test("a bad rotation exception stops the secret before anything is declared", async () => {
  await assert.rejects(
    recordProgram("crest", "test", () => {
      new GeneratedSecret("scram", {
        description: "SCRAM user",
        kmsKeyId: "arn:key",
        rotationException: "todo",
      });
    }),
    /invalid arguments for crest:security:GeneratedSecret "scram":\nrotationException: got "todo"; allowed: a sentence/,
  );
});
