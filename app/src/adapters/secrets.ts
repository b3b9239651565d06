import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { environmentKeys, secretsDirectory } from "../contract/podEnvironment";
import { type SecretReference, secretEnvName } from "../contract/secretNames";

export class SecretError extends Error {}

export const passwordSecret = z.object({ password: z.string().min(1) });
export const credentialsSecret = z.object({ username: z.string().min(1), password: z.string().min(1) });

/**
 * Resolves a secret reference without calling AWS at boot: the pod gets each Secrets Manager
 * secret as a file (CSI volume) or an environment variable, named as in contract/secretNames.
 * The environment wins, so local runs and tests need no files.
 */
export class SecretSource {
  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly directory = env[environmentKeys.secretsDirectory] || secretsDirectory,
  ) {}

  async read<T>(reference: SecretReference, schema: z.ZodType<T>): Promise<T> {
    const envName = secretEnvName(reference.name);
    const path = join(this.directory, reference.name);
    const raw = this.env[envName] ?? (await readFile(path, "utf8").catch(() => undefined));
    if (raw === undefined) {
      throw new SecretError(
        `secret ${reference.name} (${reference.arn}) not found: set ${envName} or mount it at ${path}`,
      );
    }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new SecretError(`secret ${reference.name}: not JSON (the secret string must be a JSON object)`);
    }
    const result = schema.safeParse(value);
    if (!result.success) {
      const fields = result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
      throw new SecretError(`secret ${reference.name}: ${fields.join("; ")}`);
    }
    return result.data;
  }
}
