import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
import { interrupted } from "../../app/bench/processes";

/** Bad command-line input: printed with the usage, exit code 2. */
export class UsageError extends Error {}

/** Strict `parseArgs` (no positionals, no unknown options) whose complaints are {@link UsageError}s. */
export function parseFlags<const T extends ParseArgsOptionsConfig>(argv: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * Runs a command's body and exits with the code it resolves to; 2 with the usage for bad
 * arguments, `brokenCode` with the stack when it throws. After a stop signal it leaves the exit to
 * the signal handler (or tools/services, once it has stopped the servers).
 */
export function runCommand(
  name: string,
  usage: string,
  brokenCode: number,
  body: () => Promise<number>,
): void {
  body().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (interrupted()) return;
      if (error instanceof UsageError) {
        process.stderr.write(`${name}: ${error.message}\n${usage}\n`);
        process.exit(2);
      }
      process.stderr.write(
        `${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(brokenCode);
    },
  );
}
