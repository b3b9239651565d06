/**
 * The app's own secrets and who may read them: the secrets no data store issues (session signing
 * key, WeChat AppSecret) and the IAM policy a workload identity needs to mount its pods' secrets.
 */
export { AppSecrets, type AppSecretsArgs, appSecretsArgsProblems } from "./appSecrets";
export { secretReaderPolicy } from "./secretReaderPolicy";
