import { readFileSync } from "node:fs";
import { environmentKeys, runtimeConfigPath } from "../contract/podEnvironment";
import { type RuntimeConfig, runtimeConfigSchema } from "../contract/runtimeConfig";
import { describeIssue } from "../inputIssues";

/** A config that cannot be used; `problems` has one line per bad field. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid RuntimeConfig (${source}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/**
 * RuntimeConfig from CREST_RUNTIME_CONFIG_JSON (inline JSON) or the file CREST_RUNTIME_CONFIG
 * (default /etc/crest/runtime-config.json), validated with the schema the stack type-checks against.
 */
export function loadRuntimeConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const inline = env[environmentKeys.runtimeConfigJson];
  if (inline !== undefined && inline !== "")
    return parseRuntimeConfig(inline, environmentKeys.runtimeConfigJson);
  const path = env[environmentKeys.runtimeConfigFile] || runtimeConfigPath;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(path, [`cannot read the file: ${(error as Error).message}`]);
  }
  return parseRuntimeConfig(text, path);
}

export function parseRuntimeConfig(text: string, source: string): RuntimeConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(source, [`not JSON: ${(error as Error).message}`]);
  }
  const result = runtimeConfigSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => describeIssue(issue, value));
    throw new ConfigError(
      source,
      problems.map(({ field, problem }) => `${field}: ${problem}`),
    );
  }
  return result.data;
}
