/**
 * Where the app finds what the stack gives it: the RuntimeConfig file, the mounted secrets, and the
 * environment variables that point elsewhere (local runs, tests, the smoke Job). The workload
 * component mounts and sets exactly these, and the app reads exactly these.
 */
export const runtimeConfigPath = "/etc/crest/runtime-config.json";

/** The directory holding one file per secret, named as in secretNames.ts. */
export const secretsDirectory = "/var/run/secrets/crest";

export const environmentKeys = {
  /** A RuntimeConfig file other than runtimeConfigPath. */
  runtimeConfigFile: "CREST_RUNTIME_CONFIG",
  /** The RuntimeConfig inline, as JSON; wins over the file. */
  runtimeConfigJson: "CREST_RUNTIME_CONFIG_JSON",
  /** A secrets directory other than secretsDirectory. */
  secretsDirectory: "CREST_SECRETS_DIR",
  /** The API the smoke command probes (default: the pod's own port). */
  smokeBaseUrl: "CREST_SMOKE_BASE_URL",
} as const;
