import * as pulumi from "@pulumi/pulumi";

/**
 * The IAM policy an IRSA role of the workload needs so the Secrets Store CSI driver's AWS provider can
 * mount its pods' secrets: read and describe exactly the given secrets, and decrypt with the given
 * keys only when Secrets Manager asks on the role's behalf (`kms:ViaService`).
 */
export function secretReaderPolicy(
  secretArns: readonly pulumi.Input<string>[],
  kmsKeyArns: readonly pulumi.Input<string>[],
  region: string,
): pulumi.Output<string> {
  return pulumi.all([pulumi.all([...secretArns]), pulumi.all([...kmsKeyArns])]).apply(([secrets, keys]) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ReadMountedSecrets",
          Effect: "Allow",
          Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
          Resource: [...new Set(secrets)].sort(),
        },
        {
          Sid: "DecryptThroughSecretsManager",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: [...new Set(keys)].sort(),
          Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } },
        },
      ],
    }),
  );
}
