import pino from "pino";

export type Logger = pino.Logger;

/** JSON lines on stdout; credentials and tokens never reach a log line. */
export function createLogger(mode: string, level = process.env.LOG_LEVEL ?? "info"): Logger {
  return pino({
    level,
    base: { service: "crest-app", mode },
    redact: {
      paths: ["req.headers.authorization", "req.headers.cookie", "*.password", "*.token", "*.code"],
      censor: "[redacted]",
    },
  });
}
