// Entry point: `node dist/main.js api|worker|smoke`. Tracing starts before anything else is
// loaded, so its instrumentations can hook the HTTP, Express, ioredis and mysql2 modules.
import { startTracing } from "./observability/tracing";

const modes = ["api", "worker", "smoke"] as const;
type Mode = (typeof modes)[number];

async function main(): Promise<number> {
  const mode = process.argv[2] as Mode;
  if (!modes.includes(mode)) {
    process.stderr.write(
      `usage: main.js ${modes.join("|")}   (got ${JSON.stringify(process.argv[2] ?? "")})\n`,
    );
    return 2;
  }
  const stopTracing = mode === "smoke" ? undefined : await startTracing(`crest-${mode}`);
  const { boot } = await import("./runtime/boot.js");
  return boot(mode, stopTracing);
}

main().then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
