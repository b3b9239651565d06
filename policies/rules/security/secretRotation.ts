import { type Rule, stackRule } from "../../lib/rule";
import { t } from "../../lib/types";
import { at, show, unknown } from "../../lib/values";

/** The tag that records why a secret is not rotated (infra/lib/generatedSecret.ts writes it). */
const exceptionTag = "rotation-exception";
/** A reason is a sentence, not a placeholder such as "n/a" or "todo". */
const minReasonLength = 20;

export const secretRotation = stackRule<{ maxRotationDays: number }>({
  id: "security-secret-rotation",
  family: "data stores",
  controls: ["FSBP SecretsManager.1", "CKV2_AWS_57", "AwsSolutions-SMG4"],
  concern: "security",
  description:
    "Every Secrets Manager secret rotates on a schedule (an aws.secretsmanager.SecretRotation, at most the " +
    "stack's interval), or carries a rotation-exception tag whose value says why it cannot (a sentence); " +
    "database master passwords are managed by RDS (manageMasterUserPassword), which rotates them. Fix: add a " +
    "SecretRotation with a rotation function, or tag the secret rotation-exception with the reason and how " +
    "it is rotated instead; use manageMasterUserPassword: true instead of masterPassword.",
  config: {
    schema: {
      maxRotationDays: {
        type: "integer",
        minimum: 1,
        maximum: 1000,
        description: "Longest rotation interval, in days.",
      },
    },
    defaults: () => ({ maxRotationDays: 90 }),
  },
  check: (stack, config, report) => {
    const rotations = stack.ofType(t.secretRotation);
    for (const secret of stack.ofType(t.secret)) {
      const mine = rotations.filter((r) => r.propertyDependencies.secretId?.includes(secret.urn));
      for (const rotation of mine) {
        const days = at(rotation.props, "rotationRules.automaticallyAfterDays");
        if (typeof days === "number" && days > config.maxRotationDays) {
          report(`rotates every ${days} days, more than ${config.maxRotationDays}`, secret.urn);
        }
      }
      if (mine.length > 0) continue;
      const tags = secret.props.tags;
      const reason = tags === unknown ? unknown : at(tags, exceptionTag);
      if (reason === unknown) continue;
      if (typeof reason !== "string" || reason.trim().length < minReasonLength) {
        report(
          `has no rotation schedule and no ${exceptionTag} tag saying why (tag is ${show(reason)})`,
          secret.urn,
        );
      }
    }
    for (const cluster of [...stack.ofType(t.rdsCluster), ...stack.ofType(t.rdsInstance)]) {
      const { masterPassword, manageMasterUserPassword } = cluster.props;
      if (masterPassword !== undefined && masterPassword !== null && manageMasterUserPassword !== true) {
        report(
          "sets masterPassword itself, which nothing rotates: use manageMasterUserPassword",
          cluster.urn,
        );
      }
    }
  },
});

export const secretRotationRules: Rule[] = [secretRotation];
