import { spawn } from "node:child_process";
import { logTail } from "./process";

export interface CommandOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
  /** Written to the command's stdin, which is otherwise closed. */
  readonly input?: string;
  /** How errors name the command. @default the command */
  readonly label?: string;
}

export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a short-lived command to completion; a non-zero exit or a timeout rejects with its output's tail. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: CommandOptions = {},
): Promise<CommandOutput> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const label = options.label ?? command;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["pipe", "pipe", "pipe"],
      timeout: timeoutMs,
      killSignal: "SIGKILL",
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.stdin.end(options.input ?? "");
    child.once("error", (error) => reject(new Error(`${label} could not be run: ${error.message}`)));
    child.once("close", (code, signal) => {
      if (code === 0) return resolve({ stdout, stderr });
      const why = signal === "SIGKILL" ? `was killed after ${timeoutMs} ms` : `exited with code ${code}`;
      reject(new Error(`${label} ${why}:\n${logTail(`${stdout}\n${stderr}`)}`));
    });
  });
}
